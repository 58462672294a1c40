using FluentValidation;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Privacy;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Team;

/// <summary>
/// The tenant's team: list, add, change role and workspaces, deactivate / reactivate, reset password, delete.
/// Works through the scope's tenant context, so another tenant's user id is simply not found. Every change of a
/// member's access rotates their security stamp (their open sessions end at the next revalidation) and is audited.
/// Who may change whom: <see cref="TeamRules.CanManage"/> (docs/adr/0012).
/// </summary>
public sealed class TeamService(IKelolaDbFactory dbFactory, LicenceQuota quota, AuditLog audit, AccessCache access)
{
    /// <summary>Generated passwords: 16 Crockford base32 characters (80 bits) in groups of four, easy to read out.</summary>
    public const int GeneratedPasswordLength = 16;

    private static readonly NewMemberInputValidator NewValidator = new();
    private static readonly MemberAccessInputValidator AccessValidator = new();

    public async Task<TeamView> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var tenant = await db.Tenants.AsNoTracking().Select(t => new { t.Id, t.TimeZone }).FirstOrDefaultAsync(ct);
        if (tenant is null)
            return new TeamView([], [], Tenant.DefaultTimeZone, 0, null);

        var workspaces = await db.Workspaces.AsNoTracking().OrderBy(w => w.Name).Select(w => new WorkspaceRef(w.Id, w.Name)).ToListAsync(ct);
        var users = await db.Users.AsNoTracking().Where(u => u.TenantId == tenant.Id)
            .Select(u => new { u.Id, u.Username, u.DisplayName, u.Role, u.IsActive, u.LastLoginAt }).ToListAsync(ct);
        var memberships = await db.WorkspaceMembers.AsNoTracking().Select(m => new { m.UserId, m.WorkspaceId }).ToListAsync(ct);
        var byId = workspaces.ToDictionary(w => w.Id);

