using System.Text.Json;
using FluentValidation;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.ExternalApi;

/// <summary>
/// Sends a text or media-by-URL message for an API caller to a phone number: the chat is found or created,
/// the message stored Pending (origin Api), handed to the gateway, then Sent or Failed, with the inbox's realtime events.
/// An <c>Idempotency-Key</c> is recorded BEFORE the send (unique per key), so a repeat, even a concurrent one, sends nothing;
/// the key reused for another request (its fingerprint differs) is refused.
/// </summary>
public sealed class ApiMessageService(IKelolaDbFactory dbFactory, IWhatsAppGateway gateway, IRealtimeBus bus, TimeProvider clock,
    ApiIdempotencyService idempotencyKeys, ILogger<ApiMessageService> logger)
{
    private const string SoftDeleteFilter = "SoftDelete";
    private static readonly SendMessageRequestValidator Validator = new();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private const string IdempotencyHeader = "Idempotency-Key";

    public async Task<ApiSendOutcome> SendAsync(ApiCaller caller, SendMessageRequest request, ApiIdempotencyKey? idempotency, CancellationToken ct = default)
    {
        var idempotencyKey = idempotency?.Key;
        var validation = await Validator.ValidateAsync(request, ct);
        if (!validation.IsValid)
            return ApiSendOutcome.Invalid(validation.ToDictionary()) with { Codes = validation.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorCode).ToArray()) };
        if (idempotencyKey is { Length: > ApiIdempotencyRecord.KeyMaxLength })
        {
            var tooLong = Problem.Of("Api_IdempotencyKeyTooLong", ApiIdempotencyRecord.KeyMaxLength);
            return ApiSendOutcome.Invalid(new Dictionary<string, string[]> { [IdempotencyHeader] = [tooLong.Text] })
                with { Codes = new Dictionary<string, string[]> { [IdempotencyHeader] = [tooLong.Code] } };
        }
        if (!caller.MaySee(request.WorkspaceId))
            return ApiSendOutcome.NotFound;

        await using var db = dbFactory.CreateForTenant(caller.TenantId);
        var workspace = await db.Workspaces.AsNoTracking().Where(w => w.Id == request.WorkspaceId)
            .Select(w => new { w.Id, w.ExternalSessionId, Region = db.Tenants.Where(t => t.Id == w.TenantId).Select(t => t.PhoneRegion).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        if (workspace is null)
            return ApiSendOutcome.NotFound;
        var phone = PhoneNormalizer.Normalize(request.To, workspace.Region ?? Tenancy.Tenant.DefaultRegion);
        if (!phone.IsValid)
            return ApiSendOutcome.Invalid(new Dictionary<string, string[]> { ["to"] = [phone.Reason] }) with { Codes = new Dictionary<string, string[]> { ["to"] = [PhoneNormalizer.Code(phone.Error)] } };

        ApiIdempotencyRecord? record = null;
        if (!string.IsNullOrEmpty(idempotencyKey))
        {
            var claim = await idempotencyKeys.ClaimAsync(caller, idempotency!, ct);
            switch (claim.Kind)
            {
                case ApiIdempotencyClaimKind.KeyReused:
                    return ApiSendOutcome.KeyReused;
                case ApiIdempotencyClaimKind.InProgress:
                    return ApiSendOutcome.InProgress;
                case ApiIdempotencyClaimKind.Repeat:
                    return ApiSendOutcome.Repeat(claim.Record.StatusCode, JsonSerializer.Deserialize<ApiMessageView>(claim.Record.ResponseJson, Json)!);
            }
            // Its answer is stored with the message's outcome, in the same save.
            record = claim.Record;
            db.ApiIdempotencyRecords.Attach(record);
        }

        var media = request.Media;
        var preview = media is null ? request.Text! : "📎 " + (request.Text ?? media.FileName ?? media.Url);
        var now = clock.GetUtcNow();
        Chat chat;
        Message message;
        try
        {
            chat = await FindOrCreateChatAsync(caller.TenantId, workspace.Id, phone.E164!, ct);
            message = new Message
            {
                TenantId = caller.TenantId, WorkspaceId = workspace.Id, ChatId = chat.Id,
                Direction = MessageDirection.Outbound, Origin = MessageOrigin.Api, Status = MessageStatus.Pending,
                SenderName = "API: " + caller.Name, Body = media is null ? request.Text! : (request.Text ?? media.Url), SentAt = now,
            };
            db.Messages.Add(message);
            await db.Chats.Where(c => c.Id == chat.Id && c.LastMessageAt <= now).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.LastMessageAt, now).SetProperty(c => c.LastMessagePreview, InboxService.Preview(preview))
                .SetProperty(c => c.BroadcastOnly, false), ct);
            await db.SaveChangesAsync(ct);
        }
        catch when (record is not null)
        {
            // Nothing was stored to send (the client went away, the database failed): the key is released, so the
            // client's retry with it sends the message.
            await idempotencyKeys.ReleaseAsync(record);
            throw;
        }
        await bus.PublishAsync(Topics.Workspace(workspace.Id), new ChatMessageAdded(caller.TenantId, workspace.Id, chat.Id, message.Id, MessageDirection.Outbound));

        // Past the Pending row nothing is cancelled: a send the gateway accepted must get its id recorded.
        if (workspace.ExternalSessionId is not { } session)
        {
            message.Status = MessageStatus.Failed;
            message.Error = "Gateway_NoSession";
        }
        else
        {
            try
            {
                message.ExternalMessageId = media is null
                    ? await gateway.SendTextAsync(new GatewayTextMessage(session, chat.ExternalChatId, request.Text!), CancellationToken.None)
                    : await gateway.SendMediaAsync(new GatewayMediaMessage(session, chat.ExternalChatId,
                        media.IsImage ? GatewayMediaKind.Image : GatewayMediaKind.File, media.MimeType ?? GuessMime(media.Url),
                        media.FileName, request.Text, Url: media.Url), CancellationToken.None);
                message.Status = MessageStatus.Sent;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "An API send failed in workspace {WorkspaceId}", workspace.Id);
                message.Status = MessageStatus.Failed;
                var error = ProblemText.Store(Problem.Of("Gateway_SendFailed").WithDetail(ex.Message));
                message.Error = error.Length > Message.ErrorMaxLength ? error[..Message.ErrorMaxLength] : error;
            }
        }
        await OwnSendResult.RecordAsync(db, message);
        var view = View(message, chat.PhoneNumber);
        if (record is not null)
        {
            record.StatusCode = 202;
            record.ResponseJson = JsonSerializer.Serialize(view, Json);
        }
        await db.SaveChangesAsync(CancellationToken.None);
        await bus.PublishAsync(Topics.Workspace(workspace.Id), new ChatMessageStatusChanged(caller.TenantId, workspace.Id, chat.Id, message.Id, message.Status));
        return ApiSendOutcome.Sent(view);
    }

    public async Task<ApiMessageView?> GetAsync(ApiCaller caller, Guid messageId, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateForTenant(caller.TenantId);
        var row = await db.Messages.AsNoTracking().Where(m => m.Id == messageId && m.Direction != MessageDirection.Note)
            .Select(m => new { Message = m, Phone = db.Chats.Where(c => c.Id == m.ChatId).Select(c => c.PhoneNumber).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        return row is null || !caller.MaySee(row.Message.WorkspaceId) ? null : View(row.Message, row.Phone);
    }

    /// <summary>A chat of the key's tenant (and workspace, for a workspace key), with its resolved state; null when not found.</summary>
    public async Task<ApiChatView?> GetChatAsync(ApiCaller caller, Guid chatId, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateForTenant(caller.TenantId);
        var chat = await ApiChatView.Project(db.Chats.AsNoTracking().Where(c => c.Id == chatId)).FirstOrDefaultAsync(ct);
        return chat is null || !caller.MaySee(chat.WorkspaceId) ? null : chat;
    }

    private static ApiMessageView View(Message m, string? phone) =>
        new(m.Id, m.WorkspaceId, m.ChatId, phone, m.Direction.ToString(), m.Status.ToString(), ProblemText.Describe(m.Error), m.SentAt);

    private async Task<Chat> FindOrCreateChatAsync(Guid tenantId, Guid workspaceId, string e164, CancellationToken ct)
    {
        var externalChatId = ChatIds.FromPhone(e164);
        for (var attempt = 0; ; attempt++)
        {
            await using var db = dbFactory.CreateForTenant(tenantId);
            var chat = await db.Chats.IgnoreQueryFilters([SoftDeleteFilter])
                .FirstOrDefaultAsync(c => c.WorkspaceId == workspaceId && c.Channel == Channel.WhatsApp && c.ExternalChatId == externalChatId, ct);
            if (chat is not null)
            {
                if (chat.DeletedAt is not null)
                {
                    chat.DeletedAt = null;
                    await db.SaveChangesAsync(ct);
                }
                return chat;
            }
            var contact = await db.Contacts.Where(c => c.WorkspaceId == workspaceId && c.Phone == e164)
                .Select(c => new { c.Id, c.Name }).FirstOrDefaultAsync(ct);
            chat = new Chat
            {
                TenantId = tenantId, WorkspaceId = workspaceId, Channel = Channel.WhatsApp, ExternalChatId = externalChatId,
                PhoneNumber = e164, DisplayName = contact?.Name ?? e164, ContactId = contact?.Id, LastMessageAt = DateTimeOffset.MinValue,
            };
            db.Chats.Add(chat);
            try
            {
                await db.SaveChangesAsync(ct);
                return chat;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // A concurrent message to the same new number created the chat first: read theirs.
            }
        }
    }

    private static string GuessMime(string url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" => "image/jpeg",
            ".png" => "image/png",
            ".webp" => "image/webp",
            ".gif" => "image/gif",
            ".pdf" => "application/pdf",
            ".mp4" => "video/mp4",
            _ => "application/octet-stream",
        };
    }
}

