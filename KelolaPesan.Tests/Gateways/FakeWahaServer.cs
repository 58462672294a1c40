using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Tests.Gateways;

/// <summary>
/// A WAHA look-alike on a loopback port: the calls in GATEWAY.md, every request recorded, switches
/// for failures, slowness and throttling, and signed webhooks sent the way WAHA sends them.
/// The signing here deliberately does not use the product's <c>WebhookSignature</c>.
/// </summary>
public sealed class FakeWahaServer : IAsyncDisposable
{
    public const string DefaultApiKey = "waha-test-key";
    public const string QrValue = "2@fake-waha-qr";
    public static readonly byte[] QrPng = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    private static readonly HttpClient WebhookClient = new();

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _apiKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, FakeSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _phoneByLid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (byte[] Content, string MimeType)> _files = new(StringComparer.Ordinal);
    private readonly Lock _faults = new();
    private int _failNext;
    private int _failStatus = 500;
    private int _throttleNext;
    private TimeSpan _retryAfter;
    private int _delayNext;
    private TimeSpan _delay;

    private FakeWahaServer(WebApplication app, string apiKey)
    {
        _app = app;
        _apiKeys[apiKey] = true;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public IReadOnlyList<RecordedRequest> RequestsTo(string method, string path) =>
        Requests.Where(r => r.Method == method && r.Path == path).ToList();

    public static async Task<FakeWahaServer> StartAsync(string apiKey = DefaultApiKey)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var server = new FakeWahaServer(app, apiKey);
        server.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>
    /// Accepts one more <c>X-Api-Key</c> beside the one it started with: several app processes given a key each can be
    /// told apart by <see cref="RecordedRequest.ApiKey"/> (which node sent what).
    /// </summary>
    public void AcceptApiKey(string apiKey) => _apiKeys[apiKey] = true;

    /// <summary>The next <paramref name="count"/> calls answer <paramref name="status"/>.</summary>
    public void FailNext(int count, int status = 500)
    {
        lock (_faults)
            (_failNext, _failStatus) = (count, status);
    }

    /// <summary>The next <paramref name="count"/> calls answer 429 with a Retry-After in seconds.</summary>
    public void ThrottleNext(int count, TimeSpan retryAfter)
    {
        lock (_faults)
            (_throttleNext, _retryAfter) = (count, retryAfter);
    }

    /// <summary>The next <paramref name="count"/> calls wait <paramref name="delay"/> before answering.</summary>
    public void DelayNext(int count, TimeSpan delay)
    {
        lock (_faults)
            (_delayNext, _delay) = (count, delay);
    }

    /// <summary>Puts a session in place as if it had been created and paired earlier.</summary>
    public void AddSession(string name, string status = "WORKING", string? meId = "6280000000001@c.us", string? pushName = "Toko Test") =>
        _sessions[name] = new FakeSession(name) { Status = status, MeId = meId, PushName = pushName };

    public void SetSessionStatus(string name, string status) => _sessions[name].Status = status;

    public JsonObject? SessionConfig(string name) => _sessions.TryGetValue(name, out var s) ? s.Config : null;

    public void AddLid(string lid, string phoneChatId) => _phoneByLid[lid] = phoneChatId;

    /// <summary>Serves <paramref name="content"/> at <c>/api/files/{name}</c>; returns its absolute URL.</summary>
    public string AddFile(string name, byte[] content, string mimeType)
    {
        _files[name] = (content, mimeType);
        return new Uri(BaseAddress, $"api/files/{name}").ToString();
    }

    /// <summary>Adds a message to a chat's history, as returned by the messages call.</summary>
    public void AddHistory(string session, string chatId, JsonObject message) =>
        _sessions[session].Remember(chatId, message);

    /// <summary>The JSON body WAHA posts: <c>{id, timestamp, event, session, metadata, me, payload}</c>.</summary>
    public static byte[] Envelope(string eventName, string session, JsonNode payload, IReadOnlyDictionary<string, string>? metadata = null, bool withIdAndTimestamp = true)
    {
        var envelope = new JsonObject();
        if (withIdAndTimestamp)
        {
            envelope["id"] = "evt_" + Guid.CreateVersion7().ToString("N");
            envelope["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        }
        envelope["event"] = eventName;
        envelope["session"] = session;
        envelope["metadata"] = metadata is null ? new JsonObject() : new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        envelope["me"] = new JsonObject { ["id"] = "6280000000001@c.us", ["pushName"] = "Toko Test" };
        envelope["engine"] = "WEBJS";
        envelope["payload"] = payload;
        return Encoding.UTF8.GetBytes(envelope.ToJsonString());
    }

    public static string Sign(byte[] body, string hmacKey) =>
        Convert.ToHexString(HMACSHA512.HashData(Encoding.UTF8.GetBytes(hmacKey), body)).ToLowerInvariant();

    /// <summary>Posts a signed webhook the way WAHA does (headers included).</summary>
    public static async Task<HttpResponseMessage> SendWebhookAsync(Uri url, string? hmacKey, byte[] body, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Webhook-Request-Id", Guid.NewGuid().ToString("N"));
        request.Headers.Add("X-Webhook-Timestamp", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (hmacKey is not null)
        {
            request.Headers.Add("X-Webhook-Hmac", Sign(body, hmacKey));
            request.Headers.Add("X-Webhook-Hmac-Algorithm", "sha512");
        }
        return await WebhookClient.SendAsync(request, ct);
    }

    /// <summary>
    /// Emits an event to every webhook configured on the session that subscribes to it, with the
    /// session's metadata and hmac key, exactly as the session was configured through the API.
    /// </summary>
    public async Task<IReadOnlyList<HttpResponseMessage>> EmitAsync(string session, string eventName, JsonNode payload, bool withIdAndTimestamp = true, CancellationToken ct = default)
    {
        var config = SessionConfig(session) ?? throw new InvalidOperationException($"Session '{session}' has no config.");
        var metadata = config["metadata"]?.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? "") ?? [];
        var body = Envelope(eventName, session, payload, metadata, withIdAndTimestamp);
        var responses = new List<HttpResponseMessage>();
        foreach (var webhook in config["webhooks"]?.AsArray() ?? [])
        {
            var events = webhook!["events"]?.AsArray().Select(e => e!.GetValue<string>()).ToList() ?? [];
            var subscribed = events.Contains(eventName) || events.Contains("*") || (eventName == "message" && events.Contains("message.any"));
            if (subscribed)
                responses.Add(await SendWebhookAsync(new Uri(webhook["url"]!.GetValue<string>()), webhook["hmac"]?["key"]?.GetValue<string>(), body, ct));
        }
        return responses;
    }

    /// <summary>A message payload as WAHA (WEBJS) sends it.</summary>
    public static JsonObject MessagePayload(string id, string from, string to, string? body, bool fromMe = false, int ack = 1, string? pushName = null, long? timestamp = null) =>
        new()
        {
            ["id"] = id,
            ["timestamp"] = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["from"] = from,
            ["to"] = to,
            ["fromMe"] = fromMe,
            ["body"] = body,
            ["hasMedia"] = false,
            ["media"] = null,
            ["ack"] = ack,
            ["ackName"] = ack switch { -1 => "ERROR", 0 => "PENDING", 1 => "SERVER", 2 => "DEVICE", 3 => "READ", _ => "PLAYED" },
            ["replyTo"] = null,
            ["_data"] = pushName is null ? new JsonObject() : new JsonObject { ["notifyName"] = pushName },
        };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            _requests.Enqueue(new RecordedRequest(
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Request.QueryString.Value ?? "",
                body,
                context.Request.Headers["X-Api-Key"].FirstOrDefault(),
                context.Request.Headers.Accept.ToString()));

            if (context.Request.Headers["X-Api-Key"].FirstOrDefault() is not { } key || !_apiKeys.ContainsKey(key))
            {
                context.Response.StatusCode = 401;
                return;
            }

            TimeSpan? delay = null;
            int? fail = null;
            TimeSpan? throttle = null;
            lock (_faults)
            {
                if (_delayNext > 0) { _delayNext--; delay = _delay; }
                if (_throttleNext > 0) { _throttleNext--; throttle = _retryAfter; }
                else if (_failNext > 0) { _failNext--; fail = _failStatus; }
            }
            if (delay is { } wait)
                await Task.Delay(wait, context.RequestAborted);
            if (throttle is { } retryAfter)
            {
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return;
            }
            if (fail is { } status)
            {
                context.Response.StatusCode = status;
                await context.Response.WriteAsJsonAsync(new { statusCode = status, message = "fake failure" });
                return;
            }
            await next(context);
        });

        app.MapPost("/api/sessions", (JsonObject body) =>
        {
            var name = body["name"]!.GetValue<string>();
            var start = body["start"]?.GetValue<bool>() ?? true;
            var session = new FakeSession(name) { Status = start ? "SCAN_QR_CODE" : "STOPPED", Config = body["config"]?.DeepClone().AsObject() };
            return _sessions.TryAdd(name, session)
                ? Results.Created($"/api/sessions/{name}", session.ToJson())
                : Results.UnprocessableEntity(new { message = $"Session '{name}' already exists" });
        });
        app.MapPut("/api/sessions/{name}", (string name, JsonObject body) =>
        {
            if (!_sessions.TryGetValue(name, out var s))
                return Results.NotFound();
            s.Config = body["config"]?.DeepClone().AsObject();
            return Results.Ok(s.ToJson());
        });
        app.MapGet("/api/sessions/{name}", (string name) =>
            _sessions.TryGetValue(name, out var s) ? Results.Ok(s.ToJson()) : Results.NotFound());
        app.MapPost("/api/sessions/{name}/{action}", (string name, string action) =>
        {
            if (!_sessions.TryGetValue(name, out var s))
                return Results.NotFound();
            switch (action)
            {
                case "start" or "restart":
                    s.Status = s.MeId is null ? "SCAN_QR_CODE" : "WORKING";
                    break;
                case "stop":
                    s.Status = "STOPPED";
                    break;
                case "logout":
                    s.MeId = null;
                    s.Status = s.Status == "STOPPED" ? "STOPPED" : "SCAN_QR_CODE";
                    break;
                default:
                    return Results.NotFound();
            }
            return Results.Ok(s.ToJson());
        });
        app.MapDelete("/api/sessions/{name}", (string name) =>
            _sessions.TryRemove(name, out _) ? Results.Ok() : Results.NotFound());

        app.MapGet("/api/{session}/auth/qr", (string session, string? format) =>
        {
            if (!_sessions.TryGetValue(session, out var s))
                return Results.NotFound();
            if (s.Status != "SCAN_QR_CODE")
                return Results.UnprocessableEntity(new { message = $"Session status is {s.Status}" });
            return format == "raw"
                ? Results.Ok(new { value = QrValue })
                : Results.Ok(new { mimetype = "image/png", data = Convert.ToBase64String(QrPng) });
        });

        app.MapPost("/api/sendText", (JsonObject body) => Sent(body, body["text"]?.GetValue<string>()));
        app.MapPost("/api/sendImage", (JsonObject body) => Sent(body, body["caption"]?.GetValue<string>()));
        app.MapPost("/api/sendFile", (JsonObject body) => Sent(body, body["caption"]?.GetValue<string>()));

        app.MapPost("/api/{session}/chats/{chatId}/messages/read", (string session) =>
            _sessions.ContainsKey(session) ? Results.Ok(new { }) : Results.NotFound());
        app.MapGet("/api/{session}/chats/{chatId}/messages", (string session, string chatId, int? limit, HttpRequest request) =>
        {
            if (!_sessions.TryGetValue(session, out var s))
                return Results.NotFound();
            bool? fromMe = request.Query["filter.fromMe"].FirstOrDefault() is { } f ? bool.Parse(f) : null;
            var messages = s.HistorySnapshot()
                .Where(h => h.ChatId == chatId && (fromMe is null || h.Message["fromMe"]!.GetValue<bool>() == fromMe))
                .Select(h => h.Message.DeepClone())
                .Reverse()
                .Take(limit ?? 100);
            return Results.Ok(new JsonArray([.. messages]));
        });

        app.MapGet("/api/contacts/check-exists", (string phone, string session) =>
            phone.EndsWith('0')
                ? Results.Ok(new { numberExists = false, chatId = (string?)null })
                : Results.Ok(new { numberExists = true, chatId = phone + "@c.us" }));
        app.MapGet("/api/{session}/lids/{lid}", (string session, string lid) =>
            _phoneByLid.TryGetValue(lid, out var pn) ? Results.Ok(new { lid, pn }) : Results.NotFound());
        app.MapGet("/api/files/{name}", (string name) =>
            _files.TryGetValue(name, out var file) ? Results.Bytes(file.Content, file.MimeType, name) : Results.NotFound());
    }

