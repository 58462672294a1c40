using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.ExternalApi;

/// <summary>
/// Claims an <c>Idempotency-Key</c> for one API request before it acts (the unique (API key, Idempotency-Key) index
/// lets only one request in, even two at once), then stores its answer or releases the key. A request that comes with
/// a key already claimed gets the first answer, 409 while the first still runs, or 422 when it is another request.
/// </summary>
public sealed class ApiIdempotencyService(IKelolaDbFactory dbFactory)
{
    public async Task<ApiIdempotencyClaim> ClaimAsync(ApiCaller caller, ApiIdempotencyKey key, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await TryClaimAsync(caller, key, ct) is { } claim)
                return claim;
            // Released between our insert and the read (the first request did nothing): this one may go ahead, once.
            if (attempt == 1)
                throw new InvalidOperationException("The Idempotency-Key could be neither stored nor found.");
        }
    }

    private async Task<ApiIdempotencyClaim?> TryClaimAsync(ApiCaller caller, ApiIdempotencyKey key, CancellationToken ct)
    {
        var record = new ApiIdempotencyRecord { TenantId = caller.TenantId, ApiKeyId = caller.KeyId, Key = key.Key, Fingerprint = key.Fingerprint };
        await using (var db = dbFactory.CreateForTenant(caller.TenantId))
        {
            db.ApiIdempotencyRecords.Add(record);
            try
            {
                await db.SaveChangesAsync(ct);
                return new ApiIdempotencyClaim(ApiIdempotencyClaimKind.Claimed, record);
            }
            catch (DbUpdateException)
            {
                // The key is taken: read the first request's record below.
            }
        }
        await using var check = dbFactory.CreateForTenant(caller.TenantId);
        var first = await check.ApiIdempotencyRecords.AsNoTracking()
            .FirstOrDefaultAsync(r => r.ApiKeyId == caller.KeyId && r.Key == key.Key, CancellationToken.None);
        if (first is null)
            return null;
        if (first.Fingerprint is not null && !first.Fingerprint.AsSpan().SequenceEqual(key.Fingerprint))
            return new ApiIdempotencyClaim(ApiIdempotencyClaimKind.KeyReused, first);
        return new ApiIdempotencyClaim(first.StatusCode == 0 ? ApiIdempotencyClaimKind.InProgress : ApiIdempotencyClaimKind.Repeat, first);
    }

    /// <summary>Stores the answer a repeat will get.</summary>
    public async Task CompleteAsync(ApiIdempotencyRecord record, int statusCode, string responseJson)
    {
        await using var db = dbFactory.CreateForTenant(record.TenantId);
        await db.ApiIdempotencyRecords.Where(r => r.Id == record.Id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.StatusCode, statusCode).SetProperty(r => r.ResponseJson, responseJson), CancellationToken.None);
    }

    /// <summary>
    /// The request did nothing (it was refused, or failed before acting): the key is free again, so the client's retry
    /// acts instead of answering "in progress" until the record expires.
    /// </summary>
    public async Task ReleaseAsync(ApiIdempotencyRecord record)
    {
        await using var db = dbFactory.CreateForTenant(record.TenantId);
        await db.ApiIdempotencyRecords.Where(r => r.Id == record.Id && r.StatusCode == 0).ExecuteDeleteAsync(CancellationToken.None);
    }
}

public sealed record ApiIdempotencyClaim(ApiIdempotencyClaimKind Kind, ApiIdempotencyRecord Record);

public enum ApiIdempotencyClaimKind { Claimed, Repeat, InProgress, KeyReused }
