using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Tests.Instagram;

/// <summary>
/// The Instagram hosts (authorize, token, Graph) on one loopback port: Business Login, tokens, profile,
/// subscriptions, paged media, private replies, DMs and comment replies (INSTAGRAM.md). Every request is
/// recorded; <see cref="FailNext"/> answers Graph errors. Any non-empty token is accepted unless revoked,
/// so tests may seed accounts with tokens of their own. Signing here deliberately does not use product code.
/// </summary>
public sealed class FakeGraphServer : IAsyncDisposable
{
    public const string AppId = "1234567890";
    public const string AppSecret = "fake-app-secret";
    public const string GraphVersion = "v25.0";
    public const string UserId = "17841400000000001";
    public const string Username = "toko.fake";
    public const string DisplayName = "Toko Fake";
    public const long LongLivedSeconds = 5_184_000;

    private static readonly HttpClient WebhookClient = new();

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<GraphRequest> _requests = new();
    private readonly ConcurrentDictionary<string, string> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _revoked = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SentMessage> _messages = new();
    private readonly ConcurrentQueue<SentCommentReply> _commentReplies = new();
    private readonly Lock _faults = new();
    private readonly List<GraphFault> _pendingFaults = [];
    private int _counter;

    private FakeGraphServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The posts and reels served by <c>/{id}/media</c>, newest first (30 by default: two pages of 25).</summary>
    public List<JsonObject> Media { get; } = [.. Enumerable.Range(1, 30).Select(DefaultMedia)];

    /// <summary>The token endpoint answers the flat shape instead of <c>{data: [...]}</c>.</summary>
    public bool FlatTokenShape { get; set; }

    public string ProfileUsername { get; set; } = Username;

    public bool Subscribed { get; private set; }

    public string? SubscribedFields { get; private set; }

    public IReadOnlyList<GraphRequest> Requests => [.. _requests];

    public IReadOnlyList<GraphRequest> RequestsTo(string method, string path) =>
        Requests.Where(r => r.Method == method && r.Path == path).ToList();

    /// <summary>Private replies (<see cref="SentMessage.CommentId"/> set) and DMs (<see cref="SentMessage.RecipientId"/> set), in order.</summary>
    public IReadOnlyList<SentMessage> Messages => [.. _messages];

    public IReadOnlyList<SentMessage> PrivateReplies => Messages.Where(m => m.CommentId is not null).ToList();

    public IReadOnlyList<SentMessage> DirectMessages => Messages.Where(m => m.RecipientId is not null).ToList();

    public IReadOnlyList<SentCommentReply> CommentReplies => [.. _commentReplies];

    /// <summary>The tokens the fake issued (short, long, refreshed), in order.</summary>
    public List<string> IssuedTokens { get; } = [];