/// <summary>POST /api/v1/messages: a text, or media by URL with an optional caption in <see cref="Text"/>.</summary>
public sealed class SendMessageRequest
{
    public Guid WorkspaceId { get; set; }

    /// <summary>The recipient's phone number, in any common format (normalised with the tenant's region).</summary>
    public string To { get; set; } = "";
    public string? Text { get; set; }
    public SendMediaRequest? Media { get; set; }
}

public sealed class SendMediaRequest
{
    public const int UrlMaxLength = 2000;
    public string Url { get; set; } = "";
    public string? MimeType { get; set; }
    public string? FileName { get; set; }
    public bool IsImage => (MimeType ?? "").StartsWith("image/", StringComparison.OrdinalIgnoreCase)
        || Path.GetExtension(FileName ?? Url).ToLowerInvariant() is ".jpg" or ".jpeg" or ".png" or ".webp" or ".gif";
}

public sealed class SendMessageRequestValidator : AbstractValidator<SendMessageRequest>
{
    public SendMessageRequestValidator()
    {
        RuleFor(x => x.WorkspaceId).NotEmpty().WithProblem("Api_WorkspaceIdRequired").OverridePropertyName("workspaceId");
        RuleFor(x => x.To).NotEmpty().WithProblem("Api_ToRequired").MaximumLength(PhoneNormalizer.NumberMaxInputLength).OverridePropertyName("to");
        RuleFor(x => x.Text).NotEmpty().WithProblem("Api_TextRequired").When(x => x.Media is null).OverridePropertyName("text");
        RuleFor(x => x.Text).MaximumLength(Message.BodyMaxLength).OverridePropertyName("text");
        RuleFor(x => x.Media!.Url).NotEmpty().MaximumLength(SendMediaRequest.UrlMaxLength)
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            .WithProblem("Api_MediaUrlInvalid")
            .When(x => x.Media is not null).OverridePropertyName("media.url");
    }
}

