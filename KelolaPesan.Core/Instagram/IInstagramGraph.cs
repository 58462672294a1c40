namespace KelolaPesan.Core.Instagram;

/// <summary>
/// The Instagram API with Instagram Login (INSTAGRAM.md), neutral of HTTP. Every failure is an
/// <see cref="InstagramGraphException"/> whose <see cref="InstagramGraphException.Kind"/> tells the caller what to do.
/// Ids are strings: Instagram ids are 17 digits and must never pass through a double.
/// </summary>
public interface IInstagramGraph
{
    /// <summary>The Business Login URL to send the browser to.</summary>
    string AuthorizeUrl(string state, string redirectUri);

    /// <summary>Trades the authorization code (a trailing <c>#_</c> is stripped) for a short-lived token.</summary>
    Task<InstagramShortToken> ExchangeCodeAsync(string code, string redirectUri, CancellationToken ct);

    Task<InstagramLongToken> ExchangeLongLivedAsync(string shortToken, CancellationToken ct);

    /// <summary>Extends a long-lived token (at least 24 h old and not expired) by another ~60 days.</summary>
    Task<InstagramLongToken> RefreshAsync(string longToken, CancellationToken ct);

    Task<InstagramProfile> GetProfileAsync(string token, CancellationToken ct);

    /// <summary>Subscribes the account to the <c>comments</c> and <c>messages</c> webhook fields.</summary>
    Task SubscribeAsync(string token, CancellationToken ct);

    Task UnsubscribeAsync(string token, CancellationToken ct);

    /// <summary>One page of posts and reels, newest first; <see cref="InstagramMediaPage.After"/> is null on the last page.</summary>
    Task<InstagramMediaPage> GetMediaPageAsync(string token, string userId, string? after, CancellationToken ct);

    /// <summary>The one private reply Meta allows to a comment (within 7 days of it); returns the message id.</summary>
    Task<string> SendPrivateReplyAsync(string token, string igUserId, string commentId, string text, CancellationToken ct);

    /// <summary>A public reply under a top-level comment; returns the reply's comment id.</summary>
    Task<string> ReplyToCommentAsync(string token, string commentId, string text, CancellationToken ct);

    /// <summary>A DM to an Instagram-scoped user id, only within 24 h of their last message; returns the message id.</summary>
    Task<string> SendDirectMessageAsync(string token, string igUserId, string recipientIgsid, string text, CancellationToken ct);

    /// <summary>
    /// A DM carrying one file that Meta fetches from <paramref name="url"/> (<c>message.attachment</c> with <c>type</c> and
    /// <c>payload.url</c>); the same 24-hour window as text. Returns the message id.
    /// </summary>
    Task<string> SendDirectAttachmentAsync(string token, string igUserId, string recipientIgsid, InstagramAttachmentType type, string url, CancellationToken ct);
}

public sealed record InstagramShortToken(string AccessToken, string UserId, IReadOnlyList<string> Permissions);

public sealed record InstagramLongToken(string AccessToken, TimeSpan ExpiresIn);

/// <param name="UserId">The id webhooks carry as <c>entry.id</c>.</param>
public sealed record InstagramProfile(string UserId, string Username, string? Name, string? ProfilePictureUrl);

public sealed record InstagramMediaItem(
    string Id,
    string? Caption,
    string? MediaType,
    string? Permalink,
    DateTimeOffset? Timestamp,
    string? MediaUrl,
    string? ThumbnailUrl,
    int CommentsCount)
{
    /// <summary>Videos carry a thumbnail; images are their own.</summary>
    public string? PreviewUrl => ThumbnailUrl ?? (MediaType == "VIDEO" ? null : MediaUrl);
}

public sealed record InstagramMediaPage(IReadOnlyList<InstagramMediaItem> Items, string? After);
