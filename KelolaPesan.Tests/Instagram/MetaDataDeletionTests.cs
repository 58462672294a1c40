using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Privacy;
using KelolaPesan.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using static KelolaPesan.Tests.Webhooks.AppWorkspaces;

namespace KelolaPesan.Tests.Instagram;

/// <summary>
/// Meta's data deletion and deauthorize callbacks through the real endpoints with correctly signed requests, against
/// data that arrived the real way (signed webhooks, automations replying through the fake Graph): the rows are gone
/// when the public status page says the request is done.
/// </summary>
public sealed class MetaDataDeletionTests(InstagramAppHost host) : IClassFixture<InstagramAppHost>
{
    private const string DoneText = "Selesai";

    [Fact]
    public async Task DataDeletion_ForTheAccountsOwnId_RemovesItsInstagramData_WhenTheStatusPageSaysDone()
    {
        var account = await host.ConnectAsync("IG own deletion");
        var other = await host.ConnectAsync("IG bystander");
        var customer = NewId();
        await SeedTrafficAsync(account, customer, "own");
        await SeedTrafficAsync(other, customer, "other");

        var page = await RequestDeletionAsync(account.InstagramUserId);
        await WaitUntilDoneAsync(page);

        var ws = account.WorkspaceId;
        Assert.False(await host.QueryAsync(db => db.InstagramAccounts.AnyAsync(a => a.WorkspaceId == ws)));
        Assert.False(await host.QueryAsync(db => db.InstagramMedia.AnyAsync(m => m.WorkspaceId == ws)));
        Assert.False(await host.QueryAsync(db => db.InstagramComments.AnyAsync(c => c.WorkspaceId == ws)));
        Assert.False(await host.QueryAsync(db => db.CommentAutomations.IgnoreQueryFilters([QueryFilters.Tenant, QueryFilters.SoftDelete]).AnyAsync(a => a.WorkspaceId == ws)));
        Assert.False(await host.QueryAsync(db => db.CommentReplies.AnyAsync(r => r.WorkspaceId == ws)));
        Assert.False(await host.QueryAsync(db => db.Chats.IgnoreQueryFilters([QueryFilters.Tenant, QueryFilters.SoftDelete]).AnyAsync(c => c.WorkspaceId == ws && c.Channel == Channel.Instagram)));
        Assert.False(await host.QueryAsync(db => db.Messages.AnyAsync(m => m.WorkspaceId == ws)));
        Assert.False(await host.QueryAsync(db => db.InboundWebhookEvents.AnyAsync(e => e.Payload.Contains("\"" + account.InstagramUserId + "\""))));

        // Another account's data, even with the same customer, stays.
        Assert.True(await host.QueryAsync(db => db.InstagramAccounts.AnyAsync(a => a.WorkspaceId == other.WorkspaceId)));
        Assert.True(await host.QueryAsync(db => db.InstagramComments.AnyAsync(c => c.WorkspaceId == other.WorkspaceId)));
        Assert.True(await host.QueryAsync(db => db.InstagramMedia.AnyAsync(m => m.WorkspaceId == other.WorkspaceId)));
    }

    [Fact]
    public async Task DataDeletion_ForACommenter_RemovesTheirCommentsDmsAndRawWebhooks_AndLeavesOthers()
    {
        var account = await host.ConnectAsync("IG commenter deletion");
        var leaving = NewId();
        var staying = NewId();
        await SeedTrafficAsync(account, leaving, "leave");
        await SeedTrafficAsync(account, staying, "stay", withMedia: false);

        var page = await RequestDeletionAsync(leaving);
        await WaitUntilDoneAsync(page);

        var ws = account.WorkspaceId;
        Assert.False(await host.QueryAsync(db => db.InstagramComments.AnyAsync(c => c.CommenterId == leaving)));
        Assert.False(await host.QueryAsync(db => db.CommentReplies.AnyAsync(r => r.CommentId == "c-leave")));
        Assert.False(await host.QueryAsync(db => db.Chats.IgnoreQueryFilters([QueryFilters.Tenant, QueryFilters.SoftDelete]).AnyAsync(c => c.ExternalChatId == leaving)));
        Assert.False(await host.QueryAsync(db => db.Messages.AnyAsync(m => m.ExternalMessageId == "mid-leave")));
        Assert.False(await host.QueryAsync(db => db.InboundWebhookEvents.AnyAsync(e => e.Payload.Contains("\"" + leaving + "\""))));

        Assert.True(await host.QueryAsync(db => db.InstagramComments.AnyAsync(c => c.CommenterId == staying)));
        Assert.True(await host.QueryAsync(db => db.CommentReplies.AnyAsync(r => r.CommentId == "c-stay")));
        Assert.True(await host.QueryAsync(db => db.Chats.AnyAsync(c => c.WorkspaceId == ws && c.ExternalChatId == staying)));
        Assert.True(await host.QueryAsync(db => db.InboundWebhookEvents.AnyAsync(e => e.Payload.Contains("\"" + staying + "\""))));
        Assert.True(await host.QueryAsync(db => db.InstagramAccounts.AnyAsync(a => a.WorkspaceId == ws)));
    }

