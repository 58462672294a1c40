using KelolaPesan.Core.Common;
using KelolaPesan.Core.Privacy;
using Microsoft.EntityFrameworkCore;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Data;

namespace KelolaPesan.Tests.Privacy;

/// <summary>The policy's deletion promises, as docs/privacy-map.md states them.</summary>
public sealed class DataDeletionTests
{
    private static async Task<DeletionRequest> DeleteAsync(PrivacyHost host, DeletionScope scope, Guid target)
    {
        var request = await host.Run<DataDeletionService, DeletionRequest?>(s => s.RequestAsync(scope, target, PrivacyHost.Owner));
        Assert.NotNull(request);
        await host.Run<DataDeletionService, bool>(async s => { await s.RunAsync(request.Id); return true; });
        return request;
    }

    [Theory, Providers]
    public async Task DeletingAContact_RemovesItsChatsMessagesAndFiles_AnonymisesRecipients_AndNothingOfItIsInALaterExport(DatabaseProvider provider)
    {
        await using var host = await PrivacyHost.CreateAsync(provider: provider);
        var alpha = await host.SeedAsync(host.Alpha, "alpha", "+6281234500001");
        var bravo = await host.SeedAsync(host.Bravo, "bravo", "+6281234500001");

        var request = await DeleteAsync(host, DeletionScope.Contact, alpha.ContactId);

        await using (var db = host.Database.CreateSystem())
        {
            Assert.False(await db.Contacts.IgnoreQueryFilters([QueryFilters.Tenant, QueryFilters.SoftDelete]).AnyAsync(c => c.Id == alpha.ContactId));
            Assert.False(await db.Chats.IgnoreQueryFilters([QueryFilters.Tenant, QueryFilters.SoftDelete]).AnyAsync(c => c.Id == alpha.ChatId));
            Assert.False(await db.Messages.AnyAsync(m => m.ChatId == alpha.ChatId));
            Assert.False(await db.Attachments.IgnoreQueryFilters([QueryFilters.Tenant, QueryFilters.SoftDelete]).AnyAsync(a => a.Id == alpha.AttachmentId));
            Assert.False(await db.ContactFieldValues.AnyAsync(v => v.ContactId == alpha.ContactId));
            var recipient = await db.BroadcastRecipients.SingleAsync(r => r.Id == alpha.RecipientId);
            Assert.Equal(("#1", null, "", null), (recipient.Phone, recipient.Name, recipient.RenderedText, recipient.ContactId));
            Assert.Equal(Core.Broadcasts.RecipientStatus.Delivered, recipient.Status);
            var entry = await db.ValidationEntries.SingleAsync(e => e.Id == alpha.EntryId);
            Assert.Equal(("", null), (entry.RawInput, entry.NormalizedNumber));
            // The other tenant's contact with the very same number is untouched.
            Assert.True(await db.Contacts.AnyAsync(c => c.Id == bravo.ContactId));
            Assert.True(await db.Messages.AnyAsync(m => m.ChatId == bravo.ChatId));
        }
        Assert.Null(await host.Store.OpenReadAsync(alpha.StorageKey));
        await using (var file = await host.Store.OpenReadAsync(bravo.StorageKey))
            Assert.NotNull(file);

        var status = await host.Run<DataDeletionService, DeletionStatusView?>(s => s.LookupAsync(request.ConfirmationCode.ToLowerInvariant()));
        Assert.Equal(DataJobStatus.Completed, status?.Status);

        var entries = await DataExportTests.ExportAsync(host);
        foreach (var gone in new[] { "alpha-contact", "alpha-chat", "alpha-message", "alpha-file-bytes", "alpha-recipient", "alpha-rendered",
                     "alpha-fieldvalue", "+6281234500001", "alpha@example.test" })
            Assert.All(entries, e => Assert.DoesNotContain(gone, e.Value, StringComparison.Ordinal));
        Assert.Contains("alpha-broadcast", entries["json/broadcasts.json"]);

        await using var audit = host.Database.CreateSystem();
        var actions = await audit.AuditEntries.Where(a => a.TargetId == alpha.ContactId.ToString()).Select(a => a.Action).ToListAsync();
        Assert.Equal(new[] { PrivacyAuditActions.DeletionRequested, PrivacyAuditActions.DeletionCompleted }.Order(), actions.Order());
    }

