using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Tests.Gateways;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Data;

namespace KelolaPesan.Tests.Broadcasts;

public class BroadcastDispatchTests
{
    internal static PolicySettings Fast() => new()
    {
        MinDelaySeconds = 0, MaxDelaySeconds = 0, BatchSize = 1000, BatchRestSeconds = 0, DailyCapPerWorkspace = 100_000,
        SendWindowStart = new TimeOnly(0, 0), SendWindowEnd = new TimeOnly(0, 0),
    };

    // Numbers ending in 0 are not on WhatsApp at the simulator and the fake WAHA (the dispatcher checks before sending): left out here.
    internal static string Numbers(int count, int from = 0) =>
        string.Join("\n", Enumerable.Range(from, count).Select(i => $"0812{3000000 + OnWhatsApp(i)}"));

    private static int OnWhatsApp(int i) => i + i / 9 + 1;

    [Theory]
    [InlineData("id", "Dilewati", "Kontak berhenti berlangganan.", "Nomor tidak valid: Nomor telepon bukan angka.", "Menunggu")]
    [InlineData("en", "Skipped", "The contact opted out.", "Invalid number: The phone number is not a number.", "Pending")]
    public async Task TheReport_WritesStatusesAndSkipReasons_InTheReadersLanguage(string culture, string skipped, string optedOut, string invalid, string pending)
    {
        await using var host = await BroadcastHost.CreateAsync(Fast());
        await host.AddContactAsync("+6281230000001", "Ani", optedOut: true);
        var created = await host.CreateAsync(host.Request("081230000001\nabc\n081230000003"));
        Assert.True(created.Succeeded, string.Join(", ", created.Errors));

        var before = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo(culture);
        try
        {
            using var file = new MemoryStream();
            Assert.True(await host.InScopeAsync(sp => sp.GetRequiredService<BroadcastReport>().WriteAsync(created.BroadcastId!.Value, file)));
            file.Position = 0;
            using var book = new ClosedXML.Excel.XLWorkbook(file);
            var rows = book.Worksheet(1).RowsUsed().Skip(1).ToDictionary(r => r.Cell(2).GetString(), r => (Status: r.Cell(4).GetString(), Reason: r.Cell(7).GetString()));
            Assert.Equal((skipped, optedOut), rows["+6281230000001"]);
            Assert.Equal((skipped, invalid), rows["abc"]);
            Assert.Equal((pending, ""), rows["+6281230000003"]);
        }
        finally
        {
            (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = before;
        }
    }

    /// <summary>QA (2026-12-06): the report listed the recipients a cancel took out of the queue as skipped.</summary>
    [Theory]
    [InlineData("id", "Dibatalkan", "Siaran dibatalkan sebelum pesan ini dikirim.", "Dilewati")]
    [InlineData("en", "Cancelled", "The broadcast was cancelled before this message was sent.", "Skipped")]
    public async Task TheReport_ListsCancelledRecipientsAsCancelled_NotSkipped(string culture, string cancelled, string reason, string skipped)
    {
        await using var host = await BroadcastHost.CreateAsync(Fast());
        var created = await host.CreateAsync(host.Request("081230000011\nabc\n081230000013"));
        Assert.True(created.Succeeded, string.Join(", ", created.Errors));
        Assert.True(await host.InScopeAsync(sp => sp.GetRequiredService<BroadcastService>().CancelAsync(created.BroadcastId!.Value)));

        var before = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo(culture);
        try
        {
            using var file = new MemoryStream();
            Assert.True(await host.InScopeAsync(sp => sp.GetRequiredService<BroadcastReport>().WriteAsync(created.BroadcastId!.Value, file)));
            file.Position = 0;
            using var book = new ClosedXML.Excel.XLWorkbook(file);
            var rows = book.Worksheet(1).RowsUsed().Skip(1).ToDictionary(r => r.Cell(2).GetString(), r => (Status: r.Cell(4).GetString(), Reason: r.Cell(7).GetString()));
            Assert.Equal((cancelled, reason), rows["+6281230000011"]);
            Assert.Equal((cancelled, reason), rows["+6281230000013"]);
            // Skipped for its own reason before the cancel: still skipped.
            Assert.Equal(skipped, rows["abc"].Status);
        }
        finally
        {
            (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = before;
        }
    }

    [Theory, Providers]
    public async Task Create_SkipsOptedOutInvalidAndNotRegistered_WithReasons_AndDropsDuplicates(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(Fast(), provider: provider);
        await host.AddContactAsync("+6281230000001", "Ani", optedOut: true);
        await host.AddContactAsync("+6281230000002", "Budi", validation: ValidationStatus.NotRegistered);
        var created = await host.CreateAsync(host.Request("081230000001\n081230000002\n081230000003\n+62 812-3000-0003\nabc\n081230000004"));

        Assert.True(created.Succeeded, string.Join(", ", created.Errors));
        Assert.Equal(1, created.DuplicatesRemoved);
        var rows = await host.RecipientsAsync(created.BroadcastId!.Value);
        Assert.Equal(5, rows.Count);
        Assert.Equal(BroadcastAudience.ReasonOptedOut, rows.Single(r => r.Phone == "+6281230000001").SkipReason);
        Assert.Equal(BroadcastAudience.ReasonNotRegistered, rows.Single(r => r.Phone == "+6281230000002").SkipReason);
        Assert.StartsWith(BroadcastAudience.ReasonInvalidPrefix, rows.Single(r => r.Phone == "abc").SkipReason);
        Assert.All(rows.Where(r => r.SkipReason is not null), r => Assert.Equal(RecipientStatus.Skipped, r.Status));
        var footer = (await host.BroadcastAsync(created.BroadcastId!.Value)).WatermarkFooter;
        Assert.Equal(WatermarkService.Append("Halo Budi", footer), rows.Single(r => r.Phone == "+6281230000002").RenderedText);
        Assert.Equal(WatermarkService.Append("Halo Kak", footer), rows.Single(r => r.Phone == "+6281230000003").RenderedText);
        Assert.All(rows, r => Assert.Equal($"b:{r.BroadcastId}:{r.Id}", r.IdempotencyKey));
        var b = await host.BroadcastAsync(created.BroadcastId.Value);
        Assert.Equal((5, 2, 3), (b.TotalRecipients, b.PendingCount, b.SkippedCount));

        await host.RunToEndAsync();
        Assert.Equal(1, await host.SimulatorSendsToAsync("+6281230000003"));
        Assert.Equal(0, await host.SimulatorSendsToAsync("+6281230000001"));
        b = await host.BroadcastAsync(created.BroadcastId.Value);
        Assert.Equal((BroadcastStatus.Completed, 0, 2), (b.Status, b.PendingCount, b.SentCount));
    }

    // Recipients are rendered on a pool thread and inserted in chunks as they come: several chunks, one transaction.
    [Theory, Providers]
    public async Task Create_OfSeveralThousand_WritesEveryRecipientOnceInAudienceOrder(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(Fast(), provider: provider);
        var created = await host.CreateAsync(host.Request(Numbers(4_500), text: "{Halo|Hai} {name|Kak}"));

        Assert.Equal((4_500, 0), (created.Recipients, created.Skipped));
        var rows = await host.RecipientsAsync(created.BroadcastId!.Value);
        Assert.Equal(Enumerable.Range(0, 4_500), rows.Select(r => r.Sequence));
        Assert.Equal(Enumerable.Range(0, 4_500).Select(i => $"+62812{3000000 + OnWhatsApp(i)}"), rows.Select(r => r.Phone));
        Assert.Equal(4_500, rows.Select(r => r.IdempotencyKey).Distinct().Count());
        var b = await host.BroadcastAsync(created.BroadcastId.Value);
        Assert.All(rows, r => Assert.Contains(r.RenderedText, new[] { "Halo Kak", "Hai Kak" }.Select(t => WatermarkService.Append(t, b.WatermarkFooter))));
        Assert.Equal((4_500, 4_500, 0), (b.TotalRecipients, b.PendingCount, b.SkippedCount));
    }

    [Theory, Providers]
    public async Task Create_ClampsPacingToThePolicy_AndAppendsTheWatermark(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(new PolicySettings { MinDelaySeconds = 30, MaxDelaySeconds = 60, BatchSize = 50, BatchRestSeconds = 600, DailyCapPerWorkspace = 500 }, provider: provider);
        await host.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<WatermarkService>().SaveAsync(new WatermarkSettings { Enabled = true, Text = "Dikirim dengan Kelola Pesan", Tiers = PolicyTierSet.Basic },
                KelolaPesan.Core.Audit.AuditActor.System);
            return 0;
        });
        var request = host.Request("081230000001");
        (request.MinDelaySeconds, request.MaxDelaySeconds, request.BatchSize, request.BatchRestSeconds, request.DailyCap) = (1, 2, 500, 5, 9999);
        var created = await host.CreateAsync(request);
        var b = await host.BroadcastAsync(created.BroadcastId!.Value);
        Assert.Equal((30, 60, 50, 600, 500), (b.MinDelaySeconds, b.MaxDelaySeconds, b.BatchSize, b.BatchRestSeconds, b.DailyCap));
        Assert.Equal("Dikirim dengan Kelola Pesan", b.WatermarkFooter);
        Assert.Equal("Halo Kak\n\nDikirim dengan Kelola Pesan", (await host.RecipientsAsync(b.Id)).Single().RenderedText);
    }

