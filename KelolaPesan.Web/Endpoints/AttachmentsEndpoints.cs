using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Web.Accounts;
using KelolaPesan.Web.Components.Pages.Inbox;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KelolaPesan.Web;

/// <summary>
/// Attachments are only ever served here: to a signed-in user of the attachment's tenant who may see its
/// workspace. Anything else is a 404, whether the id exists or not.
/// </summary>
public static class AttachmentsEndpoints
{
    private static readonly HashSet<string> InlineTypes = ["image/jpeg", "image/png", "image/gif", "image/webp"];

    public static IEndpointRouteBuilder MapAttachmentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/attachments/{id:guid}", DownloadAsync).RequireAuthorization();
        return app;
    }

    private static async Task<Results<FileStreamHttpResult, NotFound>> DownloadAsync(
        Guid id, HttpContext context, CurrentUser user, InboxService inbox, IAttachmentStore store, CancellationToken ct)
    {
        if (user.TenantId is null || user.TenantRole is null)
            return TypedResults.NotFound();
        var attachment = await inbox.FindAttachmentAsync(user.ToInboxViewer(), id, ct);
        if (attachment is null || await store.OpenReadAsync(attachment.StorageKey, ct) is not { } content)
            return TypedResults.NotFound();

        // The type was detected from the bytes at upload; only plain raster images may render in the browser.
        var inline = InlineTypes.Contains(attachment.MimeType);
        var headers = context.Response.Headers;
        headers.ContentDisposition = ContentDisposition(inline, attachment.OriginalFileName);
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self'; sandbox";
        headers.CacheControl = "private, max-age=3600";
        return TypedResults.Stream(content, attachment.MimeType, enableRangeProcessing: true);
    }

    /// <summary>RFC 6266 / 5987: only the percent-encoded UTF-8 form, so quotes, CR/LF or ';' in a name cannot break the header.</summary>
    public static string ContentDisposition(bool inline, string fileName) =>
        $"{(inline ? "inline" : "attachment")}; filename*=UTF-8''{Uri.EscapeDataString(string.IsNullOrWhiteSpace(fileName) ? "file" : fileName)}";
}
