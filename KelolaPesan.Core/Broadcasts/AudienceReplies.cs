using KelolaPesan.Core.Common;
using KelolaPesan.Core.Realtime;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>
/// What an inbound message means for paced sending: an opt-out keyword (the whole message, case-insensitive) sets the
/// contact's opt-out flag, which every later claim honours; any message stops the contact's sequences that stop on reply.
/// </summary>
public sealed class AudienceReplies(IKelolaDbFactory dbFactory, IRealtimeBus bus, TimeProvider clock)
{
    public static readonly string[] DefaultKeywords = ["STOP", "BERHENTI"];

    public Task HandleInboundAsync(Guid tenantId, Guid workspaceId, string? e164, string? body, CancellationToken ct = default) =>
        string.IsNullOrEmpty(e164) ? Task.CompletedTask : HandleInboundAsync(tenantId, workspaceId, [new InboundReply(e164, body)], ct);

    /// <summary>
    /// Of these senders (a workspace and a number each), the workspaces where the number is a contact: for the others
    /// <see cref="HandleInboundAsync(Guid, Guid, IReadOnlyList{InboundReply}, CancellationToken)"/> does nothing. One query
    /// for a batch spread over many workspaces, of any tenants the context sees, instead of one context and query each
    /// (docs/adr/0026).
    /// </summary>
    public static async Task<HashSet<Guid>> WithContactsAsync(IKelolaDb db, IReadOnlyCollection<(Guid WorkspaceId, string Phone)> senders,
        CancellationToken ct)
    {
        var workspaceIds = senders.Select(s => s.WorkspaceId).Distinct().ToList();
        var phones = senders.Select(s => s.Phone).Distinct().ToList();
        var contacts = await db.Contacts.Where(c => workspaceIds.Contains(c.WorkspaceId) && phones.Contains(c.Phone))
            .Select(c => new { c.WorkspaceId, c.Phone }).ToListAsync(ct);
        var wanted = senders.ToHashSet();
        return contacts.Where(c => wanted.Contains((c.WorkspaceId, c.Phone))).Select(c => c.WorkspaceId).ToHashSet();
    }

    /// <summary>Messages of one workspace in their order: one query finds which senders are contacts (in a burst, usually few).</summary>
    public async Task HandleInboundAsync(Guid tenantId, Guid workspaceId, IReadOnlyList<InboundReply> replies, CancellationToken ct = default)
    {
        var phones = replies.Select(r => r.E164).Distinct().ToList();
        await using var db = dbFactory.CreateForTenant(tenantId);
        var contacts = await db.Contacts.Where(c => c.WorkspaceId == workspaceId && phones.Contains(c.Phone))
            .Select(c => new { c.Id, c.Phone }).ToDictionaryAsync(c => c.Phone, c => c.Id, ct);
        if (contacts.Count == 0)
            return;
        var keywords = await db.BotSettings.Where(s => s.WorkspaceId == workspaceId).Select(s => s.OptOutKeywords).FirstOrDefaultAsync(ct);
        foreach (var reply in replies)
        {
            if (!contacts.TryGetValue(reply.E164, out var id))
                continue;
            var now = clock.GetUtcNow();
            var optOut = IsOptOut(reply.Body, keywords);
            if (optOut)
                await db.Contacts.Where(c => c.Id == id && !c.OptedOut).ExecuteUpdateAsync(s => s.SetProperty(c => c.OptedOut, true).SetProperty(c => c.OptedOutAt, now), ct);
            foreach (var sequenceId in await SequenceService.StopForContactAsync(db, id, optOut ? "Opted out" : "Replied", stopOnReplyOnly: !optOut, ct))
                await bus.PublishAsync(BroadcastTopics.Sequence(sequenceId), new SequenceProgressChanged(tenantId, sequenceId));
        }
    }

    public static bool IsOptOut(string? body, string? keywords)
    {
        var text = body?.Trim();
        if (string.IsNullOrEmpty(text))
            return false;
        var list = string.IsNullOrWhiteSpace(keywords) ? DefaultKeywords : keywords.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return list.Any(k => string.Equals(k, text, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>An inbound message as the audience rules see it: the sender's number (E.164) and the text.</summary>
public sealed record InboundReply(string E164, string? Body);
