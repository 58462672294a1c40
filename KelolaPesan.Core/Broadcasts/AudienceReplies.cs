using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>
/// What an inbound message means for paced sending: an opt-out keyword (the whole message, case-insensitive) sets the
/// contact's opt-out flag, which every later claim honours; any message stops the contact's sequences that stop on reply.
/// </summary>
public sealed class AudienceReplies(IKelolaDbFactory dbFactory, TimeProvider clock)
{
    public static readonly string[] DefaultKeywords = ["STOP", "BERHENTI"];

    public async Task HandleInboundAsync(Guid tenantId, Guid workspaceId, string? e164, string? body, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(e164))
            return;
        await using var db = dbFactory.CreateForTenant(tenantId);
        var contactId = await db.Contacts.Where(c => c.WorkspaceId == workspaceId && c.Phone == e164).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        if (contactId is not { } id)
            return;
        var now = clock.GetUtcNow();
        var optOut = IsOptOut(body, await db.BotSettings.Where(s => s.WorkspaceId == workspaceId).Select(s => s.OptOutKeywords).FirstOrDefaultAsync(ct));
        if (optOut)
            await db.Contacts.Where(c => c.Id == id && !c.OptedOut).ExecuteUpdateAsync(s => s.SetProperty(c => c.OptedOut, true).SetProperty(c => c.OptedOutAt, now), ct);
        await SequenceService.StopForContactAsync(db, id, optOut ? "Opted out" : "Replied", stopOnReplyOnly: !optOut, ct);
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