    [Theory, Providers]
    public async Task DeletingAnUnreadChat_TakesItsUnreadOffTheWorkspacesCounters(DatabaseProvider provider)
    {
        await using var host = await PrivacyHost.CreateAsync(provider: provider);
        var gone = await host.SeedAsync(host.Alpha, "alpha", "+6281234500001");
        var kept = await host.SeedAsync(host.Alpha, "kept", "+6281234500002");
        await using (var db = host.Database.CreateSystem())
        {
            await db.Chats.Where(c => c.Id == gone.ChatId).ExecuteUpdateAsync(s => s.SetProperty(c => c.UnreadCount, 10));
            await db.Chats.Where(c => c.Id == kept.ChatId).ExecuteUpdateAsync(s => s.SetProperty(c => c.UnreadCount, 3));
            foreach (var workspace in new[] { gone.WorkspaceId, kept.WorkspaceId }.Distinct())
                await db.Workspaces.Where(w => w.Id == workspace).ExecuteUpdateAsync(s => s
                    .SetProperty(w => w.UnreadChats, w => db.Chats.Count(c => c.WorkspaceId == w.Id && c.UnreadCount > 0))
                    .SetProperty(w => w.UnreadMessages, w => db.Chats.Where(c => c.WorkspaceId == w.Id).Sum(c => c.UnreadCount)));
        }

        await DeleteAsync(host, DeletionScope.Chat, gone.ChatId);

        // The stored counters equal what the remaining chats hold.
        await using var check = host.Database.CreateSystem();
        foreach (var workspace in await check.Workspaces.ToListAsync())
        {
            var chats = check.Chats.Where(c => c.WorkspaceId == workspace.Id);
            Assert.Equal((await chats.CountAsync(c => c.UnreadCount > 0), await chats.SumAsync(c => c.UnreadCount)),
                (workspace.UnreadChats, workspace.UnreadMessages));
        }
        Assert.Equal(3, await check.Workspaces.SumAsync(w => w.UnreadMessages));
    }

    [Theory, Providers]
    public async Task AnotherTenantsIds_AreNotFound_AndUnknownCodesShowNothing(DatabaseProvider provider)
    {
        await using var host = await PrivacyHost.CreateAsync(provider: provider);
        var alpha = await host.SeedAsync(host.Alpha, "alpha", "+6281234500001");
        host.CurrentTenant = host.Bravo;
        foreach (var (scope, id) in new[] { (DeletionScope.Contact, alpha.ContactId), (DeletionScope.Chat, alpha.ChatId),
                     (DeletionScope.Workspace, alpha.WorkspaceId), (DeletionScope.InstagramData, alpha.WorkspaceId), (DeletionScope.Tenant, host.Alpha) })
            Assert.Null(await host.Run<DataDeletionService, DeletionRequest?>(s => s.RequestAsync(scope, id, PrivacyHost.Owner)));
        await using (var db = host.Database.CreateSystem())
            Assert.Equal(0, await db.Contacts.CountAsync(c => c.DeletedAt != null));
        Assert.Null(await host.Run<DataDeletionService, DeletionStatusView?>(s => s.LookupAsync("DEL-NOTAREALCODE")));
    }

    [Theory, Providers]
    public async Task DeletingAWorkspace_RemovesAllItsData_AndFiles_AndLeavesTheOtherWorkspace(DatabaseProvider provider)
    {
        await using var host = await PrivacyHost.CreateAsync(provider: provider);
        var gone = await host.SeedAsync(host.Alpha, "alpha", "+6281234500001");
        var kept = await host.SeedAsync(host.Alpha, "kept", "+6281234500001");

        var request = await DeleteAsync(host, DeletionScope.Workspace, gone.WorkspaceId);

        await using var db = host.Database.CreateSystem();
        Assert.False(await db.Workspaces.IgnoreQueryFilters([QueryFilters.Tenant, QueryFilters.SoftDelete]).AnyAsync(w => w.Id == gone.WorkspaceId));
        Assert.False(await db.BroadcastRecipients.AnyAsync(r => r.WorkspaceId == gone.WorkspaceId));
        Assert.False(await db.InstagramAccounts.AnyAsync(r => r.WorkspaceId == gone.WorkspaceId));
        Assert.False(await db.ValidationEntries.AnyAsync(r => r.WorkspaceId == gone.WorkspaceId));
        Assert.Null(await host.Store.OpenReadAsync(gone.StorageKey));
        Assert.True(await db.Messages.AnyAsync(m => m.ChatId == kept.ChatId));
        Assert.Equal(DataJobStatus.Completed, (await db.DeletionRequests.SingleAsync(r => r.Id == request.Id)).Status);
    }
}
