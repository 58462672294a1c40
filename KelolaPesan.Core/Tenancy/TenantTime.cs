using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Tenancy;

/// <summary>
/// The tenant's time zone (its settings), never the server's: pages format through the Web's UserClock, exports and
/// reports through <see cref="InZone"/>. An unknown zone id falls back to the default zone rather than failing.
/// </summary>
public static class TenantTime
{
    public static DateTimeOffset InZone(DateTimeOffset at, string? timeZoneId) => TimeZoneInfo.ConvertTime(at, Zone(timeZoneId));

    /// <summary>"UTC+8", "UTC+5:30", "UTC": the zone's offset at that moment (daylight saving included).</summary>
    public static string Offset(TimeZoneInfo zone, DateTimeOffset at)
    {
        var offset = zone.GetUtcOffset(at);
        if (offset == TimeSpan.Zero)
            return "UTC";
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return abs.Minutes == 0 ? $"UTC{sign}{abs.Hours}" : $"UTC{sign}{abs.Hours}:{abs.Minutes:00}";
    }

    /// <summary>The short name shown next to a time: WIB / WITA / WIT for Indonesia's zones (what users read on every
    /// clock there), else the offset.</summary>
    public static string Label(TimeZoneInfo zone, DateTimeOffset at) => zone.Id switch
    {
        "Asia/Jakarta" or "Asia/Pontianak" => "WIB",
        "Asia/Makassar" => "WITA",
        "Asia/Jayapura" => "WIT",
        _ => Offset(zone, at),
    };

    /// <summary>"Asia/Makassar (UTC+8)": the zone named in full, for column headers, tooltips and exports.</summary>
    public static string Name(TimeZoneInfo zone, DateTimeOffset at) => $"{zone.Id} ({Offset(zone, at)})";

    /// <summary>The zone of the tenant that owns a workspace, for exports and reports written outside a page.</summary>
    public static async Task<TimeZoneInfo> OfWorkspaceAsync(IKelolaDb db, Guid workspaceId, CancellationToken ct = default) =>
        Zone(await db.Workspaces.Where(w => w.Id == workspaceId).Join(db.Tenants, w => w.TenantId, t => t.Id, (w, t) => t.TimeZone).FirstOrDefaultAsync(ct));

    public static TimeZoneInfo Zone(string? timeZoneId) =>
        !string.IsNullOrWhiteSpace(timeZoneId) && TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone) ? zone
        : TimeZoneInfo.TryFindSystemTimeZoneById(Tenant.DefaultTimeZone, out var fallback) ? fallback : TimeZoneInfo.Utc;
}
