namespace KelolaPesan.Core.Instagram;

/// <summary>Bound from the "Instagram" section. Base URLs are configurable so tests point them at a fake Graph server.</summary>
public sealed class InstagramOptions
{
    public const string SectionName = "Instagram";

    /// <summary>The scopes Business Login asks for: profile and media, comments, messages.</summary>
    public const string Scopes = "instagram_business_basic,instagram_business_manage_comments,instagram_business_manage_messages";

    public string AppId { get; set; } = "";

    public string AppSecret { get; set; } = "";

    /// <summary>The token Meta echoes in the webhook GET handshake.</summary>
    public string VerifyToken { get; set; } = "";

    public string GraphVersion { get; set; } = "v25.0";

    public string AuthorizeBaseUrl { get; set; } = "https://www.instagram.com";

    public string TokenBaseUrl { get; set; } = "https://api.instagram.com";

    public string GraphBaseUrl { get; set; } = "https://graph.instagram.com";

    /// <summary>The OAuth redirect URI registered with Meta; empty means this app's own <c>/instagram/callback</c> on the request's host.</summary>
    public string RedirectUri { get; set; } = "";

    /// <summary>
    /// The address Meta fetches the files of our DMs from (e.g. "https://app.example.com"); empty means the gateway's
    /// <c>Gateway:PublicBaseUrl</c>. Must be reachable from the internet for files to reach Instagram.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    public int MediaPageSize { get; set; } = 25;

    /// <summary>The budget for one call, retries included.</summary>
    public double TimeoutSeconds { get; set; } = 30;

    public double AttemptTimeoutSeconds { get; set; } = 10;

    /// <summary>Retries of GETs only: a send that timed out may have been delivered.</summary>
    public int MaxRetries { get; set; } = 2;

    public double RetryDelaySeconds { get; set; } = 1;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(AppSecret);
}
