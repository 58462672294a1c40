using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Accounts;

/// <summary>
/// Checks credentials. Tenant users and agency owners: licence code + username + password.
/// Admins: email + password. Every attempt is audited; failures are throttled per account and per address.
/// The answer never says which part was wrong, except for a licence that is suspended or expired.
/// </summary>
public sealed class SignInService(IKelolaDbFactory dbFactory, SignInThrottle throttle, AuditLog audit, TimeProvider clock)
{
    public async Task<SignInResult> SignInWithLicenceAsync(
        string? licenceCode, string? username, string? password, string? ipAddress, CancellationToken cancellationToken = default)
    {
        var code = LicenceCode.TryParse(licenceCode);
        // One account whatever the case it is typed in, so the per-account throttle counts "Ani" and "ani" together.
        var accountKey = $"licence:{code?.Prefix ?? licenceCode?.Trim()}:{AppUser.NormalizeUsername(username)}";
        var result = await CheckLicenceUserAsync(code, username?.Trim() ?? "", password ?? "", accountKey, ipAddress, cancellationToken);
        await RecordAsync(result, accountKey, ipAddress, username?.Trim() ?? "", cancellationToken);
        return result;
    }

    public async Task<SignInResult> SignInAdminAsync(string? email, string? password, string? ipAddress, CancellationToken cancellationToken = default)
    {
        var normalised = (email ?? "").Trim().ToLowerInvariant();
        var accountKey = $"admin:{normalised}";
        var result = await CheckAdminAsync(normalised, password ?? "", accountKey, ipAddress, cancellationToken);
        await RecordAsync(result, accountKey, ipAddress, normalised, cancellationToken);
        return result;
    }

    private async Task<SignInResult> CheckLicenceUserAsync(
        LicenceCode? code, string username, string password, string accountKey, string? ipAddress, CancellationToken ct)
    {
        if (await throttle.RetryAfterAsync(accountKey, IpKey(ipAddress)) is { } wait)
            return SignInResult.Fail(SignInFailure.TooManyAttempts, wait);
        if (code is null || username.Length == 0)
            return Refused(password);

        await using var db = dbFactory.CreateSystem();
        var licence = await db.Licences.AsNoTracking().FirstOrDefaultAsync(l => l.CodePrefix == code.Prefix, ct);
        if (licence is null || !SecretHash.Matches(code.Code, licence.CodeHash))
            return Refused(password);

        var user = licence.Kind == LicenceKind.Agency
            ? await AgencyOwnerAsync(db, licence.Id, username, ct)
            : await TenantUserAsync(db, licence.Id, username, ct);
        if (user is null)
            return Refused(password);
        if (!PasswordHashing.Verify(user.PasswordHash, password))
            return SignInResult.Fail(SignInFailure.InvalidCredentials);

        // Only now, with every credential right, may the answer say why the licence cannot be used.
        if (licence.Status == LicenceStatus.Suspended)
            return SignInResult.Fail(SignInFailure.LicenceSuspended);
        if (!licence.IsUsableAt(clock.GetUtcNow()))
            return SignInResult.Fail(SignInFailure.LicenceExpired);
        if (!user.IsActive)
            return SignInResult.Fail(SignInFailure.AccountDisabled);

        user.LastLoginAt = clock.GetUtcNow();
        if (user.SecurityStamp.Length == 0)
            user.SecurityStamp = SecurityStamp.New();
        await db.SaveChangesAsync(ct);
        return SignInResult.Success(new SignedInUser(user.Id, user.DisplayName, user.Role.ToString(), user.TenantId, user.AgencyId, user.Language, user.Theme)
        {
            SecurityStamp = user.SecurityStamp,
        });
    }

    private static Task<AppUser?> TenantUserAsync(IKelolaDb db, Guid licenceId, string username, CancellationToken ct) =>
        (from t in db.Tenants
         join u in db.Users on t.Id equals u.TenantId
         where t.LicenceId == licenceId && u.NormalizedUsername == AppUser.NormalizeUsername(username) && u.Role != UserRole.AgencyOwner
         select u).FirstOrDefaultAsync(ct);

    private static Task<AppUser?> AgencyOwnerAsync(IKelolaDb db, Guid licenceId, string username, CancellationToken ct) =>
        (from a in db.Agencies
         join u in db.Users on a.Id equals u.AgencyId
         where a.LicenceId == licenceId && u.NormalizedUsername == AppUser.NormalizeUsername(username) && u.Role == UserRole.AgencyOwner
         select u).FirstOrDefaultAsync(ct);

    private async Task<SignInResult> CheckAdminAsync(string email, string password, string accountKey, string? ipAddress, CancellationToken ct)
    {
        if (await throttle.RetryAfterAsync(accountKey, IpKey(ipAddress)) is { } wait)
            return SignInResult.Fail(SignInFailure.TooManyAttempts, wait);

        await using var db = dbFactory.CreateSystem();
        var admin = await db.AdminUsers.FirstOrDefaultAsync(a => a.Email == email, ct);
        if (admin is null)
            return Refused(password);
        if (!PasswordHashing.Verify(admin.PasswordHash, password))
            return SignInResult.Fail(SignInFailure.InvalidCredentials);
        if (!admin.IsActive)
            return SignInResult.Fail(SignInFailure.AccountDisabled);

        admin.LastLoginAt = clock.GetUtcNow();
        if (admin.SecurityStamp.Length == 0)
            admin.SecurityStamp = SecurityStamp.New();
        await db.SaveChangesAsync(ct);
        return SignInResult.Success(new SignedInUser(admin.Id, admin.Name, Roles.Admin, null, null, admin.Language, admin.Theme)
        {
            SecurityStamp = admin.SecurityStamp,
        });
    }

    /// <summary>
    /// A refusal before any account was found still costs one password hash, so the time of the answer does not
    /// tell whether the licence, the username or the email exists.
    /// </summary>
    private static SignInResult Refused(string password)
    {
        PasswordHashing.Verify(PasswordHashing.DummyHash, password);
        return SignInResult.Fail(SignInFailure.InvalidCredentials);
    }

    private async Task RecordAsync(SignInResult result, string accountKey, string? ipAddress, string actorName, CancellationToken ct)
    {
        if (result.Succeeded)
            await throttle.RecordSuccessAsync(accountKey);
        else if (result.Failure != SignInFailure.TooManyAttempts)
            await throttle.RecordFailureAsync(accountKey, IpKey(ipAddress));

        var user = result.User;
        var admin = user?.Role == Roles.Admin;
        await audit.WriteAsync(new AuditRecord(
            result.Succeeded ? AuditActions.SignIn : AuditActions.SignInFailed,
            admin ? AuditActorType.Admin : user is null ? AuditActorType.Anonymous : AuditActorType.User,
            // A person by the name the team page and every other entry show; the account they typed stays in the details
            // (a refused attempt names only what was typed: no account is known).
            user?.DisplayName ?? actorName,
            ActorId: user?.UserId,
            TenantId: user?.TenantId,
            Details: result.Succeeded ? $"{(admin ? SignInAuditDetails.Email : SignInAuditDetails.Username)}: {actorName}" : result.Failure.ToString(),
            IpAddress: ipAddress,
            Succeeded: result.Succeeded), ct);
    }

    private static string IpKey(string? ipAddress) => $"ip:{ipAddress ?? "unknown"}";
}

/// <summary>The account a sign-in entry names in its details ("Username: ani", "Email: admin@example.com").</summary>
public static class SignInAuditDetails
{
    public const string Username = Team.TeamAuditDetails.Username;
    public const string Email = "Email";
}
