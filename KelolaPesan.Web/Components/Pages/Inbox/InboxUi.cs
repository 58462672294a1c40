using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Web.Accounts;

namespace KelolaPesan.Web.Components.Pages.Inbox;

/// <summary>Small helpers the inbox components share.</summary>
public static class InboxUi
{
    public static InboxViewer ToInboxViewer(this CurrentUser user) => new(user.UserId, user.TenantRole ?? UserRole.Agent);

    public static string Initial(string title) =>
        title.FirstOrDefault(char.IsLetterOrDigit) is var c and not '\0' ? char.ToUpperInvariant(c).ToString() : "?";

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / 1024.0 / 1024.0:0.#} MB",
    };
}
