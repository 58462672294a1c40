using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Privacy;

/// <summary>
/// Corrections the other screens did not offer: the chat's display name (a customer's push name or number
/// shown in the inbox). Contacts are edited in the contacts dialog (name, phone, email, group, fields).
/// </summary>
public sealed class CorrectionService(IKelolaDbFactory dbFactory, AuditLog audit, IRealtimeBus bus)
{
    /// <summary>Renames a chat of the current tenant; false when it is not found or the name is empty.</summary>
    public async Task<bool> RenameChatAsync(Guid chatId, string displayName, AuditActor actor, CancellationToken ct = default)
    {
        var name = NulText.Name(displayName) ?? "";
        if (name.Length == 0)
            return false;
        if (name.Length > Chat.DisplayNameMaxLength)
            name = name[..Chat.DisplayNameMaxLength];
        await using var db = await dbFactory.CreateAsync(ct);
        if (await db.Chats.FirstOrDefaultAsync(c => c.Id == chatId, ct) is not { } chat)
            return false;
        chat.DisplayName = name;
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(PrivacyAuditActions.ChatRenamed, actor, chat.TenantId, "Chat", chat.Id.ToString(), cancellationToken: ct);
        // Every open inbox of the workspace shows the new name in its list and header without a reload.
        await bus.PublishAsync(Topics.Workspace(chat.WorkspaceId), new ChatChanged(chat.TenantId, chat.WorkspaceId, chat.Id));
        return true;
    }
}
