using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Web.Accounts;

namespace KelolaPesan.Web.Components.Pages.Inbox;

/// <summary>Small helpers the inbox components share.</summary>
public static class InboxUi
{
    // The tenant default; every demo and pilot tenant is in Western Indonesia time.
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.TryFindSystemTimeZoneById(Core.Tenancy.Tenant.DefaultTimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    public static InboxViewer ToInboxViewer(this CurrentUser user) => new(user.UserId, user.TenantRole ?? UserRole.Agent);

    public static DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);

    /// <summary>"14:05" today, "03/02" on another day of the year, "03/02/25" before.</summary>
    public static string ListTime(DateTimeOffset at, DateTimeOffset now)
    {
        var local = Local(at);
        var today = Local(now);
        return local.Date == today.Date ? local.ToString("HH:mm") : local.Year == today.Year ? local.ToString("dd/MM") : local.ToString("dd/MM/yy");
    }

    public static string Initial(string title) =>
        title.FirstOrDefault(char.IsLetterOrDigit) is var c and not '\0' ? char.ToUpperInvariant(c).ToString() : "?";

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / 1024.0 / 1024.0:0.#} MB",
    };
}