    [Fact]
    public async Task Deauthorize_ForTheAccountsOwnId_DisconnectsAtOnce_AndThenRemovesTheAccountAndItsInstagramData()
    {
        var account = await host.ConnectAsync("IG deauthorize");
        var customer = NewId();
        await SeedTrafficAsync(account, customer, "deauth");

        using (var response = await PostSignedAsync("/meta/deauthorize", FakeGraphServer.SignedRequest(account.InstagramUserId)))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The token is gone before the answer; the erase follows as a deletion request.
        Assert.False(await host.QueryAsync(db => db.InstagramAccounts.AnyAsync(a => a.WorkspaceId == account.WorkspaceId && a.AccessTokenEncrypted != null)));
        await EventuallyAsync(() => host.QueryAsync(db => db.DeletionRequests.AnyAsync(r => r.TargetId == account.InstagramUserId
            && r.Scope == DeletionScope.InstagramUser && r.Status == DataJobStatus.Completed)), "deletion completed", seconds: 30);

        var ws = account.WorkspaceId;
        Assert.False(await host.QueryAsync(db => db.InstagramAccounts.AnyAsync(a => a.WorkspaceId == ws)));
        Assert.False(await host.QueryAsync(db => db.InstagramMedia.AnyAsync(m => m.WorkspaceId == ws)));
        Assert.False(await host.QueryAsync(db => db.InstagramComments.AnyAsync(c => c.WorkspaceId == ws)));
        Assert.False(await host.QueryAsync(db => db.CommentAutomations.IgnoreQueryFilters([QueryFilters.Tenant, QueryFilters.SoftDelete]).AnyAsync(a => a.WorkspaceId == ws)));
        Assert.False(await host.QueryAsync(db => db.CommentReplies.AnyAsync(r => r.WorkspaceId == ws)));
        Assert.False(await host.QueryAsync(db => db.Chats.IgnoreQueryFilters([QueryFilters.Tenant, QueryFilters.SoftDelete]).AnyAsync(c => c.WorkspaceId == ws && c.Channel == Channel.Instagram)));
        Assert.False(await host.QueryAsync(db => db.Messages.AnyAsync(m => m.WorkspaceId == ws)));
    }

    private static string NewId() => "1784" + Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999);

    /// <summary>
    /// A post, an automation for every comment, a comment from <paramref name="customer"/> (answered through the fake
    /// Graph) and a DM from them, all through signed webhooks; waits until the automation's reply went out and the DM is in the inbox.
    /// </summary>
    private async Task SeedTrafficAsync(InstagramAppHost.TestAccount account, string customer, string tag, bool withMedia = true)
    {
        if (withMedia)
        {
            await host.QueryAsync(async db =>
            {
                db.InstagramMedia.Add(new InstagramMedia { TenantId = account.TenantId, WorkspaceId = account.WorkspaceId, MediaId = "m-" + tag, Caption = "Promo " + tag });
                return await db.SaveChangesAsync();
            });
            await host.CreateAutomationAsync(account, new CommentAutomationInput { Name = "Semua " + tag, AllComments = true, PrivateReplyTemplate = "Hai {username}" });
        }
        using (var comment = await FakeGraphServer.PostWebhookAsync(host.WebhookUrl,
                   FakeGraphServer.CommentWebhook("c-" + tag, "minta harga " + tag, customer, "pelanggan" + tag, "m-" + tag, account.InstagramUserId)))
            Assert.Equal(HttpStatusCode.OK, comment.StatusCode);
        using (var dm = await FakeGraphServer.PostWebhookAsync(host.WebhookUrl,
                   FakeGraphServer.MessageWebhook("mid-" + tag, customer, "halo " + tag, account.InstagramUserId)))
            Assert.Equal(HttpStatusCode.OK, dm.StatusCode);
        await EventuallyAsync(() => host.QueryAsync(db => db.CommentReplies.AnyAsync(r => r.CommentId == "c-" + tag && r.Status == CommentReplyStatus.Sent)),
            "reply to c-" + tag + " sent");
        await EventuallyAsync(() => host.QueryAsync(db => db.Messages.AnyAsync(m => m.ExternalMessageId == "mid-" + tag)), "DM mid-" + tag + " stored");
    }

    /// <summary>Posts the signed data deletion request; returns the status page URL it answers.</summary>
    private async Task<string> RequestDeletionAsync(string instagramUserId)
    {
        using var response = await PostSignedAsync("/meta/data-deletion", FakeGraphServer.SignedRequest(instagramUserId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (string)answer["url"]!;
    }

    /// <summary>Reads the public status page (Indonesian by default) until it says the request is done.</summary>
    private static async Task WaitUntilDoneAsync(string url)
    {
        using var client = new HttpClient();
        await EventuallyAsync(async () => StatusOf(await client.GetStringAsync(url)) == DoneText, "status page says done", seconds: 30);
    }

    private static string? StatusOf(string html) =>
        Regex.Match(html, "data-testid=\"deletion-status-value\"[^>]*>([^<]*)<") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value).Trim() : null;

    private async Task<HttpResponseMessage> PostSignedAsync(string path, string signedRequest)
    {
        using var client = new HttpClient { BaseAddress = new Uri(host.App.BaseUrl) };
        return await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["signed_request"] = signedRequest }));
    }
}
