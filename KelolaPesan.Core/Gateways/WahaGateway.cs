using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace KelolaPesan.Core.Gateways;

/// <summary>
/// The WAHA adapter (see GATEWAY.md). A typed <see cref="HttpClient"/> whose resilience pipeline
/// (<see cref="WahaResilience"/>) retries only requests marked <see cref="IdempotentRequest"/>.
/// </summary>
public sealed class WahaGateway(HttpClient http, IOptions<GatewayOptions> options, TimeProvider time) : IWhatsAppGateway
{
    /// <summary>Set on requests that are safe to repeat; GETs always are.</summary>
    public static readonly HttpRequestOptionsKey<bool> IdempotentRequest = new("KelolaPesan.Gateways.Idempotent");

    public const string ApiKeyHeader = "X-Api-Key";

    private static readonly string[] WebhookEvents = ["session.status", "message.any", "message.ack"];

    private readonly WahaOptions _options = options.Value.Waha;

    public async Task EnsureSessionAsync(GatewaySessionSetup setup, CancellationToken ct)
    {
        const string operation = "EnsureSession";
        var create = new JsonObject
        {
            ["name"] = setup.Name,
            ["start"] = true,
            ["config"] = SessionConfig(setup),
        };
        var created = await SendAsync(operation, Request(HttpMethod.Post, "api/sessions", create), ct, HttpStatusCode.UnprocessableEntity, HttpStatusCode.Conflict);
        if (created.IsSuccess)
            return;

        // The session exists (422): bring its webhook and metadata up to date, then make sure it runs.
        var update = new JsonObject { ["name"] = setup.Name, ["config"] = SessionConfig(setup) };
        await SendAsync(operation, Request(HttpMethod.Put, $"api/sessions/{Esc(setup.Name)}", update, idempotent: true), ct);
        await SendAsync(operation, Request(HttpMethod.Post, $"api/sessions/{Esc(setup.Name)}/start", idempotent: true), ct);
    }

    public async Task<GatewaySessionInfo> GetSessionAsync(string session, CancellationToken ct)
    {
        const string operation = "GetSession";
        var response = await SendAsync(operation, Request(HttpMethod.Get, $"api/sessions/{Esc(session)}"), ct);
        var wahaStatus = WahaJson.Str(response.Body, "status");
        var status = WahaJson.Status(wahaStatus)
            ?? throw new GatewayException(operation, $"unknown session status '{wahaStatus}'", (int)response.Status, isTransient: false);
        return new GatewaySessionInfo(WahaJson.Str(response.Body, "name") ?? session, status, WahaJson.Account(WahaJson.Prop(response.Body, "me")));
    }

    public Task StartSessionAsync(string session, CancellationToken ct) => SessionActionAsync("StartSession", session, "start", ct);

    public Task StopSessionAsync(string session, CancellationToken ct) => SessionActionAsync("StopSession", session, "stop", ct);

    public Task RestartSessionAsync(string session, CancellationToken ct) => SessionActionAsync("RestartSession", session, "restart", ct);

    public async Task LogoutSessionAsync(string session, CancellationToken ct) =>
        await SendAsync("LogoutSession", Request(HttpMethod.Post, $"api/sessions/{Esc(session)}/logout"), ct);

    public async Task DeleteSessionAsync(string session, CancellationToken ct) =>
        await SendAsync("DeleteSession", Request(HttpMethod.Delete, $"api/sessions/{Esc(session)}", idempotent: true), ct, HttpStatusCode.NotFound);

    public async Task<GatewayQrCode?> GetQrCodeAsync(string session, CancellationToken ct)
    {
        const string operation = "GetQrCode";
        // 422 means the session is not in SCAN_QR_CODE (any more).
        var image = await SendAsync(operation, Request(HttpMethod.Get, $"api/{Esc(session)}/auth/qr"), ct, HttpStatusCode.UnprocessableEntity);
        if (!image.IsSuccess)
            return null;
        var raw = await SendAsync(operation, Request(HttpMethod.Get, $"api/{Esc(session)}/auth/qr?format=raw"), ct, HttpStatusCode.UnprocessableEntity);
        if (!raw.IsSuccess)
            return null;

        var data = WahaJson.Str(image.Body, "data") ?? throw new GatewayException(operation, "the QR answer has no data", (int)image.Status, isTransient: false);
        var value = WahaJson.Str(raw.Body, "value") ?? throw new GatewayException(operation, "the raw QR answer has no value", (int)raw.Status, isTransient: false);
        return new GatewayQrCode(value, Convert.FromBase64String(data));
    }

