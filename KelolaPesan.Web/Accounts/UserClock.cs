using System.Globalization;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Web.Accounts;

/// <summary>How a time is written: date and time, date only, time only, or the inbox list's short form.</summary>
public enum WhenFormat { DateTime, Date, Time, Short }

/// <summary>
/// The one clock every page shows times with: the tenant's own time zone (its setting), formatted with the culture
/// the user's circuit started in. A tenant user sees the tenant's zone; platform admins and agency owners, who have
/// no tenant, see the platform's zone (<see cref="Tenant.DefaultTimeZone"/>, WIB), always labelled (ADR 0019).
/// The culture is captured once: live updates render on the bus's thread, whose culture is not the user's, and
/// "21.28" turned into "21:28" after an update.
/// </summary>
public sealed class UserClock(CurrentUser user, IKelolaDbFactory dbFactory, TimeProvider time)
{
    private Task? _loading;

    public CultureInfo Culture { get; private set; } = CultureInfo.CurrentCulture;
    public TimeZoneInfo Zone { get; private set; } = TenantTime.Zone(null);

    /// <summary>True when the zone is the tenant's own; false for platform pages (admin, agency).</summary>
    public bool IsTenantZone { get; private set; }

    /// <summary>Reads the tenant's zone once per scope (request or circuit); later calls return the same task.</summary>
    public Task ReadyAsync() => _loading ??= LoadAsync();

    /// <summary>Called where the circuit starts, in the user's request culture.</summary>
    public void CaptureCulture(CultureInfo culture) => Culture = culture;

    /// <summary>After the tenant's settings change, so the rest of this circuit shows the new zone.</summary>
    public void UseZone(string? timeZoneId)
    {
        Zone = TenantTime.Zone(timeZoneId);
        _loading = Task.CompletedTask;
    }

    private async Task LoadAsync()
    {
        if (user.TenantId is not { } tenantId || user.IsAdmin)
            return;
        await using var db = dbFactory.CreateForTenant(tenantId);
        Zone = TenantTime.Zone(await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.TimeZone).FirstOrDefaultAsync());
        IsTenantZone = true;
    }

    public DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);

    /// <summary>The calendar day the instant falls on in the zone: 23:30 UTC is already the next day in WIB.</summary>
    public DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(Local(at).DateTime);

    /// <summary>Today in the zone, read from the clock at each call (a page left open past midnight moves on).</summary>
    public DateOnly Today => Day(time.GetUtcNow());

    /// <summary>The instant a day picked on a calendar begins in the zone (midnight there), for filters "from/before this day".</summary>
    public DateTimeOffset StartOfDay(DateTime day)
    {
        var local = DateTime.SpecifyKind(day.Date, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>"WITA", "WIB", "UTC+2": the zone's short name now.</summary>
    public string ZoneLabel => TenantTime.Label(Zone, time.GetUtcNow());

    /// <summary>"Asia/Makassar (UTC+8)", for column headers and tooltips.</summary>
    public string ZoneName => TenantTime.Name(Zone, time.GetUtcNow());

    public string Format(DateTimeOffset? at, WhenFormat format = WhenFormat.DateTime, bool withZone = false)
    {
        if (at is not { } value)
            return "—";
        var local = Local(value);
        var text = format switch
        {
            WhenFormat.Date => local.ToString("d", Culture),
            WhenFormat.Time => local.ToString("t", Culture),
            WhenFormat.Short => ShortForm(local),
            _ => local.ToString("g", Culture),
        };
        return withZone ? $"{text} {TenantTime.Label(Zone, value)}" : text;
    }

    /// <summary>ISO 8601 with the zone's offset, for the datetime attribute of a &lt;time&gt; element.</summary>
    public string Iso(DateTimeOffset at) => Local(at).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    // The inbox list: the time today, the day and month this year, the date before.
    private string ShortForm(DateTimeOffset local)
    {
        var today = Local(time.GetUtcNow());
        return local.Date == today.Date ? local.ToString("t", Culture)
            : local.Year == today.Year ? local.ToString("d MMM", Culture)
            : local.ToString("d", Culture);
    }
}