public sealed record ApiMessageView(Guid Id, Guid WorkspaceId, Guid ChatId, string? To, string Direction, string Status, string? Error, DateTimeOffset SentAt);

public sealed record ApiSendOutcome(ApiSendKind Kind, ApiMessageView? Message = null, IDictionary<string, string[]>? Errors = null, int StatusCode = 202)
{
    /// <summary>The stable error codes of <see cref="Errors"/>, field by field (ProblemText keys).</summary>
    public IDictionary<string, string[]>? Codes { get; init; }

    public static readonly ApiSendOutcome NotFound = new(ApiSendKind.NotFound);
    public static readonly ApiSendOutcome InProgress = new(ApiSendKind.InProgress);
    public static readonly ApiSendOutcome KeyReused = new(ApiSendKind.KeyReused);
    public static ApiSendOutcome Invalid(IDictionary<string, string[]> errors) => new(ApiSendKind.Invalid, Errors: errors);
    public static ApiSendOutcome Sent(ApiMessageView m) => new(ApiSendKind.Sent, m);
    public static ApiSendOutcome Repeat(int status, ApiMessageView m) => new(ApiSendKind.Repeat, m, StatusCode: status);
}

public enum ApiSendKind { Sent, Repeat, InProgress, KeyReused, NotFound, Invalid }

/// <summary>
/// A chat as the REST API and the <c>chat.status</c> webhook show it. <see cref="ResolvedAt"/> is null while the chat is
/// open (docs/adr/0038); the customer's next message or an agent's reply clears it.
/// </summary>
public sealed record ApiChatView(Guid Id, Guid WorkspaceId, string Channel, string? Phone, string Name, DateTimeOffset LastMessageAt,
    int UnreadCount, Guid? AssignedUserId, DateTimeOffset? ResolvedAt)
{
    public static IQueryable<ApiChatView> Project(IQueryable<Chat> chats) =>
        chats.Select(c => new ApiChatView(c.Id, c.WorkspaceId, c.Channel == KelolaPesan.Core.Inbox.Channel.Instagram ? "Instagram" : "WhatsApp", c.PhoneNumber,
            c.DisplayName, c.LastMessageAt, c.UnreadCount, c.AssignedUserId, c.ResolvedAt));
}
