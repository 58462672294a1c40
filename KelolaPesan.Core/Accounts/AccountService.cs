using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Accounts;

/// <summary>Admin accounts and every user's own preferences.</summary>
public sealed class AccountService(IKelolaDbFactory dbFactory, AuditLog audit)
{
    public async Task<Guid> CreateAdminAsync(string email, string name, string password, CancellationToken cancellationToken = default)
    {
        var normalised = email.Trim().ToLowerInvariant();
        if (!normalised.Contains('@') || normalised.Length > AdminUser.EmailMaxLength)
            throw new ArgumentException("A valid email address is required.", nameof(email));
        if (password.Length < PasswordHashing.MinLength)
            throw new ArgumentException($"The password must have at least {PasswordHashing.MinLength} characters.", nameof(password));

        await using var db = dbFactory.CreateSystem();
        if (await db.AdminUsers.AnyAsync(a => a.Email == normalised, cancellationToken))
            throw new InvalidOperationException($"An admin with the email {normalised} already exists.");

        var admin = new AdminUser { Email = normalised, Name = name.Trim(), PasswordHash = PasswordHashing.Hash(password) };
        db.AdminUsers.Add(admin);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.AdminCreated, AuditActorType.System, "create-admin", TargetType: nameof(AdminUser), TargetId: admin.Id.ToString()), cancellationToken);
        return admin.Id;
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
}
