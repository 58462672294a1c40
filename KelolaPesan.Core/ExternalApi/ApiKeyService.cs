using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.ExternalApi;

/// <summary>
/// API keys of the scope's tenant: create (the full key returned once and never again), list, revoke, and
/// authenticate a bearer key (system lookup by prefix, constant-time hash compare). A key acts for the member who made
/// it: it works only while they are an active owner or manager, so removing, deactivating or demoting them ends their
/// keys too (docs/adr/0036); a key with no recorded maker (made before makers were recorded) is not tied to anyone.
/// </summary>
public sealed partial class ApiKeyService(IKelolaDbFactory dbFactory, ITenantContext tenant,
    ApiKeyUsageThrottle usage, AuditLog audit, TimeProvider clock)
{
    public const int SecretLength = 32; // 32 base32 characters = 160 bits

    [GeneratedRegex("^kp_([0-9a-z]{8})_([0-9a-z]{26,64})$")]
    private static partial Regex KeyFormat();

    /// <summary>Splits a presented key; null when it is not shaped like one.</summary>
    public static (string Prefix, string Secret)? Parse(string? key)
    {
        var match = key is null ? null : KeyFormat().Match(key);
        return match is { Success: true } ? (match.Groups[1].Value, match.Groups[2].Value) : null;
    }

    public static string Compose(string prefix, string secret) => $"kp_{prefix}_{secret}";

    /// <summary>Creates a key; <paramref name="actor"/> (the signed-in user) is recorded as its creator and in the audit log.</summary>
    public async Task<ApiKeyCreateResult> CreateAsync(string name, Guid? workspaceId, AuditActor actor, CancellationToken ct = default)
    {
        name = NulText.Name(name) ?? "";
        if (name.Length == 0)
            return ApiKeyCreateResult.Fail("Name", "Name_Required");
        if (name.Length > ApiKey.NameMaxLength)
            return ApiKeyCreateResult.Fail("Name", "Name_TooLong", ApiKey.NameMaxLength);
        if (tenant.TenantId is not { } tenantId)
            return ApiKeyCreateResult.Fail("", "Tenant_Missing");
        await using var db = await dbFactory.CreateAsync(ct);
        if (workspaceId is { } ws && !await db.Workspaces.AnyAsync(w => w.Id == ws, ct))
            return ApiKeyCreateResult.Fail("WorkspaceId", "Workspace_NotFound");

        var prefix = RandomCode.Create(ApiKey.PrefixLength).ToLowerInvariant();
        var secret = RandomCode.Create(SecretLength).ToLowerInvariant();
        var key = Add(db, tenantId, workspaceId, name, prefix, secret, actor.Id);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(ApiAuditActions.KeyCreated, actor, tenantId, nameof(ApiKey), key.Id.ToString(),
            $"name={name}; prefix={prefix}; workspace={workspaceId?.ToString() ?? "all"}", CancellationToken.None);
        return new ApiKeyCreateResult(key.Id, Compose(prefix, secret), null, null);
    }

    /// <summary>Adds a key with a given prefix and secret (the demo seeder's known key); the caller saves.</summary>
    public ApiKey Add(IKelolaDb db, Guid tenantId, Guid? workspaceId, string name, string prefix, string secret, Guid? userId)
    {
        var key = new ApiKey
        {
            TenantId = tenantId, WorkspaceId = workspaceId, Name = name, Prefix = prefix,
            SecretHash = SecretHash.Compute(secret),
            Status = ApiKeyStatus.Active, CreatedByUserId = userId,
        };
        db.ApiKeys.Add(key);
        return key;
    }

    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var holders = KeyHolders(db);
        return await db.ApiKeys.AsNoTracking()
            .OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeyView(k.Id, k.Name, k.Prefix, k.WorkspaceId,
                db.Workspaces.Where(w => w.Id == k.WorkspaceId).Select(w => w.Name).FirstOrDefault(),
                k.Status, k.CreatedAt, k.LastUsedAt, k.CreatedByUserId != null && !holders.Any(u => u.Id == k.CreatedByUserId)))
            .ToListAsync(ct);
    }

    /// <summary>The members whose keys work: active owners and managers (those who may make keys).</summary>
    private static IQueryable<AppUser> KeyHolders(IKelolaDb db) =>
        db.Users.Where(u => u.IsActive && (u.Role == UserRole.Owner || u.Role == UserRole.Manager));

    public async Task<bool> RevokeAsync(Guid keyId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var now = clock.GetUtcNow();
        var revoked = await db.ApiKeys.Where(k => k.Id == keyId && k.Status == ApiKeyStatus.Active)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.Status, ApiKeyStatus.Revoked).SetProperty(k => k.RevokedAt, now)
                .SetProperty(k => k.UpdatedAt, now), ct) > 0;
        if (revoked)
        {
            var prefix = await db.ApiKeys.Where(k => k.Id == keyId).Select(k => k.Prefix).FirstOrDefaultAsync(CancellationToken.None);
            await audit.WriteAsync(ApiAuditActions.KeyRevoked, actor, tenant.TenantId, nameof(ApiKey), keyId.ToString(), $"prefix={prefix}", CancellationToken.None);
        }
        return revoked;
    }

    /// <summary>The caller a presented key stands for, or why it is refused.</summary>
    public async Task<ApiKeyAuthResult> AuthenticateAsync(string? presented, CancellationToken ct = default)
    {
        if (Parse(presented) is not { } parts)
            return ApiKeyAuthResult.Fail("Api_KeyMalformed");
        await using var db = dbFactory.CreateSystem();
        var holders = KeyHolders(db);
        var row = await db.ApiKeys.AsNoTracking().Where(k => k.Prefix == parts.Prefix)
            .Select(k => new
            {
                k.Id, k.TenantId, k.WorkspaceId, k.SecretHash, k.Status, k.Name, k.Prefix,
                MakerMayAct = k.CreatedByUserId == null || holders.Any(u => u.Id == k.CreatedByUserId && u.TenantId == k.TenantId),
                Licence = db.Tenants.Where(t => t.Id == k.TenantId).Join(db.Licences, t => t.LicenceId, l => l.Id, (t, l) => l).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        // The hash is compared even for a revoked key so timing says nothing about which keys exist.
        if (row is null || !SecretHash.Matches(parts.Secret, row.SecretHash))
            return ApiKeyAuthResult.Fail("Api_KeyUnknown");
        if (row.Status != ApiKeyStatus.Active)
            return ApiKeyAuthResult.Fail("Api_KeyRevoked");
        if (!row.MakerMayAct)
            return ApiKeyAuthResult.Fail("Api_KeyMakerGone");
        var now = clock.GetUtcNow();
        var usable = row.Licence is { } licence && licence.IsUsableAt(now);
        var allowed = usable && row.Licence!.Features.HasFlag(LicenceFeatures.RestApi);
        await TouchAsync(row.Id, now);
        return new ApiKeyAuthResult(new ApiCaller(row.Id, row.TenantId, row.WorkspaceId, row.Name, row.Prefix, allowed, usable), null);
    }

    // At most one write a minute per key: the in-memory throttle skips most, the conditional update the rest (other nodes).
    private async Task TouchAsync(Guid keyId, DateTimeOffset now)
    {
        if (!usage.ShouldWrite(keyId, now))
            return;
        var before = now - ApiKeyUsageThrottle.Interval;
        await using var db = dbFactory.CreateSystem();
        await db.ApiKeys.Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < before))
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), CancellationToken.None);
    }
}

