namespace KelolaPesan.Core.Automation;

/// <summary>Active days and hours of a rule, in the tenant's local time.</summary>
public static class BotHours
{
    /// <summary>
    /// A window that crosses midnight (22:00-02:00) belongs to the day it starts on: with only Friday active,
    /// Saturday 01:00 is inside and Friday 01:00 is not. No hours (or from == to) means the whole day.
    /// </summary>
    public static bool IsActive(BotRule rule, DateTime local)
    {
        var time = TimeOnly.FromDateTime(local);
        if (rule.ActiveFrom is not { } from || rule.ActiveTo is not { } to || from == to)
            return HasDay(rule.ActiveDays, local.DayOfWeek);
        if (from < to)
            return HasDay(rule.ActiveDays, local.DayOfWeek) && time >= from && time < to;
        return (time >= from && HasDay(rule.ActiveDays, local.DayOfWeek))
               || (time < to && HasDay(rule.ActiveDays, local.AddDays(-1).DayOfWeek));
    }

    public static bool HasDay(ActiveDays days, DayOfWeek day) => days.HasFlag(Flag(day));

    public static ActiveDays Flag(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => ActiveDays.Monday,
        DayOfWeek.Tuesday => ActiveDays.Tuesday,
        DayOfWeek.Wednesday => ActiveDays.Wednesday,
        DayOfWeek.Thursday => ActiveDays.Thursday,
        DayOfWeek.Friday => ActiveDays.Friday,
        DayOfWeek.Saturday => ActiveDays.Saturday,
        _ => ActiveDays.Sunday,
    };

    public static DateTime ToLocal(DateTimeOffset at, string? zoneId) => Tenancy.TenantTime.InZone(at, zoneId).DateTime;
}
