using KelolaPesan.Core.Common;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Inbox;

/// <summary>A customer's message into the browser tests' demo app, stored and counted as the webhook path does.</summary>
public static class BrowserInbound
{
    /// <summary>
    /// Stores the message, bumps the chat's counters (which opens a resolved chat again) and, when <paramref name="announce"/>,
    /// publishes it on the app's bus; without it the open pages have not seen it yet (a message in flight).
    /// </summary>
    public static async Task<Guid> ReceiveAsync(KelolaAppFactory app, Guid tenantId, Guid workspaceId, Guid chatId, string body, bool announce = true)
    {
        using var scope = app.Services.CreateScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateForTenant(tenantId);
        var now = DateTimeOffset.UtcNow;
        var message = new Message
        {
            TenantId = tenantId, WorkspaceId = workspaceId, ChatId = chatId, ExternalMessageId = "browser_" + Guid.NewGuid().ToString("N"),
            Direction = MessageDirection.Inbound, Origin = MessageOrigin.Customer, Body = body, Status = MessageStatus.Delivered, SentAt = now,
        };
        await db.InTransactionAsync(async ct =>
        {
            db.Messages.Add(message);
            await db.SaveChangesAsync(ct);
            await scope.ServiceProvider.GetRequiredService<IChatCounters>().BumpAsync(db, [new ChatBump(chatId, 1, now, now, body)], ct);
        });
        if (announce)
            await app.Services.GetRequiredService<IRealtimeBus>().PublishAsync(Topics.Workspace(workspaceId),
                new ChatMessageAdded(tenantId, workspaceId, chatId, message.Id, MessageDirection.Inbound));
        return message.Id;
    }
}