/// <summary>Remembers when each key's LastUsedAt was last written (singleton).</summary>
public sealed class ApiKeyUsageThrottle
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _written = new();

    public bool ShouldWrite(Guid keyId, DateTimeOffset now)
    {
        while (true)
        {
            if (!_written.TryGetValue(keyId, out var last))
            {
                if (_written.TryAdd(keyId, now))
                    return true;
                continue;
            }
            if (now - last < Interval)
                return false;
            if (_written.TryUpdate(keyId, now, last))
                return true;
        }
    }
}

/// <summary>Who calls the API: the key, its tenant, its optional workspace scope and whether the licence allows the API.</summary>
/// <param name="LicenceUsable">The licence is active and not expired; <paramref name="LicenceAllowsApi"/> is that and the REST API feature.</param>
public sealed record ApiCaller(Guid KeyId, Guid TenantId, Guid? WorkspaceId, string Name, string Prefix, bool LicenceAllowsApi, bool LicenceUsable = true)
{
    /// <summary>The key as the audit log names it: its name and public prefix, never the secret.</summary>
    public AuditActor AuditActor(string? ipAddress = null) => new(AuditActorType.ApiKey, KeyId, $"{Name} (kp_{Prefix}_…)", ipAddress);

    /// <summary>A workspace-scoped key sees only its workspace; any other answers not found.</summary>
    public bool MaySee(Guid workspaceId) => WorkspaceId is null || WorkspaceId == workspaceId;
}

/// <param name="Error">Why the key is refused: a code of Core/Common/ProblemText.resx (docs/api-error-codes.md).</param>
public sealed record ApiKeyAuthResult(ApiCaller? Caller, string? Error)
{
    public static ApiKeyAuthResult Fail(string code) => new(null, code);
}

public sealed record ApiKeyCreateResult(Guid? Id, string? FullKey, string? ErrorField, Problem? Problem)
{
    public bool Succeeded => FullKey is not null;
    /// <summary>The problem's sentence in the current UI culture.</summary>
    public string? Error => Problem?.Text;
    public static ApiKeyCreateResult Fail(string field, string code, params object[] args) => new(null, null, field, Common.Problem.Of(code, args));
}

/// <param name="MakerGone">An active key that no longer works: the member who made it was removed, deactivated or demoted.</param>
public sealed record ApiKeyView(Guid Id, string Name, string Prefix, Guid? WorkspaceId, string? WorkspaceName,
    ApiKeyStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, bool MakerGone = false);