    [Theory, Providers]
    public async Task ThePolicyOfTheTenantsTier_HoldsTheQueue_NotTheDefaultPolicy(DatabaseProvider provider)
    {
        // Created under the default policy (all day); the admin then narrows the tenant's tier to 10:00-12:00 and a cap of 1.
        await using var host = await BroadcastHost.CreateAsync(Fast(), provider: provider);
        var created = await host.CreateAsync(host.Request(Numbers(2)));
        await using (var db = host.Database.CreateSystem())
        {
            var tier = await db.Tenants.Where(t => t.Id == host.TenantId).Join(db.Licences, t => t.LicenceId, l => l.Id, (t, l) => l.Tier).SingleAsync();
            var narrow = Fast();
            (narrow.Tier, narrow.SendWindowStart, narrow.SendWindowEnd, narrow.DailyCapPerWorkspace) = (tier, new TimeOnly(10, 0), new TimeOnly(12, 0), 1);
            db.Policies.Add(narrow);
            await db.SaveChangesAsync();
        }

        // 09:00 WIB: nothing goes out before the tier's window opens at 10:00.
        var run = await host.RunOnceAsync();
        Assert.Equal((0, BroadcastHost.Start.AddHours(1)), (run.Sent, run.NextRunAt));

        await host.RunToEndAsync();
        var jakarta = BroadcastClock.Zone("Asia/Jakarta");
        var sent = (await host.RecipientsAsync(created.BroadcastId!.Value)).Select(r => BroadcastClock.ToLocal(r.SentAt!.Value, jakarta).DateTime).Order().ToList();
        // One a day (the tier's cap), each at the window's opening.
        Assert.Equal([new DateTime(2026, 11, 30, 10, 0, 0), new DateTime(2026, 12, 1, 10, 0, 0)], sent);
    }

