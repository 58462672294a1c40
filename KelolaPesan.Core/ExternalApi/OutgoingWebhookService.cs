using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.ExternalApi;

/// <summary>The outgoing webhook event names a subscription can take.</summary>
public static class WebhookEvents
{
    public const string MessageReceived = "message.received";
    public const string MessageStatus = "message.status";
    public const string BroadcastFinished = "broadcast.finished";
    public const string SessionStatus = "session.status";

    /// <summary>A person resolved or reopened a chat (a customer's message opens it too, carried as message.received).</summary>
    public const string ChatStatus = "chat.status";
    public static readonly IReadOnlyList<string> All = [MessageReceived, MessageStatus, BroadcastFinished, SessionStatus, ChatStatus];
}

/// <summary>The tenant's outgoing webhook (one per tenant) and its delivery log, for the settings page.</summary>
public sealed class WebhookSubscriptionService(IKelolaDbFactory dbFactory, ITenantContext tenant, ISecretProtector secrets, WebhookUrlScreen screen)
{
    public const string SecretPurpose = "ExternalApi.WebhookSecret";
    public const int DeliveryLogSize = 50;

    public async Task<WebhookSubscriptionView?> GetAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.CreatedAt)
            .Select(s => new WebhookSubscriptionView(s.Id, s.Url, s.Events, s.IsActive)).FirstOrDefaultAsync(ct);
    }

    /// <summary>Sets the URL and events; returns the new signing secret when one was created (shown once).</summary>
    public async Task<WebhookSaveResult> SaveAsync(string url, IReadOnlyCollection<string> events, bool rotateSecret = false, CancellationToken ct = default)
    {
        url = (url ?? "").Trim();
        var validation = await new WebhookSubscriptionValidator(screen).ValidateAsync(new WebhookSubscriptionInput(url, events), ct);
        if (validation.Errors.FirstOrDefault() is { } failure)
            return new WebhookSaveResult(null, failure.PropertyName, failure.ErrorMessage);
        var chosen = events.Where(WebhookEvents.All.Contains).Distinct().ToList();
        if (tenant.TenantId is not { } tenantId)
            return new WebhookSaveResult(null, "", "No tenant.");
        await using var db = await dbFactory.CreateAsync(ct);
        var row = await db.WebhookSubscriptions.OrderBy(s => s.CreatedAt).FirstOrDefaultAsync(ct);
        string? secret = null;
        if (row is null)
        {
            row = new WebhookSubscription { TenantId = tenantId };
            db.WebhookSubscriptions.Add(row);
            rotateSecret = true;
        }
        if (rotateSecret)
        {
            secret = "whsec_" + RandomCode.Create(40).ToLowerInvariant();
            row.SecretEncrypted = secrets.Protect(SecretPurpose, secret);
        }
        row.Url = url;
        row.Events = string.Join(',', chosen);
        row.IsActive = true;
        await db.SaveChangesAsync(ct);
        return new WebhookSaveResult(secret, null, null);
    }

    public async Task<bool> DeleteAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.WebhookSubscriptions.ExecuteDeleteAsync(ct) > 0;
    }

    public async Task<IReadOnlyList<WebhookDeliveryView>> DeliveriesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.WebhookDeliveries.AsNoTracking().OrderByDescending(d => d.CreatedAt).Take(DeliveryLogSize)
            .Select(d => new WebhookDeliveryView(d.Id, d.Event, d.Status, d.Attempts, d.ResponseCode, d.Error, d.CreatedAt, d.NextAttemptAt, d.DeliveredAt))
            .ToListAsync(ct);
    }
}

