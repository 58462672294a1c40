using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Contacts.Import;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Automation;

/// <summary>
/// The auto-reply bot. For each stored inbound message it decides, once, whether and what to answer: the
/// BotReply row is inserted before anything is sent, and its unique inbound message id makes a redelivered
/// event a no-op. Silent while bots are off, the chat is paused, a human replied recently, or the chat hit
/// its cooldown or hourly cap; never answers our own, echoed or watermarked (automated) messages.
/// </summary>
public sealed partial class AutomationService(
    IKelolaDbFactory dbFactory,
    InboxService inbox,
    ContactImportService contactImports,
    WatermarkService watermark,
    LicenceStanding licences,
    TimeProvider clock,
    ILogger<AutomationService> logger) : IInboundAutomation
{
    public const string BotSenderName = "Bot";

    public async Task OnInboundAsync(Guid tenantId, Guid workspaceId, Guid chatId, Guid messageId, CancellationToken ct = default)
    {
        try
        {
            if (await DecideAsync(tenantId, workspaceId, chatId, messageId, ct) is { } replyId)
                await SendAsync(tenantId, replyId, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The inbound message is stored either way; a bot fault must not fail the webhook processing.
            logger.LogError(ex, "Auto-reply failed for message {MessageId} in workspace {WorkspaceId}", messageId, workspaceId);
        }
    }

    /// <summary>
    /// Of these workspaces (of the context's tenant), the ones with an active rule: for the others the burst overload of
    /// <c>OnInboundAsync</c> does nothing. One query for a batch spread over many workspaces (docs/adr/0026).
    /// </summary>
    public static async Task<HashSet<Guid>> WithActiveRulesAsync(IKelolaDb db, IReadOnlyCollection<Guid> workspaceIds, CancellationToken ct) =>
        (await db.BotRules.Where(r => workspaceIds.Contains(r.WorkspaceId) && r.IsActive).Select(r => r.WorkspaceId).Distinct().ToListAsync(ct)).ToHashSet();

    /// <summary>A burst of messages: one look at whether the workspace has any active rule (most have none), then each message as above.</summary>
    public async Task OnInboundAsync(Guid tenantId, Guid workspaceId, IReadOnlyList<StoredInbound> messages, CancellationToken ct = default)
    {
        await using (var db = dbFactory.CreateForTenant(tenantId))
        {
            if (!await db.BotRules.AnyAsync(r => r.WorkspaceId == workspaceId && r.IsActive, ct))
                return;
        }
        foreach (var message in messages)
            await OnInboundAsync(tenantId, workspaceId, message.ChatId, message.MessageId, ct);
    }

    /// <summary>Claims the message with a BotReply row; returns the id of a reply to send now, or null.</summary>
    private async Task<Guid?> DecideAsync(Guid tenantId, Guid workspaceId, Guid chatId, Guid messageId, CancellationToken ct)
    {
        await using var db = dbFactory.CreateForTenant(tenantId);
        var message = await db.Messages.AsNoTracking().Where(m => m.Id == messageId)
            .Select(m => new { m.Direction, m.Origin, m.Body }).FirstOrDefaultAsync(ct);
        // Only a customer's message: never our own sends, phone messages or their echoes.
        if (message is null || message.Direction != MessageDirection.Inbound || message.Origin != MessageOrigin.Customer)
            return null;

        var settings = await db.BotSettings.AsNoTracking().FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId, ct) ?? new BotSettings();
        if (!settings.Enabled || IsOptOut(settings, message.Body))
            return null;
        var rules = await db.BotRules.AsNoTracking().Include(r => r.Keywords)
            .Where(r => r.WorkspaceId == workspaceId && r.IsActive).ToListAsync(ct);
        if (rules.Count == 0)
            return null;
        if (await LooksAutomatedAsync(db, chatId, message.Body, ct))
            return null;

        var chat = await db.Chats.AsNoTracking().Where(c => c.Id == chatId)
            .Select(c => new { c.BotPaused, c.DisplayName, c.PhoneNumber, c.ContactId }).FirstAsync(ct);
        var now = clock.GetUtcNow();
        var reply = new BotReply { TenantId = tenantId, WorkspaceId = workspaceId, InboundMessageId = messageId, ChatId = chatId };

        if (chat.BotPaused)
            return await ClaimAsync(db, reply, suppressed: "paused", ct);
        if (await HumanRepliedSinceAsync(db, chatId, now.AddMinutes(-settings.HumanTakeoverMinutes), ct))
            return await ClaimAsync(db, reply, suppressed: "human takeover", ct);

        var firstMessage = await db.Messages.CountAsync(m => m.ChatId == chatId && m.Direction == MessageDirection.Inbound, ct) <= 1;
        var zone = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.TimeZone).FirstOrDefaultAsync(ct);
        var match = KeywordMatcher.Select(rules, message.Body, firstMessage, BotHours.ToLocal(now, zone), logger);
        if (match is null)
            return null;
        reply.RuleId = match.Rule.Id;

        var counted = db.BotReplies.Where(r => r.ChatId == chatId && (r.Status == BotReplyStatus.Sent || r.Status == BotReplyStatus.Scheduled));
        if (settings.CooldownSeconds > 0 && await counted.AnyAsync(r => r.CreatedAt > now.AddSeconds(-settings.CooldownSeconds), ct))
            return await ClaimAsync(db, reply, suppressed: "cooldown", ct);
        if (await counted.CountAsync(r => r.CreatedAt > now.AddHours(-1), ct) >= settings.MaxRepliesPerHour)
            return await ClaimAsync(db, reply, suppressed: "hourly cap", ct);

        var text = MessageTemplate.Render(match.Template, MessageTemplate.Values(chat.DisplayName, chat.PhoneNumber), Random.Shared);
        reply.RenderedText = Limit(WatermarkService.Append(text, await FooterAsync(tenantId, ct)), BotRule.ReplyMaxLength + 500);
        reply.AttachmentId = match.OutsideHours ? null : match.Rule.AttachmentId;
        reply.Status = BotReplyStatus.Scheduled;
        var delayed = match.Rule.DelaySeconds > 0 && !match.OutsideHours;
        // DueAt null on a Scheduled row means "being sent now"; the sweep only takes rows with a due time.
        reply.DueAt = delayed ? now.AddSeconds(match.Rule.DelaySeconds) : null;
        if (await ClaimAsync(db, reply, suppressed: null, ct) is null)
            return null;
        await ApplyActionsAsync(tenantId, workspaceId, chatId, chat.ContactId, match.Rule, ct);
        return delayed ? null : reply.Id;
    }

    /// <summary>Inserts the reply row; the unique inbound message id turns a concurrent duplicate into null.</summary>
    private static async Task<Guid?> ClaimAsync(IKelolaDb db, BotReply reply, string? suppressed, CancellationToken ct)
    {
        if (suppressed is not null)
        {
            reply.Status = BotReplyStatus.Suppressed;
            reply.Error = suppressed;
        }
        db.BotReplies.Add(reply);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return null;
        }
        return suppressed is null ? reply.Id : null;
    }

    /// <summary>An agent's reply (inbox or the business phone) within the takeover window.</summary>
    private static async Task<bool> HumanRepliedSinceAsync(IKelolaDb db, Guid chatId, DateTimeOffset since, CancellationToken ct) =>
        await db.Chats.AnyAsync(c => c.Id == chatId && c.LastAgentReplyAt > since, ct)
        || await db.Messages.AnyAsync(m => m.ChatId == chatId && m.Direction == MessageDirection.Outbound
                                           && (m.Origin == MessageOrigin.Agent || m.Origin == MessageOrigin.Phone) && m.SentAt > since, ct);

    /// <summary>
    /// Another bot talking to ours: a message ending with the platform footer, or repeating a reply our bot sent
    /// in this chat within the hour, is an automated message and never answered (no ping-pong).
    /// </summary>
    private async Task<bool> LooksAutomatedAsync(IKelolaDb db, Guid chatId, string body, CancellationToken ct)
    {
        if (await watermark.EndsWithWatermarkAsync(body, ct))
            return true;
        var since = clock.GetUtcNow().AddHours(-1);
        var trimmed = body.Trim();
        return trimmed.Length > 0 && await db.BotReplies.AnyAsync(r => r.ChatId == chatId && r.CreatedAt > since && r.RenderedText == trimmed, ct);
    }

    private static bool IsOptOut(BotSettings settings, string body)
    {
        var text = KeywordMatcher.Normalize(body);
        return settings.OptOutKeywords.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(k => KeywordMatcher.Normalize(k) == text);
    }

    private async Task<string?> FooterAsync(Guid tenantId, CancellationToken ct)
    {
        await using var system = dbFactory.CreateSystem();
        var tier = await system.Tenants.Where(t => t.Id == tenantId).Select(t => (Tenancy.PolicyTier?)t.Licence!.Tier).FirstOrDefaultAsync(ct);
        return tier is { } t ? await watermark.FooterForAsync(t, ct) : null;
    }

    /// <summary>
    /// The rule's optional label on the chat and list membership for the chat's contact. A chat without a contact
    /// gets one first, made from the chat's name and number the way "import from chats" makes it.
    /// </summary>
    private async Task ApplyActionsAsync(Guid tenantId, Guid workspaceId, Guid chatId, Guid? contactId, BotRule rule, CancellationToken ct)
    {
        if (rule.AddLabelId is null && rule.AddToListId is null)
            return;
        if (rule.AddToListId is not null && contactId is null)
            contactId = await contactImports.EnsureContactForChatAsync(tenantId, chatId, ct);
        await using var db = dbFactory.CreateForTenant(tenantId);
        if (rule.AddLabelId is { } labelId && await db.Labels.AnyAsync(l => l.Id == labelId, ct)
            && !await db.ChatLabels.AnyAsync(l => l.ChatId == chatId && l.LabelId == labelId, ct))
            db.ChatLabels.Add(new ChatLabel { TenantId = tenantId, WorkspaceId = workspaceId, ChatId = chatId, LabelId = labelId });
        if (rule.AddToListId is { } listId && contactId is { } contact && await db.ContactLists.AnyAsync(l => l.Id == listId, ct)
            && !await db.ContactListMembers.AnyAsync(m => m.ContactListId == listId && m.ContactId == contact, ct))
            db.ContactListMembers.Add(new ContactListMember { TenantId = tenantId, WorkspaceId = workspaceId, ContactListId = listId, ContactId = contact });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex)
        {
            logger.LogWarning(ex, "Bot rule {RuleId} could not add its label or list", rule.Id);
        }
    }

    /// <summary>Sends a claimed reply; a delayed one is checked again for a human who took over meanwhile.</summary>
    private async Task SendAsync(Guid tenantId, Guid replyId, CancellationToken ct)
    {
        await using var db = dbFactory.CreateForTenant(tenantId);
        var reply = await db.BotReplies.FirstAsync(r => r.Id == replyId, ct);
        var chat = await db.Chats.AsNoTracking().Where(c => c.Id == reply.ChatId).Select(c => new { c.BotPaused, c.WorkspaceId }).FirstOrDefaultAsync(ct);
        if (chat is null || chat.BotPaused || await HumanRepliedSinceAsync(db, reply.ChatId, reply.CreatedAt, ct))
        {
            reply.Status = BotReplyStatus.Suppressed;
            reply.Error = chat is null ? "chat gone" : "human took over before the delay ended";
            await db.SaveChangesAsync(CancellationToken.None);
            return;
        }
        // A suspended or expired tenant's bot is silent; the reply is not kept for later (the moment has passed).
        if (!await licences.IsUsableAsync(tenantId, ct))
        {
            reply.Status = BotReplyStatus.Suppressed;
            reply.Error = "licence suspended or expired";
            await db.SaveChangesAsync(CancellationToken.None);
            return;
        }
        var sent = reply.AttachmentId is { } attachmentId
            ? await inbox.SendAutomatedAttachmentAsync(tenantId, reply.ChatId, attachmentId, reply.RenderedText, MessageOrigin.Bot, BotSenderName, ct)
            : await inbox.SendAutomatedTextAsync(tenantId, reply.ChatId, reply.RenderedText, MessageOrigin.Bot, BotSenderName, ct);
        reply.OutboundMessageId = sent.Id;
        reply.Status = sent.Status == MessageStatus.Failed ? BotReplyStatus.Failed : BotReplyStatus.Sent;
        reply.Error = sent.Error is null ? null : Limit(sent.Error, 1000);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>Delayed replies whose time has come (run by a Quartz job); each row is claimed by one conditional update.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        List<(Guid Id, Guid TenantId, DateTimeOffset DueAt)> due;
        await using (var system = dbFactory.CreateSystem())
        {
            var rows = await system.BotReplies.AsNoTracking()
                .Where(r => r.Status == BotReplyStatus.Scheduled && r.DueAt != null && r.DueAt <= now)
                .Select(r => new { r.Id, r.TenantId, r.DueAt }).Take(200).ToListAsync(ct);
            due = rows.Select(r => (r.Id, r.TenantId, r.DueAt!.Value)).ToList();
        }
        var sent = 0;
        foreach (var (id, tenantId, dueAt) in due)
        {
            await using var db = dbFactory.CreateForTenant(tenantId);
            var claimed = await db.BotReplies.Where(r => r.Id == id && r.Status == BotReplyStatus.Scheduled && r.DueAt == dueAt)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.DueAt, (DateTimeOffset?)null), ct);
            if (claimed != 1)
                continue;
            try
            {
                await SendAsync(tenantId, id, ct);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Delayed bot reply {ReplyId} failed", id);
                await db.BotReplies.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, BotReplyStatus.Failed).SetProperty(r => r.Error, Limit(ex.Message, 1000)), CancellationToken.None);
            }
        }
        return sent;
    }

    private static string Limit(string value, int max) => value.Length <= max ? value : value[..max];
}
