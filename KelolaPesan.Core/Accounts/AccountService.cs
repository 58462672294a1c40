using FluentValidation;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Accounts;

/// <summary>Admin accounts and every user's own preferences.</summary>
public sealed class AccountService(IKelolaDbFactory dbFactory, AuditLog audit, AccessCache access)
{
    private static readonly CreateAdminRequestValidator CreateValidator = new();
    private static readonly ChangePasswordRequestValidator PasswordValidator = new();
    private static readonly ProfileInputValidator ProfileValidator = new();

    /// <summary>The create-admin command's entry: bad input is an <see cref="ArgumentException"/> with the validator's message.</summary>
    public Task<Guid> CreateAdminAsync(string email, string name, string password, CancellationToken cancellationToken = default)
    {
        var request = new CreateAdminRequest { Email = email.Trim(), Name = name, Password = password };
        var result = CreateValidator.Validate(request);
        if (!result.IsValid)
            throw new ArgumentException(string.Join(" ", result.Errors.Select(e => e.ErrorMessage)));
        return CreateAdminAsync(request, AuditActor.System, cancellationToken);
    }

    /// <summary>Creates an admin; throws <see cref="ValidationException"/> for bad input and <see cref="InvalidOperationException"/> for a taken email.</summary>
    public async Task<Guid> CreateAdminAsync(CreateAdminRequest request, AuditActor actor, CancellationToken cancellationToken = default)
    {
        request.Email = request.Email.Trim();
        CreateValidator.ValidateAndThrow(request);
        var normalised = request.Email.Trim().ToLowerInvariant();

        await using var db = dbFactory.CreateSystem();
        // A disabled admin's open page may outlive the revalidation interval by seconds: it still creates nobody.
        if (actor.Type == AuditActorType.Admin && !await db.AdminUsers.AnyAsync(a => a.Id == actor.Id && a.IsActive, cancellationToken))
            throw new UnauthorizedAccessException("Only an active admin may create admins.");
        if (await db.AdminUsers.AnyAsync(a => a.Email == normalised, cancellationToken))
            throw new InvalidOperationException($"An admin with the email {normalised} already exists.");

        var admin = new AdminUser { Email = normalised, Name = request.Name.Trim(), PasswordHash = PasswordHashing.Hash(request.Password) };
        db.AdminUsers.Add(admin);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(AuditActions.AdminCreated, actor, targetType: nameof(AdminUser), targetId: admin.Id.ToString(), details: normalised, cancellationToken: cancellationToken);
        return admin.Id;
    }

    public async Task<IReadOnlyList<AdminSummary>> ListAdminsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        return await db.AdminUsers.AsNoTracking().OrderBy(a => a.Email)
            .Select(a => new AdminSummary(a.Id, a.Email, a.Name, a.LastLoginAt, a.IsActive))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Disables or re-enables an admin. Nobody may disable themself (the platform could be left without an admin).</summary>
    public async Task<AdminChangeResult> SetAdminActiveAsync(Guid adminId, bool active, AuditActor actor, CancellationToken cancellationToken = default)
    {
        if (!active && actor.Id == adminId)
            return AdminChangeResult.CannotDisableSelf;
        await using var db = dbFactory.CreateSystem();
        var admin = await db.AdminUsers.FirstOrDefaultAsync(a => a.Id == adminId, cancellationToken);
        if (admin is null)
            return AdminChangeResult.NotFound;
        admin.IsActive = active;
        admin.SecurityStamp = SecurityStamp.New();
        await db.SaveChangesAsync(cancellationToken);
        access.Forget(adminId, isAdmin: true);
        await audit.WriteAsync(active ? AuditActions.AdminEnabled : AuditActions.AdminDisabled, actor,
            targetType: nameof(AdminUser), targetId: adminId.ToString(), details: admin.Email, cancellationToken: cancellationToken);
        return AdminChangeResult.Done;
    }

    public Task<AdminChangeResult> ChangeOwnPasswordAsync(Guid adminId, ChangePasswordRequest request, AuditActor actor, CancellationToken cancellationToken = default) =>
        ChangeOwnPasswordAsync(adminId, isAdmin: true, request, actor, cancellationToken);