    [Theory, Providers]
    public async Task Restart_RecipientLeftSending_IsReconciledFromHistory_OrLeftUncertain_NeverSentTwice(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(Fast(), provider: provider);
        var created = await host.CreateAsync(host.Request(Numbers(4)));
        var id = created.BroadcastId!.Value;
        var rows = await host.RecipientsAsync(id);
        // The crash: two recipients were claimed; the first one's send reached the gateway, the second's did not.
        var simulator = host.Services.GetRequiredService<SimulatorGateway>();
        await simulator.SendTextAsync(new GatewayTextMessage(BroadcastHost.Session, rows[0].Phone.TrimStart('+'), rows[0].RenderedText), CancellationToken.None);
        await using (var db = host.Database.CreateForTenant(host.TenantId))
        {
            await db.BroadcastRecipients.Where(r => r.Id == rows[0].Id || r.Id == rows[1].Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecipientStatus.Sending).SetProperty(r => r.SendingAt, host.Clock.GetUtcNow().AddSeconds(-1)));
        }

        await host.RunToEndAsync();

        rows = await host.RecipientsAsync(id);
        Assert.Equal(RecipientStatus.Sent, rows[0].Status);
        Assert.NotNull(rows[0].ExternalMessageId);
        Assert.Equal(RecipientStatus.Uncertain, rows[1].Status);
        var counts = await Task.WhenAll(rows.Select(r => host.SimulatorSendsToAsync(r.Phone)));
        Assert.Equal([1, 0, 1, 1], counts);
        var b = await host.BroadcastAsync(id);
        Assert.Equal((BroadcastStatus.Completed, 3, 1, 0), (b.Status, b.SentCount, b.UncertainCount, b.PendingCount));

