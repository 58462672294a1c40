using KelolaPesan.Core.Automation;
using KelolaPesan.Core.Instagram;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Instagram;

/// <summary>Which comments get a private reply, when, and what Graph errors do to it (fake clock, real HTTP to the fake Graph), on every provider.</summary>
public sealed class CommentReplyRulesTests : IAsyncLifetime
{
    private const string PostA = "17900000000000001";
    private const string PostB = "17900000000000002";
    private CommentReplyHarness _h = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_h is not null)
            await _h.DisposeAsync();
    }

    /// <summary>Each test that touches the database runs on every provider (<see cref="ProvidersAttribute"/>).</summary>
    private async Task StartAsync(DatabaseProvider provider) => _h = await CommentReplyHarness.CreateAsync(provider);

    [Theory, Providers]
    public async Task OnlyMatchingAutomations_Reply_ByPostAndKeyword(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await _h.AutomationAsync(new() { Name = "Post A", MediaIds = [PostA], Keywords = ["harga"], PrivateReplyTemplate = "A: hai {username}" });
        await _h.AutomationAsync(new() { Name = "Semua", Keywords = ["katalog"], MatchMode = KeywordMatchMode.Exact, PrivateReplyTemplate = "Katalog untuk {username|kak}" });
        await _h.AutomationAsync(new() { Name = "Off", IsActive = false, AllComments = true, PrivateReplyTemplate = "never" });

        await _h.CommentAsync("c1", "HÁRGA berapa?", mediaId: PostA, username: "budi");   // post A, keyword (accent, case)
        await _h.CommentAsync("c2", "harga berapa?", mediaId: PostB);                     // other post: A does not apply
        await _h.CommentAsync("c3", "  Katalog ", mediaId: PostB, username: "");           // exact, any post
        await _h.CommentAsync("c4", "minta katalog dong", mediaId: PostB);                // not exact

        var replies = _h.Graph.PrivateReplies.ToDictionary(m => m.CommentId!, m => m.Text);
        Assert.Equal(new Dictionary<string, string> { ["c1"] = "A: hai budi", ["c3"] = "Katalog untuk kak" }, replies);
        Assert.Equal(2, await CountAsync(CommentReplyStatus.Sent));
        // Nothing was left queued.
        Assert.Equal(0, await _h.SendDueAsync());
        Assert.Equal(2, _h.Graph.PrivateReplies.Count);
    }

    [Theory, Providers]
    public async Task NoKeyword_IsRefused_UnlessEveryCommentIsChosen(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var validator = new CommentAutomationInputValidator();
        var result = await validator.ValidateAsync(new CommentAutomationInput { Name = "Kosong", Keywords = [" "], PrivateReplyTemplate = "Halo" });
        Assert.Contains(result.Errors, e => e.ErrorCode == CommentAutomationInputValidator.KeywordsRequiredCode);
        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => _h.AutomationAsync(new() { Name = "Kosong", PrivateReplyTemplate = "Halo" }));

        // Every comment is a choice of its own; keywords given with it are not kept.
        var id = await _h.AutomationAsync(new() { Name = "Semua", AllComments = true, Keywords = ["abaikan"], PrivateReplyTemplate = "Halo" });
        var saved = await _h.InTenantAsync(sp => sp.GetRequiredService<CommentAutomationService>().GetAsync(id));
        Assert.Equal((true, 0), (saved.AllComments, saved.Keywords.Count));
        await _h.CommentAsync("any-1", "apa saja");
        Assert.Equal(["any-1"], _h.Graph.PrivateReplies.Select(m => m.CommentId));
    }

    [Fact]
    public async Task StartsWithAndRegex_MatchLikeTheBotRules()
    {
        var automation = new CommentAutomation { IsActive = true, Keywords = "info", MatchMode = KeywordMatchMode.StartsWith };
        Assert.True(CommentAutomationMatcher.Matches(automation, "m", " Info harga"));
        Assert.False(CommentAutomationMatcher.Matches(automation, "m", "minta info"));
        automation.MatchMode = KeywordMatchMode.Regex;
        automation.Keywords = @"size\s*(s|m|l)$";
        Assert.True(CommentAutomationMatcher.Matches(automation, "m", "ada SIZE M"));
        Assert.False(CommentAutomationMatcher.Matches(automation, "m", "ada size xl"));
        // No keyword answers nothing; every comment is an explicit choice.
        automation.Keywords = "";
        Assert.False(CommentAutomationMatcher.Matches(automation, "m", "apa saja"));
        automation.AllComments = true;
        Assert.True(CommentAutomationMatcher.Matches(automation, "m", "apa saja"));
    }

    [Theory, Providers]
    public async Task ACommentOlderThanSevenDays_IsExpired_AndNothingIsSent(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await _h.AutomationAsync(new() { Name = "All", AllComments = true, PrivateReplyTemplate = "Halo" });
        await _h.CommentAsync("old", "halo", at: _h.Clock.GetUtcNow().AddDays(-8));
        await _h.CommentAsync("fresh", "halo", at: _h.Clock.GetUtcNow().AddDays(-6));

        Assert.Equal(CommentReplyStatus.Expired, await StatusAsync("old"));
        Assert.Equal(CommentReplyStatus.Sent, await StatusAsync("fresh"));
        Assert.Equal(["fresh"], _h.Graph.PrivateReplies.Select(m => m.CommentId));
    }

    [Theory, Providers]
    public async Task WhileTheLicenceIsSuspended_RepliesWaitInTheQueue_AndGoOnceItIsReactivated(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await _h.AutomationAsync(new() { Name = "All", AllComments = true, PrivateReplyTemplate = "Halo" });
        await SetLicenceAsync(Core.Tenancy.LicenceStatus.Suspended);

        await _h.CommentAsync("s1", "halo");
        Assert.Equal(CommentReplyStatus.Queued, await StatusAsync("s1"));
        Assert.Equal(0, await _h.SendDueAsync());
        Assert.Empty(_h.Graph.PrivateReplies);

        // Reactivated: the background sender's next round (after the node's kept answer) sends it.
        await SetLicenceAsync(Core.Tenancy.LicenceStatus.Active);
        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await _h.SendDueAsync());
        Assert.Equal(["s1"], _h.Graph.PrivateReplies.Select(m => m.CommentId));
    }

    private async Task SetLicenceAsync(Core.Tenancy.LicenceStatus status)
    {
        await using var db = _h.Database.CreateSystem();
        await Seed.SetLicenceStatusAsync(db, _h.TenantId, status);
    }

    [Theory, Providers]
    public async Task PastSevenHundredFiftyAnHour_RepliesWaitInTheQueue_AndGoLater(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var automationId = await _h.AutomationAsync(new() { Name = "All", AllComments = true, PrivateReplyTemplate = "Halo" });
        // 749 calls already made in the last hour for this account.
        await using (var db = _h.Database.CreateForTenant(_h.TenantId))
        {
            var at = _h.Clock.GetUtcNow().AddMinutes(-30);
            for (var i = 0; i < CommentAutomation.PrivateRepliesPerHour - 1; i++)
            {
                db.CommentReplies.Add(new CommentReply
                {
                    TenantId = _h.TenantId, WorkspaceId = _h.WorkspaceId, AutomationId = automationId, CommentId = "earlier-" + i,
                    Status = CommentReplyStatus.Sent, SentAt = at, LastAttemptAt = at, Attempts = 1,
                });
            }
            await db.SaveChangesAsync();
        }

        await _h.CommentAsync("q1", "halo");
        await _h.CommentAsync("q2", "halo");
        await _h.CommentAsync("q3", "halo");
        Assert.Equal(["q1"], _h.Graph.PrivateReplies.Select(m => m.CommentId));
        Assert.Equal((CommentReplyStatus.Queued, CommentReplyStatus.Queued), (await StatusAsync("q2"), await StatusAsync("q3")));
        Assert.Equal(0, await _h.SendDueAsync());

        // The earlier calls leave the hour window: the queue drains.
        _h.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(2, await _h.SendDueAsync());
        Assert.Equal(["q1", "q2", "q3"], _h.Graph.PrivateReplies.Select(m => m.CommentId));
        Assert.Equal(CommentReplyStatus.Sent, await StatusAsync("q3"));
    }

    [Theory, Providers]
    public async Task Throttling_BacksOff_AndIsRetriedLater(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await _h.AutomationAsync(new() { Name = "All", AllComments = true, PrivateReplyTemplate = "Halo" });
        _h.Graph.FailNext(1, code: 4, pathContains: "/messages", message: "Application request limit reached");

        await _h.CommentAsync("t1", "halo");
        var row = await RowAsync("t1");
        Assert.Equal(CommentReplyStatus.Queued, row.Status);
        Assert.Contains("request limit", row.Error);
        Assert.True(row.NextAttemptAt > _h.Clock.GetUtcNow());
        Assert.Equal(0, await _h.SendDueAsync());
        Assert.Empty(_h.Graph.PrivateReplies);

        _h.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await _h.SendDueAsync());
        row = await RowAsync("t1");
        Assert.Equal((CommentReplyStatus.Sent, 2, null), (row.Status, row.Attempts, row.Error));
        Assert.Single(_h.Graph.PrivateReplies);
    }

    [Theory, Providers]
    public async Task OutsideTheWindow_Fails_AndIsNeverRetried(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await _h.AutomationAsync(new() { Name = "All", AllComments = true, PrivateReplyTemplate = "Halo" });
        _h.Graph.FailNext(1, code: 10, subcode: InstagramGraphException.OutsideWindowSubcode, pathContains: "/messages", message: "outside of allowed window");

        await _h.CommentAsync("w1", "halo");
        var row = await RowAsync("w1");
        Assert.Equal(CommentReplyStatus.Failed, row.Status);
        Assert.Contains("outside of allowed window", row.Error);

        _h.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await _h.SendDueAsync());
        Assert.Equal((CommentReplyStatus.Failed, 1), ((await RowAsync("w1")).Status, (await RowAsync("w1")).Attempts));
        Assert.Empty(_h.Graph.PrivateReplies);
    }

    [Theory, Providers]
    public async Task APermissionError_FailsWithTheErrorShown_AndAnInvalidToken_DisconnectsTheAccount(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await _h.AutomationAsync(new() { Name = "All", AllComments = true, PrivateReplyTemplate = "Halo" });
        _h.Graph.FailNext(1, code: 200, pathContains: "/messages", message: "Requires instagram_business_manage_messages permission");
        await _h.CommentAsync("p1", "halo");
        Assert.Equal(CommentReplyStatus.Failed, (await RowAsync("p1")).Status);
        Assert.Contains("instagram_business_manage_messages", (await RowAsync("p1")).Error);

        _h.Graph.FailNext(1, code: 190, pathContains: "/messages", message: "Error validating access token");
        await _h.CommentAsync("p2", "halo");
        Assert.Equal(CommentReplyStatus.Queued, (await RowAsync("p2")).Status);
        Assert.StartsWith("Instagram_ReconnectNeeded", (await RowAsync("p2")).Error);
        var account = await _h.Database.CreateSystem().InstagramAccounts.SingleAsync(a => a.Id == _h.AccountId);
        Assert.Equal(InstagramConnectionStatus.TokenExpired, account.Status);

        // Disconnected: nothing more is attempted.
        _h.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await _h.SendDueAsync());
        Assert.Empty(_h.Graph.PrivateReplies);
    }

    [Theory, Providers]
    public async Task AReplyThatMetAnExpiredToken_GoesOutRightAfterTheReconnect_NotAnHourLater(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await _h.AutomationAsync(new() { Name = "All", AllComments = true, PrivateReplyTemplate = "Halo" });
        _h.Graph.FailNext(1, code: 190, pathContains: "/messages", message: "Error validating access token");
        await _h.CommentAsync("r1", "halo");
        Assert.Equal(CommentReplyStatus.Queued, (await RowAsync("r1")).Status);
        Assert.Equal(0, await _h.SendDueAsync());

        const string redirect = "https://app.test/instagram/callback";
        var connected = await _h.InTenantAsync(sp => sp.GetRequiredService<InstagramAccountService>()
            .ConnectAsync(_h.WorkspaceId, _h.Graph.IssueCode(redirect), redirect, Core.Audit.AuditActor.System));
        Assert.True(connected.Succeeded);

        // Same moment as the reconnect: no clock has to run out first.
        Assert.Equal(1, await _h.SendDueAsync());
        var row = await RowAsync("r1");
        Assert.Equal((CommentReplyStatus.Sent, null), (row.Status, row.Error));
        Assert.Equal(["r1"], _h.Graph.PrivateReplies.Select(m => m.CommentId));
    }

    [Theory, Providers]
    public async Task AThrottledPublicReply_BacksOff_AndIsRetried_WithoutASecondPrivateReply(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await _h.AutomationAsync(new() { Name = "All", AllComments = true, PrivateReplyTemplate = "Cek DM", PublicReplyTemplate = "Sudah kami DM ya" });
        _h.Graph.FailNext(1, code: 4, pathContains: "/replies", message: "Application request limit reached");

        await _h.CommentAsync("pt1", "halo");
        var row = await RowAsync("pt1");
        Assert.Equal((CommentReplyStatus.Sent, null), (row.Status, row.PublicReplyId));
        Assert.Contains("request limit", row.Error);
        Assert.True(row.NextAttemptAt > _h.Clock.GetUtcNow());
        Assert.Empty(_h.Graph.CommentReplies);

        // Not before the back-off is over.
        await _h.SendDueAsync();
        Assert.Empty(_h.Graph.CommentReplies);

        _h.Clock.Advance(TimeSpan.FromMinutes(2));
        await _h.SendDueAsync();
        row = await RowAsync("pt1");
        var posted = Assert.Single(_h.Graph.CommentReplies);
        Assert.Equal(("pt1", "Sudah kami DM ya"), (posted.CommentId, posted.Message));
        Assert.Equal((posted.ReplyId, null, (DateTimeOffset?)null), (row.PublicReplyId, row.Error, row.NextAttemptAt));
        Assert.Single(_h.Graph.PrivateReplies);

        // Done: nothing more goes out later.
        _h.Clock.Advance(TimeSpan.FromHours(2));
        await _h.SendDueAsync();
        Assert.Single(_h.Graph.CommentReplies);
    }

    [Theory, Providers]
    public async Task APublicReply_GoesUnderTopLevelCommentsOnly(DatabaseProvider provider)
    {
        await StartAsync(provider);
        await _h.AutomationAsync(new() { Name = "All", AllComments = true, PrivateReplyTemplate = "Cek DM", PublicReplyTemplate = "Sudah kami DM ya @{username}" });
        await _h.CommentAsync("top", "halo", username: "dewi");
        await _h.CommentAsync("nested", "halo juga", parentId: "top", username: "eko");

        Assert.Equal(["top", "nested"], _h.Graph.PrivateReplies.Select(m => m.CommentId));
        var reply = Assert.Single(_h.Graph.CommentReplies);
        Assert.Equal(("top", "Sudah kami DM ya @dewi"), (reply.CommentId, reply.Message));
        Assert.Null((await RowAsync("nested")).PublicReplyText);
    }

    [Theory, Providers]
    public async Task AnotherTenantsAutomation_IsNotFound(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var id = await _h.AutomationAsync(new() { Name = "Mine", AllComments = true, PrivateReplyTemplate = "Halo" });

        Task Other(Func<CommentAutomationService, Task> act) => _h.InTenantAsync(sp => act(sp.GetRequiredService<CommentAutomationService>()), _h.OtherTenantId);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Other(s => s.GetAsync(id)));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Other(s => s.UpdateAsync(id, new() { Name = "Taken", AllComments = true, PrivateReplyTemplate = "x" })));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Other(s => s.SetActiveAsync(id, false)));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Other(s => s.DeleteAsync(id)));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Other(s => s.CreateAsync(_h.WorkspaceId, new() { Name = "In", AllComments = true, PrivateReplyTemplate = "x" })));
        Assert.Empty(await _h.InTenantAsync(sp => sp.GetRequiredService<CommentAutomationService>().ListAsync(_h.WorkspaceId), _h.OtherTenantId));

        var mine = await _h.InTenantAsync(sp => sp.GetRequiredService<CommentAutomationService>().GetAsync(id));
        Assert.Equal(("Mine", true), (mine.Name, mine.IsActive));
    }

    [Theory, Providers]
    public async Task TheValidator_ExplainsBadInput(DatabaseProvider provider)
    {
        await StartAsync(provider);
        var validator = new CommentAutomationInputValidator();
        var result = await validator.ValidateAsync(new CommentAutomationInput
        {
            Name = " ", PrivateReplyTemplate = "Hai {username", MatchMode = KeywordMatchMode.Regex, Keywords = ["(unclosed"], MediaIds = ["abc def"],
            PublicReplyTemplate = new string('x', CommentAutomation.ReplyMaxLength + 1),
        });
        var errors = result.Errors.Select(e => e.PropertyName.Split('[')[0]).Distinct().Order().ToList();
        Assert.Equal(["Keywords", "MediaIds", "Name", "PrivateReplyTemplate", "PublicReplyTemplate"], errors);
        Assert.True((await validator.ValidateAsync(new CommentAutomationInput { Name = "Ok", AllComments = true, PrivateReplyTemplate = "Hai {username}", MediaIds = ["17890000000000001"] })).IsValid);

        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => _h.AutomationAsync(new() { Name = "", PrivateReplyTemplate = "" }));
        Assert.Empty(await _h.InTenantAsync(sp => sp.GetRequiredService<CommentAutomationService>().ListAsync(_h.WorkspaceId)));
    }

    private async Task<CommentReply> RowAsync(string commentId)
    {
        await using var db = _h.Database.CreateSystem();
        return await db.CommentReplies.AsNoTracking().SingleAsync(r => r.CommentId == commentId);
    }

    private async Task<CommentReplyStatus> StatusAsync(string commentId) => (await RowAsync(commentId)).Status;

    private async Task<int> CountAsync(CommentReplyStatus status)
    {
        await using var db = _h.Database.CreateSystem();
        return await db.CommentReplies.CountAsync(r => r.WorkspaceId == _h.WorkspaceId && r.Status == status);
    }
}
