using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace KelolaPesan.Core.Instagram;

/// <summary>
/// The Graph adapter over a typed <see cref="HttpClient"/> (no base address: three hosts). The resilience
/// pipeline (<see cref="InstagramResilience"/>) retries GETs only. Tokens travel in the query for the token
/// endpoints (as Meta documents them) and in the Authorization header for versioned calls.
/// </summary>
public sealed class InstagramGraphClient(HttpClient http, IOptions<InstagramOptions> options) : IInstagramGraph
{
    private readonly InstagramOptions _options = options.Value;

    public string AuthorizeUrl(string state, string redirectUri) =>
        $"{_options.AuthorizeBaseUrl.TrimEnd('/')}/oauth/authorize"
        + $"?client_id={Esc(_options.AppId)}&redirect_uri={Esc(redirectUri)}&response_type=code"
        + $"&scope={Esc(InstagramOptions.Scopes)}&state={Esc(state)}";

    public async Task<InstagramShortToken> ExchangeCodeAsync(string code, string redirectUri, CancellationToken ct)
    {
        const string operation = "ExchangeCode";
        code = code.Trim();
        if (code.EndsWith("#_", StringComparison.Ordinal))
            code = code[..^2];
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = _options.AppId,
            ["client_secret"] = _options.AppSecret,
            ["grant_type"] = "authorization_code",
            ["redirect_uri"] = redirectUri,
            ["code"] = code,
        });
        var body = await SendAsync(operation, new HttpRequestMessage(HttpMethod.Post, TokenUrl("oauth/access_token")) { Content = form }, ct);

        // Two shapes in the wild: flat {access_token, user_id: 178..., permissions: [..]} and {data: [{.., permissions: "a,b"}]}.
        var token = body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array && data.GetArrayLength() > 0 ? data[0] : body;
        var permissions = token.TryGetProperty("permissions", out var p) ? p.ValueKind switch
        {
            JsonValueKind.Array => p.EnumerateArray().Select(x => x.GetString() ?? "").Where(x => x.Length > 0).ToList(),
            JsonValueKind.String => p.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            _ => [],
        } : [];
        return new InstagramShortToken(
            Required(operation, token, "access_token"),
            Id(token, "user_id") ?? throw Malformed(operation, "user_id"),
            permissions);
    }

    public async Task<InstagramLongToken> ExchangeLongLivedAsync(string shortToken, CancellationToken ct)
    {
        const string operation = "ExchangeLongLived";
        var url = GraphRoot($"access_token?grant_type=ig_exchange_token&client_secret={Esc(_options.AppSecret)}&access_token={Esc(shortToken)}");
        return LongToken(operation, await SendAsync(operation, new HttpRequestMessage(HttpMethod.Get, url), ct));
    }

    public async Task<InstagramLongToken> RefreshAsync(string longToken, CancellationToken ct)
    {
        const string operation = "RefreshToken";
        var url = GraphRoot($"refresh_access_token?grant_type=ig_refresh_token&access_token={Esc(longToken)}");
        return LongToken(operation, await SendAsync(operation, new HttpRequestMessage(HttpMethod.Get, url), ct));
    }

    public async Task<InstagramProfile> GetProfileAsync(string token, CancellationToken ct)
    {
        const string operation = "GetProfile";
        var body = await SendAsync(operation, Authorized(HttpMethod.Get, Graph("me?fields=user_id,username,name,profile_picture_url"), token), ct);
        return new InstagramProfile(
            Id(body, "user_id") ?? Id(body, "id") ?? throw Malformed(operation, "user_id"),
            Required(operation, body, "username"),
            Str(body, "name"),
            Str(body, "profile_picture_url"));
    }

    public async Task SubscribeAsync(string token, CancellationToken ct)
    {
        const string operation = "Subscribe";
        var body = await SendAsync(operation, Authorized(HttpMethod.Post, Graph("me/subscribed_apps?subscribed_fields=comments,messages"), token), ct);
        EnsureSuccess(operation, body);
    }

    public async Task UnsubscribeAsync(string token, CancellationToken ct)
    {
        const string operation = "Unsubscribe";
        var body = await SendAsync(operation, Authorized(HttpMethod.Delete, Graph("me/subscribed_apps"), token), ct);
        EnsureSuccess(operation, body);
    }

    public async Task<InstagramMediaPage> GetMediaPageAsync(string token, string userId, string? after, CancellationToken ct)
    {
        const string operation = "GetMedia";
        var path = $"{Esc(userId)}/media?fields=id,caption,media_type,permalink,timestamp,media_url,thumbnail_url,comments_count"
            + $"&limit={_options.MediaPageSize.ToString(CultureInfo.InvariantCulture)}";
        if (!string.IsNullOrEmpty(after))
            path += $"&after={Esc(after)}";
        var body = await SendAsync(operation, Authorized(HttpMethod.Get, Graph(path), token), ct);
        if (!body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            throw Malformed(operation, "data");

        var items = data.EnumerateArray().Select(m => new InstagramMediaItem(
            Id(m, "id") ?? throw Malformed(operation, "id"),
            Str(m, "caption"),
            Str(m, "media_type"),
            Str(m, "permalink"),
            Timestamp(Str(m, "timestamp")),
            Str(m, "media_url"),
            Str(m, "thumbnail_url"),
            m.TryGetProperty("comments_count", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0)).ToList();

        // The last page still carries cursors; only "next" says there is more.
        string? next = null;
        if (body.TryGetProperty("paging", out var paging) && paging.TryGetProperty("next", out var nextUrl) && nextUrl.ValueKind == JsonValueKind.String
            && paging.TryGetProperty("cursors", out var cursors))
            next = Str(cursors, "after");
        return new InstagramMediaPage(items, next);
    }

    public Task<string> SendPrivateReplyAsync(string token, string igUserId, string commentId, string text, CancellationToken ct) =>
        SendMessageAsync("SendPrivateReply", token, igUserId, new JsonObject { ["comment_id"] = commentId }, new JsonObject { ["text"] = text }, ct);

    public Task<string> SendDirectMessageAsync(string token, string igUserId, string recipientIgsid, string text, CancellationToken ct) =>
        SendMessageAsync("SendDirectMessage", token, igUserId, new JsonObject { ["id"] = recipientIgsid }, new JsonObject { ["text"] = text }, ct);

    public Task<string> SendDirectAttachmentAsync(string token, string igUserId, string recipientIgsid, InstagramAttachmentType type, string url,
        CancellationToken ct) =>
        SendMessageAsync("SendDirectAttachment", token, igUserId, new JsonObject { ["id"] = recipientIgsid }, new JsonObject
        {
            ["attachment"] = new JsonObject { ["type"] = InstagramDirectFiles.GraphName(type), ["payload"] = new JsonObject { ["url"] = url } },
        }, ct);

    public async Task<string> ReplyToCommentAsync(string token, string commentId, string text, CancellationToken ct)
    {
        const string operation = "ReplyToComment";
        var body = await SendAsync(operation, Authorized(HttpMethod.Post, Graph($"{Esc(commentId)}/replies?message={Esc(text)}"), token), ct);
        return Id(body, "id") ?? throw Malformed(operation, "id");
    }

    private async Task<string> SendMessageAsync(string operation, string token, string igUserId, JsonObject recipient, JsonObject message, CancellationToken ct)
    {
        var payload = new JsonObject { ["recipient"] = recipient, ["message"] = message };
        var request = Authorized(HttpMethod.Post, Graph($"{Esc(igUserId)}/messages"), token);
        request.Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json");
        var body = await SendAsync(operation, request, ct);
        return Id(body, "message_id") ?? throw Malformed(operation, "message_id");
    }

    private string TokenUrl(string path) => $"{_options.TokenBaseUrl.TrimEnd('/')}/{path}";

    private string GraphRoot(string pathAndQuery) => $"{_options.GraphBaseUrl.TrimEnd('/')}/{pathAndQuery}";

    private string Graph(string pathAndQuery) => GraphRoot($"{_options.GraphVersion.Trim('/')}/{pathAndQuery}");

    private static HttpRequestMessage Authorized(HttpMethod method, string url, string token)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new("Bearer", token);
        return request;
    }

    private static InstagramLongToken LongToken(string operation, JsonElement body) =>
        new(Required(operation, body, "access_token"),
            TimeSpan.FromSeconds(body.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt64() : 0));

    private static void EnsureSuccess(string operation, JsonElement body)
    {
        if (!body.TryGetProperty("success", out var success) || success.ValueKind != JsonValueKind.True)
            throw new InstagramGraphException(operation, null, null, "Graph did not confirm success", 200, InstagramGraphErrorKind.Other);
    }

    private async Task<JsonElement> SendAsync(string operation, HttpRequestMessage request, CancellationToken ct)
    {
        request.Headers.Accept.Add(new("application/json"));
        using (request)
        using (var response = await SendRawAsync(operation, request, ct))
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonElement? body = null;
            try
            {
                if (!string.IsNullOrWhiteSpace(text))
                {
                    using var document = JsonDocument.Parse(text);
                    body = document.RootElement.Clone();
                }
            }
            catch (JsonException) when (!response.IsSuccessStatusCode)
            {
            }
            catch (JsonException ex)
            {
                throw new InstagramGraphException(operation, null, null, "the answer is not JSON", (int)response.StatusCode, InstagramGraphErrorKind.Other, ex);
            }

            if (body is { } ok && response.IsSuccessStatusCode && !ok.TryGetProperty("error", out _))
                return ok;
            throw Failure(operation, response.StatusCode, body);
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(string operation, HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is TimeoutRejectedException or OperationCanceledException)
        {
            throw new InstagramGraphException(operation, null, null, "timed out", null, InstagramGraphErrorKind.Transient, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new InstagramGraphException(operation, null, null, "unreachable", null, InstagramGraphErrorKind.Transient, ex);
        }
    }

    /// <summary>Graph answers <c>{error: {message, code, error_subcode}}</c>; the OAuth host answers <c>{error_type, code, error_message}</c>.</summary>
    private static InstagramGraphException Failure(string operation, HttpStatusCode status, JsonElement? body)
    {
        int? code = null, subcode = null;
        var message = $"HTTP {(int)status}";
        if (body is { ValueKind: JsonValueKind.Object } b)
        {
            if (b.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                code = Int(error, "code");
                subcode = Int(error, "error_subcode");
                message = Str(error, "error_user_msg") ?? Str(error, "message") ?? message;
            }
            else if (b.TryGetProperty("error_message", out _) || b.TryGetProperty("error_type", out _))
            {
                code = Int(b, "code");
                message = Str(b, "error_message") ?? Str(b, "error_type") ?? message;
            }
        }
        if (message.Length > 500)
            message = message[..500];
        var kind = code is null ? InstagramGraphException.Classify(null, null, (int)status) : (InstagramGraphErrorKind?)null;
        return new InstagramGraphException(operation, code, subcode, message, (int)status, kind);
    }

    private static InstagramGraphException Malformed(string operation, string field) =>
        new(operation, null, null, $"the answer has no {field}", 200, InstagramGraphErrorKind.Other);

    private static string Required(string operation, JsonElement body, string name) =>
        Str(body, name) is { Length: > 0 } value ? value : throw Malformed(operation, name);

    private static string? Str(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>An id as text, whether Graph sent a string or a (17-digit) number: the raw digits, never through a double.</summary>
    private static string? Id(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null }
            : null;

    private static int? Int(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i
        : body.TryGetProperty(name, out v) && v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), CultureInfo.InvariantCulture, out i) ? i
        : null;

    /// <summary>Graph writes offsets without a colon ("2026-11-01T08:00:00+0000").</summary>
    private static DateTimeOffset? Timestamp(string? value)
    {
        if (value is { Length: > 5 } && value[^5] is '+' or '-' && value[^3] != ':')
            value = value.Insert(value.Length - 2, ":");
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    private static string Esc(string value) => Uri.EscapeDataString(value);
}