    public async Task<string> SendTextAsync(GatewayTextMessage message, CancellationToken ct)
    {
        const string operation = "SendText";
        var body = new JsonObject
        {
            ["session"] = message.Session,
            ["chatId"] = ChatIds.Normalize(message.To),
            ["text"] = message.Text,
        };
        if (message.ReplyToMessageId is not null)
            body["reply_to"] = message.ReplyToMessageId;
        var response = await SendAsync(operation, Request(HttpMethod.Post, "api/sendText", body), ct);
        return MessageId(operation, response);
    }

    public async Task<string> SendMediaAsync(GatewayMediaMessage message, CancellationToken ct)
    {
        var operation = message.Kind == GatewayMediaKind.Image ? "SendImage" : "SendFile";
        message.EnsureValid();
        var file = new JsonObject { ["mimetype"] = message.MimeType };
        if (message.FileName is not null)
            file["filename"] = message.FileName;
        if (message.Url is not null)
            file["url"] = message.Url;
        else
            file["data"] = Convert.ToBase64String(message.Data!);
        var body = new JsonObject
        {
            ["session"] = message.Session,
            ["chatId"] = ChatIds.Normalize(message.To),
            ["file"] = file,
        };
        if (message.Caption is not null)
            body["caption"] = message.Caption;
        var path = message.Kind == GatewayMediaKind.Image ? "api/sendImage" : "api/sendFile";
        var response = await SendAsync(operation, Request(HttpMethod.Post, path, body), ct);
        return MessageId(operation, response);
    }

    public async Task MarkChatReadAsync(string session, string chatId, CancellationToken ct) =>
        await SendAsync("MarkChatRead", Request(HttpMethod.Post, $"api/{Esc(session)}/chats/{Esc(ChatIds.Normalize(chatId))}/messages/read", new JsonObject(), idempotent: true), ct);

    public async Task<GatewayNumberCheck> CheckNumberAsync(string session, string phone, CancellationToken ct)
    {
        var digits = ChatIds.ToPhone(ChatIds.FromPhone(phone))!;
        var response = await SendAsync("CheckNumber", Request(HttpMethod.Get, $"api/contacts/check-exists?phone={digits}&session={Esc(session)}"), ct);
        return WahaJson.Bool(response.Body, "numberExists")
            ? new GatewayNumberCheck(NumberRegistration.Registered, WahaJson.Str(response.Body, "chatId") ?? ChatIds.FromPhone(digits))
            : new GatewayNumberCheck(NumberRegistration.NotRegistered, null);
    }

    public async Task<IReadOnlyList<GatewayChatMessage>> GetChatMessagesAsync(string session, string chatId, int limit, bool? fromMe, CancellationToken ct)
    {
        const string operation = "GetChatMessages";
        var path = $"api/{Esc(session)}/chats/{Esc(ChatIds.Normalize(chatId))}/messages?limit={limit}&downloadMedia=false";
        if (fromMe is { } mine)
            path += $"&filter.fromMe={(mine ? "true" : "false")}";
        var response = await SendAsync(operation, Request(HttpMethod.Get, path), ct);
        if (response.Body.ValueKind != JsonValueKind.Array)
            throw new GatewayException(operation, "the answer is not a list of messages", (int)response.Status, isTransient: false);
        try
        {
            return response.Body.EnumerateArray().Select(m => WahaJson.Message(m)).ToList();
        }
        catch (WebhookPayloadException ex)
        {
            throw new GatewayException(operation, ex.Message, (int)response.Status, isTransient: false, ex);
        }
    }

    public async Task<string?> GetPhoneForLidAsync(string session, string lid, CancellationToken ct)
    {
        var response = await SendAsync("GetPhoneForLid", Request(HttpMethod.Get, $"api/{Esc(session)}/lids/{Esc(lid)}"), ct, HttpStatusCode.NotFound);
        return response.IsSuccess ? ChatIds.ToPhone(WahaJson.Str(response.Body, "pn")) : null;
    }

    public async Task<GatewayDownloadedMedia> DownloadMediaAsync(string url, long maxBytes, CancellationToken ct)
    {
        const string operation = "DownloadMedia";
        var uri = new Uri(url, UriKind.RelativeOrAbsolute);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        // The API key is only for the gateway itself, never for a third-party media host.
        if (!uri.IsAbsoluteUri || IsGatewayHost(uri))
            AddApiKey(request);

        using var response = await SendRawAsync(operation, request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(operation, response, ct);
        if (response.Content.Headers.ContentLength > maxBytes)
            throw new GatewayMediaTooLargeException(operation, maxBytes);

        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                throw new GatewayMediaTooLargeException(operation, maxBytes);
            buffer.Write(chunk, 0, read);
        }
        var headers = response.Content.Headers;
        return new GatewayDownloadedMedia(
            buffer.ToArray(),
            headers.ContentType?.MediaType,
            (headers.ContentDisposition?.FileNameStar ?? headers.ContentDisposition?.FileName)?.Trim('"'));
    }

