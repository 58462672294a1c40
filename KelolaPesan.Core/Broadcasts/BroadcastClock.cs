namespace KelolaPesan.Core.Broadcasts;

/// <summary>Times in a tenant's zone: schedules are typed in local time, windows and the daily cap follow the local day.</summary>
public static class BroadcastClock
{
    public static TimeZoneInfo Zone(string? timeZone)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(timeZone) ? Tenancy.Tenant.DefaultTimeZone : timeZone);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.FindSystemTimeZoneById(Tenancy.Tenant.DefaultTimeZone);
        }
    }

    public static DateTimeOffset ToUtc(DateTime local, string? timeZone)
    {
        var zone = Zone(timeZone);
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }

    public static DateTimeOffset ToLocal(DateTimeOffset utc, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(utc, zone);

    /// <summary>True when the local time is in [start, end); a start after the end spans midnight; equal ends mean all day.</summary>
    public static bool InWindow(TimeOnly time, TimeOnly start, TimeOnly end) =>
        start == end || (start < end ? time >= start && time < end : time >= start || time < end);

    /// <summary>The next instant (after <paramref name="now"/>) at which the local clock shows <paramref name="at"/>.</summary>
    public static DateTimeOffset NextLocal(DateTimeOffset now, TimeZoneInfo zone, TimeOnly at)
    {
        var local = ToLocal(now, zone);
        var candidate = local.Date + at.ToTimeSpan();
        if (candidate <= local.DateTime)
            candidate = candidate.AddDays(1);
        return new DateTimeOffset(candidate, zone.GetUtcOffset(candidate)).ToUniversalTime();
    }
}