        var members = users
            .OrderByDescending(u => u.Role).ThenBy(u => u.DisplayName, StringComparer.CurrentCultureIgnoreCase)
            .Select(u => new TeamMember(u.Id, u.Username, u.DisplayName, u.Role, u.IsActive, u.LastLoginAt,
                u.Role == UserRole.Agent
                    ? memberships.Where(m => m.UserId == u.Id && byId.ContainsKey(m.WorkspaceId)).Select(m => byId[m.WorkspaceId]).OrderBy(w => w.Name).ToList()
                    : workspaces))
            .ToList();
        var (used, max) = await quota.UserQuotaAsync(tenant.Id, ct);
        return new TeamView(members, workspaces, tenant.TimeZone, used, max);
    }

    /// <summary>Adds a manager or agent. Throws <see cref="ValidationException"/> for bad input.</summary>
    public async Task<TeamResult> AddAsync(TeamActor actor, NewMemberInput input, CancellationToken ct = default)
    {
        input.Username = input.Username.Trim().ToLowerInvariant();
        input.DisplayName = NulText.Name(input.DisplayName) ?? "";
        await NewValidator.ValidateAndThrowAsync(input, ct);
        if (!TeamRules.CanGrant(actor.Role, input.Role))
            return NotAllowed();

        await using var db = await dbFactory.CreateAsync(ct);
        var tenantId = await db.Tenants.Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);
        if (tenantId is null)
            return NotFound();
        var workspaceIds = await CheckWorkspacesAsync(db, input.Role, input.WorkspaceIds, ct);
        // Compared case-insensitively: "Agen" and "agen" would be two people nobody can tell apart at sign-in.
        if (await db.Users.AnyAsync(u => u.TenantId == tenantId && u.NormalizedUsername == AppUser.NormalizeUsername(input.Username), ct))
            return UsernameTaken(input.Username);
        if (await UserLimitErrorAsync(tenantId.Value, ct) is { } limit)
            return limit;

        var password = input.GeneratePassword ? GeneratePassword() : input.Password;
        var user = new AppUser
        {
            TenantId = tenantId, Username = input.Username, DisplayName = input.DisplayName, Role = input.Role,
            PasswordHash = PasswordHashing.Hash(password),
        };
        db.Users.Add(user);
        foreach (var workspaceId in workspaceIds)
            db.WorkspaceMembers.Add(new() { TenantId = tenantId.Value, WorkspaceId = workspaceId, UserId = user.Id });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The unique index caught a concurrent add of the same name.
            return UsernameTaken(input.Username);
        }
        await WriteAsync(TeamAuditActions.UserAdded, actor, tenantId.Value, user.Id, TeamAuditDetails.Of(user.DisplayName, user.Username,
            (TeamAuditDetails.Role, user.Role.ToString()), (TeamAuditDetails.Workspaces, await WorkspaceNamesAsync(db, workspaceIds, ct))), ct);
        return new TeamResult(TeamOutcome.Done, user.Id, input.GeneratePassword ? password : null);
    }

    /// <summary>New role and workspaces. A workspace taken away is gone from the agent's inbox at its next query.</summary>
    public async Task<TeamResult> ChangeAccessAsync(TeamActor actor, Guid userId, MemberAccessInput input, CancellationToken ct = default)
    {
        await AccessValidator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.TenantId != null, ct);
        if (user is null)
            return NotFound();
        if (!TeamRules.CanManage(actor.Role, actor.UserId, user.Id, user.Role) || !TeamRules.CanGrant(actor.Role, input.Role))
            return NotAllowed();
        var wanted = await CheckWorkspacesAsync(db, input.Role, input.WorkspaceIds, ct);

        var current = await db.WorkspaceMembers.Where(m => m.UserId == userId).ToListAsync(ct);
        var removed = current.Where(m => !wanted.Contains(m.WorkspaceId)).ToList();
        var added = wanted.Where(id => current.All(m => m.WorkspaceId != id)).ToList();
        if (removed.Count == 0 && added.Count == 0 && user.Role == input.Role)
            return new TeamResult(TeamOutcome.Done, userId);

        db.WorkspaceMembers.RemoveRange(removed);
        foreach (var workspaceId in added)
            db.WorkspaceMembers.Add(new() { TenantId = user.TenantId!.Value, WorkspaceId = workspaceId, UserId = userId });
        var before = user.Role;
        user.Role = input.Role;
        user.SecurityStamp = SecurityStamp.New();
        await db.SaveChangesAsync(ct);
        access.Forget(userId, isAdmin: false);
        // Chats the agent held in a workspace they left would be hidden from everyone else's "mine" and stuck.
        var removedIds = removed.Select(m => m.WorkspaceId).ToList();
        if (removedIds.Count > 0)
            await db.Chats.Where(c => c.AssignedUserId == userId && removedIds.Contains(c.WorkspaceId))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.AssignedUserId, (Guid?)null), ct);

        await WriteAsync(TeamAuditActions.AccessChanged, actor, user.TenantId!.Value, userId, TeamAuditDetails.Of(user.DisplayName, user.Username,
            (TeamAuditDetails.Role, before == user.Role ? null : $"{before}{AuditChanges.Arrow}{user.Role}"),
            (TeamAuditDetails.WorkspacesAdded, await WorkspaceNamesAsync(db, added, ct)),
            (TeamAuditDetails.WorkspacesRemoved, await WorkspaceNamesAsync(db, removedIds, ct))), ct);
        return new TeamResult(TeamOutcome.Done, userId);
    }

    public async Task<TeamResult> SetActiveAsync(TeamActor actor, Guid userId, bool active, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.TenantId != null, ct);
        if (user is null)
            return NotFound();
        if (!TeamRules.CanManage(actor.Role, actor.UserId, user.Id, user.Role))
            return NotAllowed();
        if (user.IsActive == active)
            return new TeamResult(TeamOutcome.Done, userId);
        if (active && await UserLimitErrorAsync(user.TenantId!.Value, ct) is { } limit)
            return limit;

        user.IsActive = active;
        user.SecurityStamp = SecurityStamp.New();
        await db.SaveChangesAsync(ct);
        access.Forget(userId, isAdmin: false);
        if (!active)
            await db.Chats.Where(c => c.AssignedUserId == userId).ExecuteUpdateAsync(s => s.SetProperty(c => c.AssignedUserId, (Guid?)null), ct);
        await WriteAsync(active ? TeamAuditActions.UserReactivated : TeamAuditActions.UserDeactivated, actor, user.TenantId!.Value, userId,
            TeamAuditDetails.Of(user.DisplayName, user.Username), ct);
        return new TeamResult(TeamOutcome.Done, userId);
    }

    /// <summary>Sets a generated password (returned once, stored only as a hash) and ends the member's sessions.</summary>
    public async Task<TeamResult> ResetPasswordAsync(TeamActor actor, Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.TenantId != null, ct);
        if (user is null)
            return NotFound();
        if (!TeamRules.CanManage(actor.Role, actor.UserId, user.Id, user.Role))
            return NotAllowed();
        var password = GeneratePassword();
        user.PasswordHash = PasswordHashing.Hash(password);
        user.SecurityStamp = SecurityStamp.New();
        await db.SaveChangesAsync(ct);
        access.Forget(userId, isAdmin: false);
        await WriteAsync(TeamAuditActions.PasswordReset, actor, user.TenantId!.Value, userId, TeamAuditDetails.Of(user.DisplayName, user.Username), ct);
        return new TeamResult(TeamOutcome.Done, userId, password);
    }

    /// <summary>
    /// Removes the member, their workspace memberships (cascade) and chat assignments. Audit entries stay with action, target
    /// and time; where the member acted, or where they were the target, name, address and details are anonymised
    /// (docs/privacy-map.md).
    /// </summary>
    public async Task<TeamResult> DeleteAsync(TeamActor actor, Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.TenantId != null, ct);
        if (user is null)
            return NotFound();
        if (!TeamRules.CanManage(actor.Role, actor.UserId, user.Id, user.Role))
            return NotAllowed();
        var tenantId = user.TenantId!.Value;

        await db.Chats.Where(c => c.AssignedUserId == userId).ExecuteUpdateAsync(s => s.SetProperty(c => c.AssignedUserId, (Guid?)null), ct);
        db.Users.Remove(user);
        await db.SaveChangesAsync(ct);
        access.Forget(userId, isAdmin: false);
        var id = userId.ToString();
        await db.AuditEntries.Where(a => a.ActorId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ActorName, DataEraser.AnonymisedName).SetProperty(a => a.IpAddress, (string?)null), ct);
        // Their sign-ins named their username in the details.
        await db.AuditEntries.Where(a => a.ActorId == userId && a.Action == AuditActions.SignIn)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Details, (string?)null), ct);
        await db.AuditEntries.Where(a => a.TargetType == nameof(AppUser) && a.TargetId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Details, (string?)null), ct);
        // The removal names no one either (audit entries are kept with no end, so the member's name would outlive the
        // erasure): it reads "former member" with the role they had, which tells the owner which kind of access went.
        await WriteAsync(TeamAuditActions.UserDeleted, actor, tenantId, userId, $"{TeamAuditDetails.FormerMember}: {user.Role}", ct);
        return new TeamResult(TeamOutcome.Done, userId);
    }

    /// <summary>A readable random password that passes the policy (length, not common, no username in it by chance of 80 bits).</summary>
    public static string GeneratePassword()
    {
        var code = RandomCode.Create(GeneratedPasswordLength);
        return string.Join('-', code.Chunk(4).Select(c => new string(c)));
    }

    /// <summary>The chosen workspaces, checked to be the tenant's; managers see every workspace, so they keep none.</summary>
    private static async Task<List<Guid>> CheckWorkspacesAsync(IKelolaDb db, UserRole role, IEnumerable<Guid> ids, CancellationToken ct)
    {
        if (role != UserRole.Agent)
            return [];
        var wanted = ids.Distinct().ToList();
        var known = await db.Workspaces.Where(w => wanted.Contains(w.Id)).Select(w => w.Id).ToListAsync(ct);
        if (known.Count != wanted.Count)
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(NewMemberInput.WorkspaceIds), AccountText.Get("Team_WorkspaceUnknown"))]);
        return wanted;
    }

    /// <summary>The workspaces' names for the audit entry, or null for none.</summary>
    private static async Task<string?> WorkspaceNamesAsync(IKelolaDb db, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        ids.Count == 0 ? null : TeamAuditDetails.Names(await db.Workspaces.Where(w => ids.Contains(w.Id)).Select(w => w.Name).ToListAsync(ct));

    private async Task<TeamResult?> UserLimitErrorAsync(Guid tenantId, CancellationToken ct)
    {
        var (used, max) = await quota.UserQuotaAsync(tenantId, ct);
        return max is { } m && used >= m ? TeamResult.Fail(TeamOutcome.UserLimitReached, AccountText.Format("Team_UserLimitReached", m)) : null;
    }

    private Task WriteAsync(string action, TeamActor actor, Guid tenantId, Guid userId, string? details, CancellationToken ct) =>
        audit.WriteAsync(action, actor.Audit, tenantId, nameof(AppUser), userId.ToString(), details, ct);

    private static TeamResult NotFound() => TeamResult.Fail(TeamOutcome.NotFound, AccountText.Get("Team_NotFound"));
    private static TeamResult NotAllowed() => TeamResult.Fail(TeamOutcome.NotAllowed, AccountText.Get("Team_NotAllowed"));
    private static TeamResult UsernameTaken(string username) => TeamResult.Fail(TeamOutcome.UsernameTaken, AccountText.Format("Username_Taken", username));
}