/// <summary>
/// Queues events for each subscribed tenant (one delivery row per subscription) and delivers due rows with an
/// HMAC-SHA256 signature over "&lt;timestamp&gt;.&lt;body&gt;", retrying failures with exponential backoff.
/// </summary>
public sealed class OutgoingWebhookService(IKelolaDbFactory dbFactory, ISecretProtector secrets, IHttpClientFactory http,
    OutgoingWebhookOptions options, TimeProvider clock)
{
    public const string HttpClientName = "outgoing-webhooks";
    public const string SignatureHeader = "X-Kelola-Signature";
    public const string TimestampHeader = "X-Kelola-Timestamp";
    public const string EventHeader = "X-Kelola-Event";
    public const string DeliveryHeader = "X-Kelola-Delivery";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The event names each tenant's active subscriptions want, for several tenants in one query (a round of the worker
    /// covers events of many tenants; most subscribe to nothing). Tenants without any are absent.
    /// </summary>
    public async Task<Dictionary<Guid, HashSet<string>>> SubscribedEventsAsync(IReadOnlyCollection<Guid> tenantIds, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateSystem();
        var rows = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.IsActive && tenantIds.Contains(s.TenantId))
            .Select(s => new { s.TenantId, s.Events }).ToListAsync(ct);
        return rows.GroupBy(r => r.TenantId)
            .ToDictionary(g => g.Key, g => g.SelectMany(r => EventsOf(r.Events)).ToHashSet(StringComparer.Ordinal));
    }

    private static string[] EventsOf(string events) => events.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Stores a delivery for every active subscription of the tenant taking this event; returns how many.</summary>
    public async Task<int> EnqueueAsync(Guid tenantId, string eventName, object data, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateForTenant(tenantId);
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.IsActive)
            .Select(s => new { s.Id, s.Events }).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var count = 0;
        foreach (var s in subscriptions.Where(s => EventsOf(s.Events).Contains(eventName)))
        {
            var delivery = new WebhookDelivery
            {
                TenantId = tenantId, SubscriptionId = s.Id, Event = eventName, Status = WebhookDeliveryStatus.Pending, NextAttemptAt = now,
            };
            delivery.Payload = JsonSerializer.Serialize(new { id = delivery.Id, type = eventName, createdAt = now, data }, Json);
            db.WebhookDeliveries.Add(delivery);
            count++;
        }
        if (count > 0)
            await db.SaveChangesAsync(ct);
        return count;
    }

    /// <summary>Delivers every due delivery (all tenants) this node claims; returns how many were attempted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        List<Guid> due;
        await using (var db = dbFactory.CreateSystem())
        {
            due = await db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now)
                .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(100).ToListAsync(ct);
        }
        var attempted = 0;
        foreach (var id in due)
            attempted += await DeliverAsync(id, ct) ? 1 : 0;
        return attempted;
    }

    /// <summary>
    /// Claims a due delivery and sends it; false when it is not due or another worker (this node's or another's) holds it.
    /// The claim is a conditional UPDATE that moves <see cref="WebhookDelivery.NextAttemptAt"/> to the end of a lease:
    /// only one worker's UPDATE matches, and a worker that dies mid-send leaves a row that is due again when the lease ends.
    /// </summary>
    public async Task<bool> DeliverAsync(Guid deliveryId, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateSystem();
        var now = clock.GetUtcNow();
        // Whole milliseconds: the lease is compared for equality when the result is written, and PostgreSQL keeps microseconds.
        var leaseUntil = new DateTimeOffset((now + options.ClaimLease).UtcTicks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        if (await db.WebhookDeliveries.Where(d => d.Id == deliveryId && d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, leaseUntil).SetProperty(d => d.Attempts, d => d.Attempts + 1), ct) != 1)
            return false;
        var delivery = await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId, ct);
        if (delivery is null)
            return false;
        var subscription = await db.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == delivery.SubscriptionId, ct);
        var secret = subscription is null ? null : secrets.Unprotect(WebhookSubscriptionService.SecretPurpose, subscription.SecretEncrypted);
        string? error = null;
        int? responseCode = null;
        if (subscription is null || secret is null)
            error = "The subscription or its secret is gone.";
        else
        {
            var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
            {
                Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(SignatureHeader, "sha256=" + Sign(secret, timestamp, delivery.Payload));
            request.Headers.Add(TimestampHeader, timestamp);
            request.Headers.Add(EventHeader, delivery.Event);
            request.Headers.Add(DeliveryHeader, delivery.Id.ToString());
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(options.Timeout);
                using var response = await http.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
                responseCode = (int)response.StatusCode;
                if (!response.IsSuccessStatusCode)
                    error = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                error = ex.Message;
            }
        }

        now = clock.GetUtcNow();
        WebhookDeliveryStatus status;
        DateTimeOffset? next = null;
        if (error is null)
            status = WebhookDeliveryStatus.Delivered;
        else if (delivery.Attempts >= options.MaxAttempts)
            status = WebhookDeliveryStatus.Failed;
        else
        {
            status = WebhookDeliveryStatus.Pending;
            next = now + BackoffAfter(delivery.Attempts);
        }
        error = error is { Length: > 1000 } ? error[..1000] : error;
        // Written only while this worker still holds the lease (it always does unless the database stalled past it).
        await db.WebhookDeliveries.Where(d => d.Id == deliveryId && d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt == leaseUntil)
            .ExecuteUpdateAsync(s =>
            {
                s.SetProperty(d => d.Status, status).SetProperty(d => d.NextAttemptAt, next).SetProperty(d => d.Error, error);
                if (responseCode is not null)
                    s.SetProperty(d => d.ResponseCode, responseCode);
                if (error is null)
                    s.SetProperty(d => d.DeliveredAt, now);
            }, CancellationToken.None);
        return true;
    }

    /// <summary>Exponential: base, 2x, 4x ... capped at an hour.</summary>
    public TimeSpan BackoffAfter(int attempts) =>
        TimeSpan.FromTicks(Math.Min(options.RetryBase.Ticks * (1L << Math.Min(attempts - 1, 20)), TimeSpan.FromHours(1).Ticks));

    /// <summary>Hex HMAC-SHA256 of "&lt;timestamp&gt;.&lt;body&gt;" with the subscription's secret; what a receiver recomputes.</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}

public sealed class OutgoingWebhookOptions
{
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(30);
    public int MaxAttempts { get; set; } = 8;
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the worker lets events gather before a round: one subscriptions query per round instead of one per event
    /// (at 500 paced workspaces that query per event cost ~3% of the app's CPU). A webhook goes out this much later.
    /// </summary>
    public TimeSpan RoundDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a claimed delivery stays with its worker: past the send's timeout, so a live worker always finishes first.</summary>
    public TimeSpan ClaimLease => Timeout + TimeSpan.FromSeconds(50);

    /// <summary>Lets webhooks reach loopback and private addresses: tests and a developer's local receiver only (docs/adr/0005).</summary>
    public bool AllowPrivateAddresses { get; set; }
}

public sealed record WebhookSubscriptionView(Guid Id, string Url, string Events, bool IsActive);

public sealed record WebhookSaveResult(string? NewSecret, string? ErrorField, string? Error)
{
    public bool Succeeded => Error is null;
}

public sealed record WebhookDeliveryView(Guid Id, string Event, WebhookDeliveryStatus Status, int Attempts, int? ResponseCode, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt);
