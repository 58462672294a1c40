using System.Globalization;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KelolaPesan.Core.Instagram;

/// <summary>
/// The Send API takes a DM's file by URL only (Instagram API with Instagram Login has no upload): Meta fetches it from
/// us. The URL carries a Data Protection token (keys in the database, so any node serves it) naming the tenant and the
/// attachment, valid for <see cref="Lifetime"/>: long enough for Meta's fetch, too short to be a lasting public link.
/// Nothing else of ours is served without a sign-in.
/// </summary>
public sealed class InstagramMediaLinks(ISecretProtector secrets, IKelolaDbFactory dbFactory, IAttachmentStore store,
    IOptionsMonitor<InstagramOptions> instagram, IOptions<GatewayOptions> gateway, TimeProvider clock)
{
    public const string Path = "/instagram/media";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private const string Purpose = "KelolaPesan.Instagram.MediaLink";

    /// <summary>The public URL of the attachment; the file name at the end is what the customer sees for a document.</summary>
    public string UrlFor(Guid tenantId, Guid attachmentId, string fileName)
    {
        var baseUrl = instagram.CurrentValue.PublicBaseUrl is { Length: > 0 } own ? own
            : gateway.Value.PublicBaseUrl ?? throw new InvalidOperationException("Instagram:PublicBaseUrl is not configured.");
        var expires = (clock.GetUtcNow() + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var token = secrets.Protect(Purpose, $"{tenantId:N}|{attachmentId:N}|{expires}");
        return $"{baseUrl.TrimEnd('/')}{Path}/{token}/{Uri.EscapeDataString(string.IsNullOrWhiteSpace(fileName) ? "file" : fileName)}";
    }

    /// <summary>The attachment and its bytes for a token from <see cref="UrlFor"/>; null when tampered, expired or gone.</summary>
    public async Task<(Attachment Attachment, Stream Content)?> OpenAsync(string token, CancellationToken ct = default)
    {
        if (Read(token) is not var (tenantId, attachmentId))
            return null;
        Attachment? attachment;
        await using (var db = dbFactory.CreateForTenant(tenantId))
            attachment = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attachmentId, ct);
        if (attachment is null || await store.OpenReadAsync(attachment.StorageKey, ct) is not { } content)
            return null;
        return (attachment, content);
    }

    private (Guid TenantId, Guid AttachmentId)? Read(string token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 1000)
            return null;
        string? plain;
        try
        {
            plain = secrets.Unprotect(Purpose, token);
        }
        catch (FormatException)
        {
            return null;
        }
        var parts = plain?.Split('|');
        if (parts is not [var tenant, var attachment, var expires]
            || !Guid.TryParseExact(tenant, "N", out var tenantId) || !Guid.TryParseExact(attachment, "N", out var attachmentId)
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            || clock.GetUtcNow().ToUnixTimeSeconds() > expiresAt)
            return null;
        return (tenantId, attachmentId);
    }
}