        // The manager's "resend anyway" is the only way it goes out.
        Assert.Equal(1, await host.InScopeAsync(sp => sp.GetRequiredService<BroadcastService>().ResendUncertainAsync(id)));
        await host.RunToEndAsync();
        Assert.Equal(1, await host.SimulatorSendsToAsync(rows[1].Phone));
        Assert.Equal((4, 0), ((await host.BroadcastAsync(id)).SentCount, (await host.BroadcastAsync(id)).UncertainCount));
    }

    // Two nodes (or a retried job beside a running one) dispatch the same workspace at once. On PostgreSQL their claims
    // really interleave (SQLite takes writers one at a time), so the conditional claim is what keeps each number to one send.
    [Theory, Providers]
    public async Task TwoDispatchers_ClaimingTheSameWorkspaceAtOnce_NeverSendARecipientTwice(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(Fast(), provider: provider);
        var created = await host.CreateAsync(host.Request(Numbers(40)));
        var id = created.BroadcastId!.Value;
        var clock = new object();

        async Task Dispatch()
        {
            for (var i = 0; i < 500; i++)
            {
                var run = await host.RunOnceAsync();
                if (run.NextRunAt is not { } next)
                    return;
                lock (clock)
                    if (next > host.Clock.GetUtcNow())
                        host.Clock.SetUtcNow(next);
            }
        }
        await Task.WhenAll(Task.Run(Dispatch), Task.Run(Dispatch));

        var rows = await host.RecipientsAsync(id);
        Assert.Equal(40, rows.Count);
        // Two runs of one queue at once are what its Quartz job forbids; when they overlap anyway, a run that starts while
        // the other has a row in flight takes that row for one left by a crash and reconciles it: found in the history it
        // is Sent, not yet there it is left Uncertain (never resent). Whatever the timing, no number hears twice.
        Assert.All(rows, r => Assert.Contains(r.Status, new[] { RecipientStatus.Sent, RecipientStatus.Uncertain }));
        var counts = await Task.WhenAll(rows.Select(r => host.SimulatorSendsToAsync(r.Phone)));
        Assert.All(counts, c => Assert.InRange(c, 0, 1));
        Assert.All(rows.Zip(counts).Where(p => p.First.Status == RecipientStatus.Sent), p => Assert.Equal(1, p.Second));
        var b = await host.BroadcastAsync(id);
        Assert.Equal((BroadcastStatus.Completed, rows.Count(r => r.Status == RecipientStatus.Sent)), (b.Status, b.SentCount));
    }

    [Theory, Providers]
    public async Task LostAnswer_TheSendIsFoundInTheHistory_NotSentAgain(DatabaseProvider provider)
    {
        LosingGateway? losing = null;
        var lost = 0;
        await using var host = await BroadcastHost.CreateAsync(Fast(), wrap: inner => losing = new LosingGateway(inner, m => m.To.EndsWith("3000001", StringComparison.Ordinal) && Interlocked.Increment(ref lost) == 1), provider: provider);
        var created = await host.CreateAsync(host.Request(Numbers(3)));
        await host.RunToEndAsync();
        var rows = await host.RecipientsAsync(created.BroadcastId!.Value);
        Assert.All(rows, r => Assert.Equal(RecipientStatus.Sent, r.Status));
        var counts = await Task.WhenAll(rows.Select(r => host.SimulatorSendsToAsync(r.Phone)));
        Assert.Equal([1, 1, 1], counts);
        Assert.Equal(3, losing!.SendCalls);
    }

    [Theory, Providers]
    public async Task Outage_FakeWahaAnswers500AndThrottles_BacksOffAndSendsEveryNumberExactlyOnce(DatabaseProvider provider)
    {
        await using var waha = await FakeWahaServer.StartAsync();
        waha.AddSession(BroadcastHost.Session);
        await using var host = await BroadcastHost.CreateAsync(Fast(), waha.BaseAddress, provider: provider);
        var created = await host.CreateAsync(host.Request(Numbers(6)));
        var id = created.BroadcastId!.Value;

        var first = await host.RunOnceAsync(); // sends 0..5 until the outage starts below
        Assert.Null(first.NextRunAt);
        var retry = await host.CreateAsync(host.Request(Numbers(6, 50), "Kedua"));
        int Attempts() => waha.Requests.Count(r => r.Path is "/api/sendText" or "/api/contacts/check-exists");
        var attemptsBefore = Attempts();
        waha.FailNext(4);
        waha.ThrottleNext(1, TimeSpan.FromSeconds(30));
        var backoffs = new List<TimeSpan>();
        var before = host.Clock.GetUtcNow();
        await host.RunToEndAsync(each: run => { if (run.NextRunAt > host.Clock.GetUtcNow()) backoffs.Add(run.NextRunAt.Value - host.Clock.GetUtcNow()); });

        Assert.True(backoffs.Count >= 5, $"backed off {backoffs.Count} times");
        Assert.Contains(TimeSpan.FromSeconds(30), backoffs);
        var rows = (await host.RecipientsAsync(id)).Concat(await host.RecipientsAsync(retry.BroadcastId!.Value)).ToList();
        Assert.All(rows, r => Assert.Equal(RecipientStatus.Sent, r.Status));
        var delivered = waha.Requests.Where(r => r.Method == "POST" && r.Path == "/api/sendText").Select(r => r.Json!["chatId"]!.GetValue<string>()).ToList();
        var history = rows.Select(r => r.Phone.TrimStart('+') + "@c.us").ToDictionary(c => c, c => 0);
        var messages = await host.InScopeAsync(async sp =>
        {
            var gateway = sp.GetRequiredService<IWhatsAppGateway>();
            foreach (var chat in history.Keys.ToList())
                history[chat] = (await gateway.GetChatMessagesAsync(BroadcastHost.Session, chat, 100, true, CancellationToken.None)).Count;
            return history;
        });
        Assert.All(messages, m => Assert.Equal(1, m.Value));
        Assert.Equal(12, delivered.Count); // every number once
        // Each new number is checked, then sent; the five refused calls (the checks come first) are retried.
        Assert.Equal(6 + 6 + 5, Attempts() - attemptsBefore);
        Assert.True(host.Clock.GetUtcNow() > before);
    }

    [Theory, Providers]
    public async Task Disconnected_PausesTheBroadcastWithTheReason_ResumeContinues(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(Fast(), provider: provider);
        var created = await host.CreateAsync(host.Request(Numbers(2)));
        var id = created.BroadcastId!.Value;
        await using (var db = host.Database.CreateForTenant(host.TenantId))
            await db.Workspaces.ExecuteUpdateAsync(s => s.SetProperty(w => w.ConnectionStatus, ConnectionStatus.Disconnected));
        await host.RunToEndAsync();
        var b = await host.BroadcastAsync(id);
        Assert.Equal((BroadcastStatus.Paused, BroadcastDispatcher.DisconnectedReason, 2), (b.Status, b.StatusReason, b.PendingCount));

        await using (var db = host.Database.CreateForTenant(host.TenantId))
            await db.Workspaces.ExecuteUpdateAsync(s => s.SetProperty(w => w.ConnectionStatus, ConnectionStatus.Connected));
        Assert.True(await host.InScopeAsync(sp => sp.GetRequiredService<BroadcastService>().ResumeAsync(id)));
        await host.RunToEndAsync();
        Assert.Equal((BroadcastStatus.Completed, 2), ((await host.BroadcastAsync(id)).Status, (await host.BroadcastAsync(id)).SentCount));
    }

    [Theory, Providers]
    public async Task OptOutKeyword_SetsTheFlag_AndLaterClaimsSkipTheContact(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(Fast(), provider: provider);
        var ani = await host.AddContactAsync("+628123000001", "Ani");
        var created = await host.CreateAsync(host.Request(Numbers(2)));
        await host.InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<AudienceReplies>().HandleInboundAsync(host.TenantId, host.WorkspaceId, ani.Phone, "  berhenti ");
            await sp.GetRequiredService<AudienceReplies>().HandleInboundAsync(host.TenantId, host.WorkspaceId, "+628123000002", "stop please");
            return 0;
        });
        await host.RunToEndAsync();
        var rows = await host.RecipientsAsync(created.BroadcastId!.Value);
        Assert.Equal((RecipientStatus.Skipped, BroadcastAudience.ReasonOptedOut), (rows[0].Status, rows[0].SkipReason));
        Assert.Equal(RecipientStatus.Sent, rows[1].Status);
        Assert.Equal(0, await host.SimulatorSendsToAsync(ani.Phone));
        Assert.False(AudienceReplies.IsOptOut("stop please", null));
        Assert.True(AudienceReplies.IsOptOut("Unsub", "UNSUB, STOP"));
    }

    [Theory, Providers]
    public async Task AScheduledBroadcast_ComingDueWhileTheRunLooksAtIt_StartsInThatRun_WithoutTheRunAskingForItsTimeOverAndOver(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(Fast(), provider: provider);
        // The fake clock moves 1 ms at every reading. Started 1-15 ms early, one of these runs reads the queue just before
        // the broadcast's time and looks at what the step returned just after it. That run used to go on asking for the
        // time, never starting the broadcast, until its own limit (a minute in production, and a core busy with it).
        var outcomes = new List<int>();
        for (var early = 15; early >= 1; early--)
        {
            host.Clock.AutoAdvanceAmount = TimeSpan.Zero;
            var request = host.Request(Numbers(2));
            request.ScheduledLocal = host.Clock.GetUtcNow().AddHours(7).AddMinutes(10).DateTime; // Jakarta, UTC+7
            var id = (await host.CreateAsync(request)).BroadcastId!.Value;
            var due = (await host.BroadcastAsync(id)).ScheduledAt!.Value;
            host.Clock.SetUtcNow(due - TimeSpan.FromMilliseconds(early));
            host.Clock.AutoAdvanceAmount = TimeSpan.FromMilliseconds(1);

            var run = await host.RunOnceAsync();

            var after = host.Clock.GetUtcNow();
            Assert.True(run.Sent == 2 || (run.Sent == 0 && run.NextRunAt == due && after < due + TimeSpan.FromMilliseconds(100)),
                $"{early} ms early: sent {run.Sent}, next {run.NextRunAt:O}, clock {after:O}, due {due:O}");
            outcomes.Add(run.Sent);
            host.Clock.AutoAdvanceAmount = TimeSpan.Zero;
            await host.RunToEndAsync();
            Assert.Equal(BroadcastStatus.Completed, (await host.BroadcastAsync(id)).Status);
        }
        // Both sides of the moment were run, so the moment itself was too.
        Assert.Contains(0, outcomes);
        Assert.Contains(2, outcomes);
    }

    [Theory, Providers]
    public async Task PauseCancelAndRetryFailed(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(Fast(), provider: provider);
        var created = await host.CreateAsync(host.Request(Numbers(3)));
        var id = created.BroadcastId!.Value;
        var service = (Func<BroadcastService>)(() => host.Services.CreateScope().ServiceProvider.GetRequiredService<BroadcastService>());
        Assert.True(await service().PauseAsync(id));
        await host.RunToEndAsync();
        Assert.Equal(3, (await host.BroadcastAsync(id)).PendingCount);
        Assert.True(await service().CancelAsync(id));
        var b = await host.BroadcastAsync(id);
        Assert.Equal((BroadcastStatus.Cancelled, 0, 3), (b.Status, b.PendingCount, b.SkippedCount));
        Assert.False(await service().ResumeAsync(id));
        Assert.Equal(0, await service().RetryFailedAsync(id));
    }
}
