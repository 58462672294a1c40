using MudBlazor;

namespace KelolaPesan.Web.Components.Shared;

public static class ConfirmDialogExtensions
{
    /// <summary>Asks before a destructive action; true only when the user pressed <paramref name="yes"/>.</summary>
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string message, string yes, string no)
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Message, message },
            { d => d.YesText, yes },
            { d => d.NoText, no },
        };
        var dialog = await dialogs.ShowAsync<ConfirmDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true });
        return await dialog.Result is { Canceled: false };
    }
}
