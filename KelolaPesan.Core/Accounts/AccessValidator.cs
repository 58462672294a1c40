using System.Collections.Concurrent;
using System.Collections.Immutable;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace KelolaPesan.Core.Accounts;

/// <summary>What a signed-in session claims to be: the account, whether it is an admin, and the stamp it was issued with.</summary>
public sealed record AccessTicket(Guid AccountId, bool IsAdmin, string Stamp);

public sealed class AccessOptions
{
    public const string Section = "Access";
    public static readonly TimeSpan MaxRevalidateEvery = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long one positive check is trusted, and how often an open Blazor circuit asks again.
    /// A change of access reaches a session within about twice this (a circuit's tick may land on a cached answer).
    /// </summary>
    public TimeSpan RevalidateEvery { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The one answer to "may this session still act?": the account exists and is active, its stamp is the one the
/// session carries, and (tenant users and agency owners) its licence is active and not expired. Used by the
/// cookie's revalidation on every request and by open circuits on a timer (docs/adr/0011).
/// Only positive answers are cached: per account, the stamp found valid. A refusal always asks the database again
/// (a reactivated licence or account works at once); a stamp rotated on this node drops the account's entry at once (<see cref="AccessCache.Forget"/>), so
/// a copy of a signed-out cookie, or a member's removed access, is refused immediately, on every node (the bus carries the change).
/// </summary>
public sealed class AccessValidator(IKelolaDbFactory dbFactory, AccessCache cache, IOptions<AccessOptions> options, TimeProvider clock)
{
    public TimeSpan RevalidateEvery => options.Value.RevalidateEvery;

    public async Task<bool> IsValidAsync(AccessTicket ticket, CancellationToken cancellationToken = default)
    {
        if (ticket.Stamp.Length == 0)
            return false;
        var key = (ticket.IsAdmin, ticket.AccountId);
        if (cache.Valid.TryGetValue(key, out string? validStamp) && validStamp == ticket.Stamp)
            return true;

        var valid = ticket.IsAdmin ? await AdminIsValidAsync(ticket, cancellationToken) : await UserIsValidAsync(ticket, cancellationToken);
        if (valid)
            cache.Valid.Set(key, ticket.Stamp, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = RevalidateEvery, Size = 1 });
        return valid;
    }

    /// <summary>Gives the account a new stamp: every session issued before (this browser's included) ends at its next check.</summary>
    public async Task RotateStampAsync(Guid accountId, bool isAdmin, CancellationToken cancellationToken = default)
    {
        var stamp = SecurityStamp.New();
        await using var db = dbFactory.CreateSystem();
        if (isAdmin)
            await db.AdminUsers.Where(a => a.Id == accountId).ExecuteUpdateAsync(s => s.SetProperty(a => a.SecurityStamp, stamp), cancellationToken);
        else
            await db.Users.Where(u => u.Id == accountId).ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, stamp), cancellationToken);
        cache.Forget(accountId, isAdmin, wakeOpenPages: false);
    }

    private async Task<bool> AdminIsValidAsync(AccessTicket ticket, CancellationToken ct)
    {
        await using var db = dbFactory.CreateSystem();
        var admin = await db.AdminUsers.AsNoTracking().Where(a => a.Id == ticket.AccountId)
            .Select(a => new { a.IsActive, a.SecurityStamp }).FirstOrDefaultAsync(ct);
        return admin is { IsActive: true } && admin.SecurityStamp == ticket.Stamp;
    }

    private async Task<bool> UserIsValidAsync(AccessTicket ticket, CancellationToken ct)
    {
        await using var db = dbFactory.CreateSystem();
        // One round trip: the user and the licence of its tenant (or, for an agency owner, of its agency), as scalar
        // subqueries (SQLite has no APPLY for a row-valued one).
        var row = await db.Users.AsNoTracking().Where(u => u.Id == ticket.AccountId)
            .Select(u => new
            {
                u.IsActive,
                u.SecurityStamp,
                LicenceStatus = db.Licences
                    .Where(l => db.Tenants.Any(t => t.Id == u.TenantId && t.LicenceId == l.Id) || db.Agencies.Any(a => a.Id == u.AgencyId && a.LicenceId == l.Id))
                    .Select(l => (LicenceStatus?)l.Status).FirstOrDefault(),
                LicenceExpiresAt = db.Licences
                    .Where(l => db.Tenants.Any(t => t.Id == u.TenantId && t.LicenceId == l.Id) || db.Agencies.Any(a => a.Id == u.AgencyId && a.LicenceId == l.Id))
                    .Select(l => l.ExpiresAt).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (row is not { IsActive: true } || row.SecurityStamp != ticket.Stamp || row.LicenceStatus is not { } status)
            return false;
        var licence = new Licence { Status = status, ExpiresAt = row.LicenceExpiresAt };
        return licence.IsUsableAt(clock.GetUtcNow());
    }
}

/// <summary>
/// The positive answers of <see cref="AccessValidator"/>, shared by every request and circuit of this node (singleton).
/// A change of an account's access (<see cref="Forget"/>) drops its answer on every node through the bus (an
/// <see cref="AccessChanged"/> on the platform topic) and tells the open circuits that watch the account, so an open
/// page asks again at once instead of at its next timer tick (docs/adr/0037).
/// </summary>
public sealed class AccessCache : IDisposable
{
    /// <summary>Entries are one per signed-in account; past the limit a check simply asks the database.</summary>
    public const int SizeLimit = 20_000;

    private readonly IRealtimeBus? _bus;
    private readonly IDisposable? _subscription;
    private readonly ConcurrentDictionary<(bool IsAdmin, Guid AccountId), ImmutableList<Action>> _watchers = new();

    public AccessCache(IRealtimeBus? bus = null)
    {
        _bus = bus;
        _subscription = bus?.Subscribe(Topics.Platform, evt =>
        {
            if (evt is AccessChanged changed)
                Changed(changed.AccountId, changed.IsAdmin, changed.WakeOpenPages);
            return Task.CompletedTask;
        });
    }

    internal MemoryCache Valid { get; } = new(new MemoryCacheOptions { SizeLimit = SizeLimit });

    /// <summary>
    /// Drops the account's kept answer after a change of its access (stamp, role, workspaces, active, removal): at once
    /// here (the caller's next check asks the database), and on the other nodes through the bus; open circuits of the
    /// account ask again at once unless the person did it themselves (<paramref name="wakeOpenPages"/> false: signing
    /// out, their own password): their own page goes on to sign-in by itself, and their other pages within the timer.
    /// </summary>
    public void Forget(Guid accountId, bool isAdmin, bool wakeOpenPages = true)
    {
        Valid.Remove((isAdmin, accountId));
        if (_bus is null)
            Changed(accountId, isAdmin, wakeOpenPages);
        else
            // The bus never throws nor waits for subscribers (an outage is logged): the circuits' timers still ask.
            _bus.PublishAsync(Topics.Platform, new AccessChanged(accountId, isAdmin, wakeOpenPages));
    }

    /// <summary>Calls <paramref name="onChange"/> (on the bus's thread) whenever the account's access changes, until disposed.</summary>
    public IDisposable Watch(Guid accountId, bool isAdmin, Action onChange)
    {
        var key = (isAdmin, accountId);
        _watchers.AddOrUpdate(key, _ => [onChange], (_, list) => list.Add(onChange));
        return new Unwatch(() =>
        {
            while (_watchers.TryGetValue(key, out var list))
            {
                var rest = list.Remove(onChange);
                if (rest.IsEmpty ? _watchers.TryRemove(new(key, list)) : _watchers.TryUpdate(key, rest, list))
                    return;
            }
        });
    }

    private void Changed(Guid accountId, bool isAdmin, bool wakeOpenPages)
    {
        Valid.Remove((isAdmin, accountId));
        if (wakeOpenPages && _watchers.TryGetValue((isAdmin, accountId), out var list))
            foreach (var watcher in list)
                watcher();
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        Valid.Dispose();
    }

    private sealed class Unwatch(Action action) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
                action();
        }
    }
}
