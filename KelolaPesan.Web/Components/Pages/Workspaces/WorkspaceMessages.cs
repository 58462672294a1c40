using KelolaPesan.Core.Workspaces;
using Microsoft.Extensions.Localization;

namespace KelolaPesan.Web.Components.Pages.Workspaces;

/// <summary>The user's words for a failed workspace operation.</summary>
public static class WorkspaceMessages
{
    public static string Of(IStringLocalizer<WorkspacesText> t, WorkspaceResult result) =>
        t[$"Error_{result.Error}", result.Detail ?? ""];
}