    private async Task SessionActionAsync(string operation, string session, string action, CancellationToken ct) =>
        await SendAsync(operation, Request(HttpMethod.Post, $"api/sessions/{Esc(session)}/{action}", idempotent: true), ct);

    private static JsonObject SessionConfig(GatewaySessionSetup setup)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in setup.Metadata)
            metadata[key] = value;
        return new JsonObject
        {
            ["metadata"] = metadata,
            ["webhooks"] = new JsonArray(new JsonObject
            {
                ["url"] = setup.WebhookUrl,
                ["events"] = new JsonArray(WebhookEvents.Select(e => (JsonNode)JsonValue.Create(e)).ToArray()),
                ["hmac"] = new JsonObject { ["key"] = setup.WebhookHmacKey },
                ["retries"] = new JsonObject { ["policy"] = "exponential", ["delaySeconds"] = 2, ["attempts"] = 5 },
            }),
        };
    }

    private HttpRequestMessage Request(HttpMethod method, string path, JsonNode? body = null, bool idempotent = false)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new("application/json"));
        AddApiKey(request);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        if (idempotent)
            request.Options.Set(IdempotentRequest, true);
        return request;
    }

    private void AddApiKey(HttpRequestMessage request)
    {
        if (!string.IsNullOrEmpty(_options.ApiKey))
            request.Headers.Add(ApiKeyHeader, _options.ApiKey);
    }

    private bool IsGatewayHost(Uri uri) =>
        http.BaseAddress is { } gateway && Uri.Compare(uri, gateway, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private async Task<WahaResponse> SendAsync(string operation, HttpRequestMessage request, CancellationToken ct, params HttpStatusCode[] expectedFailures)
    {
        using (request)
        using (var response = await SendRawAsync(operation, request, HttpCompletionOption.ResponseContentRead, ct))
        {
            if (!response.IsSuccessStatusCode && !expectedFailures.Contains(response.StatusCode))
                throw await FailureAsync(operation, response, ct);

            var text = await response.Content.ReadAsStringAsync(ct);
            if (string.IsNullOrWhiteSpace(text))
                return new WahaResponse(response.StatusCode, response.IsSuccessStatusCode, default);
            try
            {
                using var document = JsonDocument.Parse(text);
                return new WahaResponse(response.StatusCode, response.IsSuccessStatusCode, document.RootElement.Clone());
            }
            catch (JsonException ex) when (response.IsSuccessStatusCode)
            {
                throw new GatewayException(operation, "the answer is not JSON", (int)response.StatusCode, isTransient: false, ex);
            }
            catch (JsonException)
            {
                return new WahaResponse(response.StatusCode, false, default);
            }
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(string operation, HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, completion, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            throw new GatewayException(operation, "timed out", null, isTransient: true, ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw new GatewayException(operation, "the gateway has been failing; calls are paused", null, isTransient: true, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new GatewayException(operation, $"unreachable ({ex.Message})", (int?)ex.StatusCode, isTransient: true, ex);
        }
        catch (OperationCanceledException ex)
        {
            // HttpClient.Timeout, when no resilience pipeline is in front of it.
            throw new GatewayException(operation, "timed out", null, isTransient: true, ex);
        }
    }

    private async Task<GatewayException> FailureAsync(string operation, HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var retryAfter = response.Headers.RetryAfter is { } header
                ? header.Delta ?? (header.Date is { } at ? at - time.GetUtcNow() : null)
                : null;
            return new GatewayThrottledException(operation, retryAfter is { } wait && wait < TimeSpan.Zero ? TimeSpan.Zero : retryAfter);
        }

        var body = await response.Content.ReadAsStringAsync(ct);
        if (body.Length > 300)
            body = body[..300] + "...";
        var transient = status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout;
        return new GatewayException(operation, $"HTTP {status} {body}".TrimEnd(), status, transient);
    }

    private static string MessageId(string operation, WahaResponse response) =>
        WahaJson.Id(response.Body) ?? throw new GatewayException(operation, "the answer has no message id", (int)response.Status, isTransient: false);

    private static string Esc(string segment) => Uri.EscapeDataString(segment);

    private readonly record struct WahaResponse(HttpStatusCode Status, bool IsSuccess, JsonElement Body);
}