    private IResult Sent(JsonObject body, string? text)
    {
        var session = body["session"]?.GetValue<string>() ?? "";
        if (!_sessions.TryGetValue(session, out var s))
            return Results.NotFound(new { message = $"Session '{session}' does not exist" });
        var chatId = body["chatId"]!.GetValue<string>();
        var id = $"true_{chatId}_{Convert.ToHexString(RandomNumberGenerator.GetBytes(10))}";
        var message = MessagePayload(id, s.MeId ?? "", chatId, text, fromMe: true, ack: 1);
        s.Remember(chatId, message);
        return Results.Created((string?)null, message);
    }

    private sealed class FakeSession(string name)
    {
        public string Name { get; } = name;
        public string Status { get; set; } = "STOPPED";
        public string? MeId { get; set; }
        public string? PushName { get; set; }
        public JsonObject? Config { get; set; }
        private readonly List<(string ChatId, JsonObject Message)> _history = [];

        public void Remember(string chatId, JsonObject message)
        {
            lock (_history)
                _history.Add((chatId, message));
        }

        public List<(string ChatId, JsonObject Message)> HistorySnapshot()
        {
            lock (_history)
                return [.. _history];
        }

        public JsonObject ToJson() => new()
        {
            ["name"] = Name,
            ["status"] = Status,
            ["config"] = Config?.DeepClone(),
            ["me"] = MeId is null ? null : new JsonObject { ["id"] = MeId, ["pushName"] = PushName },
        };
    }
}

/// <param name="Accept">The Accept header as sent.</param>
public sealed record RecordedRequest(string Method, string Path, string Query, string Body, string? ApiKey, string Accept)
{
    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);
}