    /// <summary>Settings for a host under test: every base URL here, the fake app id and secret.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Instagram:AppId"] = AppId,
        ["Instagram:AppSecret"] = AppSecret,
        ["Instagram:VerifyToken"] = "fake-verify-token",
        ["Instagram:GraphVersion"] = GraphVersion,
        ["Instagram:AuthorizeBaseUrl"] = BaseAddress.ToString().TrimEnd('/'),
        ["Instagram:TokenBaseUrl"] = BaseAddress.ToString().TrimEnd('/'),
        ["Instagram:GraphBaseUrl"] = BaseAddress.ToString().TrimEnd('/'),
    };

    public static async Task<FakeGraphServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var server = new FakeGraphServer(app);
        server.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>
    /// The next <paramref name="count"/> calls (whose path contains <paramref name="pathContains"/>, when given)
    /// answer a Graph error <c>{error: {message, type, code, error_subcode}}</c> with <paramref name="httpStatus"/>.
    /// </summary>
    public void FailNext(int count, int code, int? subcode = null, int httpStatus = 400, string? pathContains = null, string message = "fake Graph error")
    {
        lock (_faults)
            _pendingFaults.Add(new GraphFault(count, code, subcode, httpStatus, pathContains, message));
    }

    /// <summary>Every later call with this token answers 190, as Graph does for a revoked or expired token.</summary>
    public void RevokeToken(string token) => _revoked[token] = true;

    /// <summary>A token the fake accepts, as if issued earlier (for accounts seeded straight into the database).</summary>
    public string IssueToken(string kind = "long")
    {
        var token = $"IG{kind}-{Interlocked.Increment(ref _counter)}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(6))}";
        lock (IssuedTokens)
            IssuedTokens.Add(token);
        return token;
    }

    /// <summary>An authorization code for <paramref name="redirectUri"/>, as the authorize page would hand out.</summary>
    public string IssueCode(string redirectUri)
    {
        var code = $"fake-code-{Interlocked.Increment(ref _counter)}";
        _codes[code] = redirectUri;
        return code;
    }

    public static JsonObject DefaultMedia(int n) => new()
    {
        ["id"] = (18000000000000000L + n).ToString(CultureInfo.InvariantCulture),
        ["caption"] = $"Fake post {n}",
        ["media_type"] = n % 5 == 0 ? "VIDEO" : "IMAGE",
        ["permalink"] = $"https://www.instagram.com/p/fake{n}/",
        ["timestamp"] = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddHours(-n).ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture),
        ["media_url"] = $"https://cdn.fake/{n}.jpg",
        ["thumbnail_url"] = n % 5 == 0 ? $"https://cdn.fake/{n}-thumb.jpg" : null,
        ["comments_count"] = n,
    };

    // ---- webhooks and signed requests, for tests that play Meta ----

    public static string SignatureHeader(byte[] body, string appSecret = AppSecret) =>
        "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body)).ToLowerInvariant();

    /// <summary>Posts a webhook as Meta does: JSON with <c>X-Hub-Signature-256</c> over the raw body (unless <paramref name="signature"/> overrides it; "" sends none).</summary>
    public static async Task<HttpResponseMessage> PostWebhookAsync(Uri url, JsonNode envelope, string appSecret = AppSecret, string? signature = null, CancellationToken ct = default)
    {
        var body = Encoding.UTF8.GetBytes(envelope.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        var header = signature ?? SignatureHeader(body, appSecret);
        if (header.Length > 0)
            request.Headers.Add("X-Hub-Signature-256", header);
        return await WebhookClient.SendAsync(request, ct);
    }

    /// <summary><c>{object: "instagram", entry: [{id, time, changes: [{field: "comments", value}]}]}</c>.</summary>
    public static JsonObject CommentWebhook(string commentId, string text, string fromId, string? fromUsername, string mediaId,
        string entryId = UserId, string? parentId = null, string mediaProductType = "FEED")
    {
        var value = new JsonObject
        {
            ["id"] = commentId,
            ["text"] = text,
            ["from"] = new JsonObject { ["id"] = fromId, ["username"] = fromUsername },
            ["media"] = new JsonObject { ["id"] = mediaId, ["media_product_type"] = mediaProductType },
        };
        if (parentId is not null)
            value["parent_id"] = parentId;
        return Envelope(new JsonObject
        {
            ["id"] = entryId,
            ["time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["changes"] = new JsonArray(new JsonObject { ["field"] = "comments", ["value"] = value }),
        });
    }

    /// <summary><c>{object: "instagram", entry: [{id, time, messaging: [{sender, recipient, timestamp, message}]}]}</c>.</summary>
    public static JsonObject MessageWebhook(string mid, string senderId, string? text, string entryId = UserId, string? recipientId = null, bool isEcho = false, long? timestampMs = null)
    {
        var message = new JsonObject { ["mid"] = mid, ["text"] = text };
        if (isEcho)
            message["is_echo"] = true;
        return Envelope(new JsonObject
        {
            ["id"] = entryId,
            ["time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["messaging"] = new JsonArray(new JsonObject
            {
                ["sender"] = new JsonObject { ["id"] = senderId },
                ["recipient"] = new JsonObject { ["id"] = recipientId ?? entryId },
                ["timestamp"] = timestampMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                ["message"] = message,
            }),
        });
    }

    public static JsonObject Envelope(params JsonObject[] entries) =>
        new() { ["object"] = "instagram", ["entry"] = new JsonArray([.. entries]) };

    /// <summary>Meta's <c>signed_request</c>: <c>b64url(HMAC-SHA256(payload segment, secret)) + "." + b64url(payload)</c>.</summary>
    public static string SignedRequest(string userId, string appSecret = AppSecret, long? issuedAt = null)
    {
        var payload = new JsonObject
        {
            ["algorithm"] = "HMAC-SHA256",
            ["issued_at"] = issuedAt ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["user_id"] = userId,
        };
        var segment = B64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.ASCII.GetBytes(segment));
        return B64Url(signature) + "." + segment;
    }

    public static string B64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // ---- the fake hosts ----

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            var path = context.Request.Path.Value ?? "";
            _requests.Enqueue(new GraphRequest(context.Request.Method, path, context.Request.QueryString.Value ?? "", body,
                Token(context.Request), context.Request.Headers.Accept.ToString()));

            GraphFault? fault = null;
            lock (_faults)
            {
                var index = _pendingFaults.FindIndex(f => f.PathContains is null || path.Contains(f.PathContains, StringComparison.Ordinal));
                if (index >= 0)
                {
                    fault = _pendingFaults[index];
                    _pendingFaults[index] = fault with { Count = fault.Count - 1 };
                    if (fault.Count <= 1)
                        _pendingFaults.RemoveAt(index);
                }
            }
            if (fault is not null)
            {
                await Error(fault.HttpStatus, fault.Code, fault.Subcode, fault.Message).ExecuteAsync(context);
                return;
            }
            await next(context);
        });

        app.MapGet("/oauth/authorize", (string client_id, string redirect_uri, string? state, string? response_type) =>
        {
            if (client_id != AppId || response_type != "code")
                return Results.BadRequest("Invalid client or response type");
            var code = IssueCode(redirect_uri);
            var separator = redirect_uri.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            // Instagram appends "#_" to the redirect; browsers keep fragments to themselves.
            return Results.Redirect($"{redirect_uri}{separator}code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state ?? "")}#_");
        });

        app.MapPost("/oauth/access_token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (form["client_id"] != AppId || form["client_secret"] != AppSecret || form["grant_type"] != "authorization_code")
                return OAuthError("Invalid client_id or client_secret");
            var code = form["code"].ToString();
            if (!_codes.TryRemove(code, out var redirect) || redirect != form["redirect_uri"])
                return OAuthError("This authorization code has been used or is invalid");
            var token = IssueToken("short");
            const string permissions = "instagram_business_basic,instagram_business_manage_comments,instagram_business_manage_messages";
            return FlatTokenShape
                ? Results.Text($"{{\"access_token\":\"{token}\",\"user_id\":{UserId},\"permissions\":[{string.Join(',', permissions.Split(',').Select(p => $"\"{p}\""))}]}}", "application/json")
                : Results.Json(new { data = new[] { new { access_token = token, user_id = UserId, permissions } } });
        });

        app.MapGet("/access_token", (HttpRequest request) =>
        {
            if (request.Query["grant_type"] != "ig_exchange_token" || request.Query["client_secret"] != AppSecret)
                return Error(400, 100, null, "Invalid grant or secret");
            return ValidToken(request) is null
                ? TokenError()
                : Results.Json(new { access_token = IssueToken("long"), token_type = "bearer", expires_in = LongLivedSeconds });
        });

        app.MapGet("/refresh_access_token", (HttpRequest request) =>
        {
            if (request.Query["grant_type"] != "ig_refresh_token")
                return Error(400, 100, null, "Invalid grant");
            return ValidToken(request) is null
                ? TokenError()
                : Results.Json(new { access_token = IssueToken("long"), token_type = "bearer", expires_in = LongLivedSeconds });
        });

        app.MapGet("/{ver}/me", (HttpRequest request) =>
            ValidToken(request) is null
                ? TokenError()
                : Results.Json(new { id = "9000000000000001", user_id = UserId, username = ProfileUsername, name = DisplayName, profile_picture_url = "https://cdn.fake/profile.jpg" }));

        app.MapPost("/{ver}/me/subscribed_apps", (HttpRequest request, string? subscribed_fields) =>
        {
            if (ValidToken(request) is null)
                return TokenError();
            (Subscribed, SubscribedFields) = (true, subscribed_fields);
            return Results.Json(new { success = true });
        });
        app.MapDelete("/{ver}/me/subscribed_apps", (HttpRequest request) =>
        {
            if (ValidToken(request) is null)
                return TokenError();
            (Subscribed, SubscribedFields) = (false, null);
            return Results.Json(new { success = true });
        });

        app.MapGet("/{ver}/{id}/media", (HttpRequest request, string ver, string id, int? limit, string? after) =>
        {
            if (ValidToken(request) is null)
                return TokenError();
            if (id != UserId)
                return Error(400, 100, 33, "Unsupported get request. Object does not exist");
            var size = Math.Clamp(limit ?? 25, 1, 100);
            var start = after is null ? 0 : int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(after)), CultureInfo.InvariantCulture);
            var page = Media.Skip(start).Take(size).Select(m => m.DeepClone()).ToArray();
            var paging = new JsonObject
            {
                ["cursors"] = new JsonObject
                {
                    ["before"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(start.ToString(CultureInfo.InvariantCulture))),
                    ["after"] = Convert.ToBase64String(Encoding.UTF8.GetBytes((start + page.Length).ToString(CultureInfo.InvariantCulture))),
                },
            };
            if (start + page.Length < Media.Count)
                paging["next"] = $"{BaseAddress}{ver}/{id}/media?limit={size}&after={paging["cursors"]!["after"]}";
            return Results.Json(new JsonObject { ["data"] = new JsonArray(page), ["paging"] = paging });
        });

        app.MapPost("/{ver}/{id}/messages", async (HttpRequest request, string id, JsonObject body) =>
        {
            if (ValidToken(request) is null)
                return TokenError();
            var recipient = body["recipient"]?.AsObject();
            var text = body["message"]?["text"]?.GetValue<string>();
            var attachment = body["message"]?["attachment"]?.AsObject();
            if (recipient is null || (text is null && attachment is null))
                return Error(400, 100, null, "Missing recipient or message");
            FetchedMedia? fetched = null;
            if (attachment is not null)
            {
                // Meta fetches the file from the URL while it handles the send, and refuses the send when it cannot.
                var url = attachment["payload"]?["url"]?.GetValue<string>();
                if (attachment["type"]?.GetValue<string>() is not ("image" or "video" or "audio" or "file") || url is null)
                    return Error(400, 100, null, "Invalid attachment type or payload");
                fetched = await FetchAsync(url);
                if (fetched.Status != 200)
                    return Error(400, 100, 2018047, "Upload attachment failure.");
            }
            var messageId = $"aWdfZAG1fake{Interlocked.Increment(ref _counter)}";
            var commentId = recipient["comment_id"]?.GetValue<string>();
            var recipientId = recipient["id"]?.GetValue<string>();
            _messages.Enqueue(new SentMessage(id, commentId, recipientId, text ?? "", messageId, attachment?["type"]?.GetValue<string>(), fetched));
            return Results.Json(new { recipient_id = recipientId ?? $"igsid-for-{commentId}", message_id = messageId });
        });

        app.MapPost("/{ver}/{commentId}/replies", (HttpRequest request, string commentId, string? message) =>
        {
            if (ValidToken(request) is null)
                return TokenError();
            if (string.IsNullOrEmpty(message))
                return Error(400, 100, null, "Missing message");
            var replyId = (17900000000000000L + Interlocked.Increment(ref _counter)).ToString(CultureInfo.InvariantCulture);
            _commentReplies.Enqueue(new SentCommentReply(commentId, message, replyId));
            return Results.Json(new { id = replyId });
        });
    }

    private static async Task<FetchedMedia> FetchAsync(string url)
    {
        try
        {
            using var response = await WebhookClient.GetAsync(url);
            return new FetchedMedia(url, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                response.Content.Headers.ContentDisposition?.FileNameStar, await response.Content.ReadAsByteArrayAsync());
        }
        catch (HttpRequestException)
        {
            return new FetchedMedia(url, 0, null, null, []);
        }
    }

    private static string? Token(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return header["Bearer ".Length..].Trim();
        return request.Query["access_token"].FirstOrDefault();
    }

    private string? ValidToken(HttpRequest request) =>
        Token(request) is { Length: > 0 } token && !_revoked.ContainsKey(token) ? token : null;

    private static IResult TokenError() => Error(400, 190, 463, "Error validating access token: Session has expired");

    private static IResult OAuthError(string message) =>
        Results.Json(new { error_type = "OAuthException", code = 400, error_message = message }, statusCode: 400);

    private static IResult Error(int status, int code, int? subcode, string message)
    {
        var error = new JsonObject { ["message"] = message, ["type"] = "OAuthException", ["code"] = code, ["fbtrace_id"] = "AfakeTrace" };
        if (subcode is not null)
            error["error_subcode"] = subcode;
        return Results.Json(new JsonObject { ["error"] = error }, statusCode: status);
    }

    private sealed record GraphFault(int Count, int Code, int? Subcode, int HttpStatus, string? PathContains, string Message);
}

/// <param name="Token">The access token sent, from the Authorization header or the query.</param>
public sealed record GraphRequest(string Method, string Path, string Query, string Body, string? Token, string Accept)
{
    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);
}

/// <param name="IgUserId">The account the message was sent from (the path's id).</param>
/// <param name="AttachmentType">A file message's <c>attachment.type</c> (its <see cref="Text"/> is empty); null for text.</param>
/// <param name="Media">What the fake fetched from a file message's URL, as Meta does.</param>
public sealed record SentMessage(string IgUserId, string? CommentId, string? RecipientId, string Text, string MessageId,
    string? AttachmentType = null, FetchedMedia? Media = null);

/// <param name="Status">The HTTP status of the fetch; 0 when nothing answered.</param>
public sealed record FetchedMedia(string Url, int Status, string? ContentType, string? FileName, byte[] Content);

public sealed record SentCommentReply(string CommentId, string Message, string ReplyId);
