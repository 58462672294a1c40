using System.Globalization;

namespace KelolaPesan.Core.Tenancy;

/// <summary>
/// Shows a stored UTC time in the tenant's time zone (its settings), never the server's: pages call this instead of
/// ToLocalTime. An unknown zone id falls back to the default zone rather than failing the page.
/// </summary>
public static class TenantTime
{
    public static DateTimeOffset InZone(DateTimeOffset at, string? timeZoneId) => TimeZoneInfo.ConvertTime(at, Zone(timeZoneId));

    /// <summary>The time in the tenant's zone, formatted for the current culture ("g": short date and time); "—" for none.</summary>
    public static string Format(DateTimeOffset? at, string? timeZoneId, string format = "g") =>
        at is { } a ? InZone(a, timeZoneId).ToString(format, CultureInfo.CurrentCulture) : "—";

    public static TimeZoneInfo Zone(string? timeZoneId) =>
        !string.IsNullOrWhiteSpace(timeZoneId) && TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone) ? zone
        : TimeZoneInfo.TryFindSystemTimeZoneById(Tenant.DefaultTimeZone, out var fallback) ? fallback : TimeZoneInfo.Utc;
}