    /// <summary>
    /// Any account changes its own password: the current one must be right, the new one must pass the policy
    /// (<see cref="PasswordRule"/>, checked against this account's username or email). The stamp changes, so every
    /// session of the account, this one included, ends; the page then asks to sign in with the new password.
    /// Throws <see cref="ValidationException"/> for a new password the policy refuses.
    /// </summary>
    public async Task<AdminChangeResult> ChangeOwnPasswordAsync(Guid userId, bool isAdmin, ChangePasswordRequest request, AuditActor actor,
        CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        var admin = isAdmin ? await db.AdminUsers.FirstOrDefaultAsync(a => a.Id == userId, cancellationToken) : null;
        var user = isAdmin ? null : await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (admin is null && user is null)
            return AdminChangeResult.NotFound;
        request.AccountNames = admin is not null ? [admin.Email] : [user!.Username];
        PasswordValidator.ValidateAndThrow(request);
        if (!PasswordHashing.Verify(admin?.PasswordHash ?? user!.PasswordHash, request.CurrentPassword))
            return AdminChangeResult.WrongCurrentPassword;

        var hash = PasswordHashing.Hash(request.NewPassword);
        if (admin is not null)
            (admin.PasswordHash, admin.SecurityStamp) = (hash, SecurityStamp.New());
        else
            (user!.PasswordHash, user.SecurityStamp) = (hash, SecurityStamp.New());
        await db.SaveChangesAsync(cancellationToken);
        // Their own change: this page goes to sign-in by itself (and must not be told its access was changed).
        access.Forget(userId, isAdmin, wakeOpenPages: false);
        await audit.WriteAsync(isAdmin ? AuditActions.AdminPasswordChanged : AuditActions.PasswordChanged, actor, user?.TenantId,
            isAdmin ? nameof(AdminUser) : nameof(AppUser), userId.ToString(), cancellationToken: cancellationToken);
        return AdminChangeResult.Done;
    }

    /// <summary>The signed-in account as its own page shows it: sign-in name (username or email), display name, preferences.</summary>
    public async Task<OwnAccount?> GetOwnAccountAsync(Guid userId, bool isAdmin, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        return isAdmin
            ? await db.AdminUsers.AsNoTracking().Where(a => a.Id == userId)
                .Select(a => new OwnAccount(a.Email, a.Name, a.Language, a.Theme)).FirstOrDefaultAsync(cancellationToken)
            : await db.Users.AsNoTracking().Where(u => u.Id == userId)
                .Select(u => new OwnAccount(u.Username, u.DisplayName, u.Language, u.Theme)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Display name, language and theme of the signed-in account. Throws <see cref="ValidationException"/> for bad input.</summary>
    public async Task<bool> UpdateProfileAsync(Guid userId, bool isAdmin, ProfileInput input, AuditActor actor, CancellationToken cancellationToken = default)
    {
        input.DisplayName = NulText.Name(input.DisplayName) ?? "";
        ProfileValidator.ValidateAndThrow(input);
        await using var db = dbFactory.CreateSystem();
        var changed = isAdmin
            ? await db.AdminUsers.Where(a => a.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(a => a.Name, input.DisplayName)
                .SetProperty(a => a.Language, input.Language).SetProperty(a => a.Theme, input.Theme), cancellationToken)
            : await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, input.DisplayName)
                .SetProperty(u => u.Language, input.Language).SetProperty(u => u.Theme, input.Theme), cancellationToken);
        if (changed == 0)
            return false;
        var tenantId = isAdmin ? null : await db.Users.Where(u => u.Id == userId).Select(u => u.TenantId).FirstOrDefaultAsync(cancellationToken);
        await audit.WriteAsync(AuditActions.PreferencesChanged, actor, tenantId, isAdmin ? nameof(AdminUser) : nameof(AppUser), userId.ToString(),
            $"language {input.Language}, theme {input.Theme}", cancellationToken);
        return true;
    }

    public async Task<(UiLanguage Language, UiTheme Theme)> GetPreferencesAsync(Guid userId, bool isAdmin, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        var prefs = isAdmin
            ? await db.AdminUsers.Where(a => a.Id == userId).Select(a => new { a.Language, a.Theme }).FirstOrDefaultAsync(cancellationToken)
            : await db.Users.Where(u => u.Id == userId).Select(u => new { u.Language, u.Theme }).FirstOrDefaultAsync(cancellationToken);
        return prefs is null ? (UiLanguage.Indonesian, UiTheme.Light) : (prefs.Language, prefs.Theme);
    }

    /// <summary>Stores the language and theme of the signed-in user (tenant user, agency owner or admin).</summary>
    public async Task SavePreferencesAsync(Guid userId, bool isAdmin, UiLanguage language, UiTheme theme, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        if (isAdmin)
            await db.AdminUsers.Where(a => a.Id == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Language, language).SetProperty(a => a.Theme, theme), cancellationToken);
        else
            await db.Users.Where(u => u.Id == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Language, language).SetProperty(u => u.Theme, theme), cancellationToken);
    }

    /// <summary>A tenant user's inbox alerts (sound, desktop notification); both off for anyone else.</summary>
    public async Task<InboxAlertSettings> GetInboxAlertsAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        return await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new InboxAlertSettings(u.AlertSound, u.AlertDesktop)).FirstOrDefaultAsync(cancellationToken) ?? InboxAlertSettings.Off;
    }

    /// <summary>Stores the signed-in user's own inbox alerts; false when the account is not a tenant user.</summary>
    public async Task<bool> SaveInboxAlertsAsync(Guid userId, InboxAlertSettings alerts, CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        return await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.AlertSound, alerts.Sound).SetProperty(u => u.AlertDesktop, alerts.Desktop), cancellationToken) > 0;
    }
}

/// <summary>How the app tells a user about a new inbound message besides the unread counters.</summary>
public sealed record InboxAlertSettings(bool Sound, bool Desktop)
{
    public static readonly InboxAlertSettings Off = new(false, false);
}
