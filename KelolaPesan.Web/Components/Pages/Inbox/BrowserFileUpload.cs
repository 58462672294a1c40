using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Inbox;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Localization;

namespace KelolaPesan.Web.Components.Pages.Inbox;

/// <summary>
/// A file picked in the browser, handed to the inbox's attachment store: the composer and the bot rule editor
/// share it. The policy's limit is checked before reading (and again by the store), and failures come back as text.
/// </summary>
public static class BrowserFileUpload
{
    /// <summary>Runs <paramref name="use"/> with the file's stream for <paramref name="workspaceId"/>; returns an error message, or null when it worked.</summary>
    public static async Task<string?> RunAsync(IBrowserFile file, Guid workspaceId, InboxService inbox, IStringLocalizer<InboxText> text, Func<OutgoingFile, Task> use)
    {
        // The limit of the tenant of the workspace the file goes to (its licence tier's policy).
        if (await inbox.MaxAttachmentBytesAsync(workspaceId) is not { } max)
            return text["Composer_UploadFailed"];
        if (file.Size > max)
            return text["Composer_FileTooLarge", InboxUi.Size(max)];
        try
        {
            await using var content = file.OpenReadStream(max);
            await use(new OutgoingFile(content, file.Name));
            return null;
        }
        catch (AttachmentTooLargeException ex)
        {
            return text["Composer_FileTooLarge", InboxUi.Size(ex.MaxBytes)];
        }
        catch (IOException)
        {
            return text["Composer_UploadFailed"];
        }
    }
}
