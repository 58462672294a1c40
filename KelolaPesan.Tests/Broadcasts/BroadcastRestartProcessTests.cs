using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Tests.Gateways;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Data;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>
/// The restart test, as processes: the real app sends a broadcast to the fake WAHA, is SIGKILLed mid-way and
/// started again over the same data folder. Nothing may reach a number twice, and nothing may be left unaccounted for.
/// </summary>
public class BroadcastRestartProcessTests(ITestOutputHelper output)
{
    private const int Recipients = 300;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Theory, Providers]
    public async Task KilledMidBroadcast_AndStartedAgain_NoNumberGetsTwoMessages_AndEveryRecipientIsSettled(DatabaseProvider provider)
    {
        await using var waha = await FakeWahaServer.StartAsync();
        waha.AddSession(BroadcastHost.Session);
        // Each request waits a little, so a few hundred zero-paced sends take seconds and the kill lands mid-way.
        waha.DelayNext(int.MaxValue, TimeSpan.FromMilliseconds(15));

        // The database file the app will open: a tenant with a connected workspace, a zero-pacing policy and the
        // broadcast created (Running) by the real service before the app starts; the app's start-up wakes its queue.
        var policy = new PolicySettings
        {
            MinDelaySeconds = 0, MaxDelaySeconds = 0, BatchSize = 1000, BatchRestSeconds = 0, DailyCapPerWorkspace = 100_000,
            SendWindowStart = new TimeOnly(0, 0), SendWindowEnd = new TimeOnly(0, 0),
        };
        await using var host = await BroadcastHost.CreateAsync(policy, waha.BaseAddress, start: DateTimeOffset.UtcNow.AddMinutes(-1), provider: provider);
        // Numbers ending in 0 are not on WhatsApp at the fake WAHA (checked before each send): left out, so every recipient is sent.
        var created = await host.CreateAsync(host.Request(string.Join("\n", Enumerable.Range(0, Recipients).Select(i => $"0813{4000000 + i + i / 9 + 1}")), "Restart"));
        Assert.True(created.Succeeded, string.Join("; ", created.Errors));
        var broadcastId = created.BroadcastId!.Value;
        ClearPools(host);

        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = provider.ToString(),
            ["ConnectionStrings:Kelola"] = provider == DatabaseProvider.Postgres ? host.Database.ConnectionString : "",
            ["Database:DataDirectory"] = host.Database.Folder,
            ["Demo:Disabled"] = "true",
            ["Gateway:Kind"] = "Waha",
            ["Gateway:PublicBaseUrl"] = "http://127.0.0.1:5999",
            ["Gateway:Waha:BaseUrl"] = waha.BaseAddress.ToString(),
            ["Gateway:Waha:ApiKey"] = FakeWahaServer.DefaultApiKey,
            ["Gateway:Waha:MaxRetries"] = "0",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Logging:LogLevel:Default"] = "Warning",
        };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        int sendsAtKill;
        using (var first = WebAppProcess.Start(settings))
        {
            await WaitUntilAsync(() => SendCount(waha) >= 40, first, "the first process to send 40 messages");
            first.Kill();
            sendsAtKill = SendCount(waha);
        }
        output.WriteLine($"killed after {clock.Elapsed.TotalSeconds:0.0} s with {sendsAtKill} sends at the fake WAHA");
        Assert.True(sendsAtKill < Recipients, $"The broadcast finished ({sendsAtKill} sends) before the kill: nothing was tested.");

        using (var second = WebAppProcess.Start(settings))
        {
            await WaitUntilAsync(async () => (await ReadAsync(host, broadcastId)).Status == BroadcastStatus.Completed, second, "the broadcast to complete after the restart");
            second.Kill();
        }
        output.WriteLine($"completed after {clock.Elapsed.TotalSeconds:0.0} s with {SendCount(waha)} sends");
        ClearPools(host);

        var perChat = waha.RequestsTo("POST", "/api/sendText").GroupBy(r => r.Json!["chatId"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(perChat, p => Assert.True(p.Value == 1, $"{p.Key} received {p.Value} messages"));
        var rows = await host.RecipientsAsync(broadcastId);
        Assert.Equal(Recipients, rows.Count);
        Assert.All(rows, r => Assert.Contains(r.Status, new[] { RecipientStatus.Sent, RecipientStatus.Failed, RecipientStatus.Skipped, RecipientStatus.Uncertain }));
        // Sent means the fake got it exactly once; one left Uncertain was looked up in the history and is not there.
        Assert.All(rows.Where(r => r.Status == RecipientStatus.Sent), r => Assert.Equal(1, perChat.GetValueOrDefault(ChatOf(r.Phone))));
        Assert.All(rows.Where(r => r.Status == RecipientStatus.Uncertain), r => Assert.Equal("Broadcast_NotInHistory", r.Error));
        Assert.True(rows.Count(r => r.Status == RecipientStatus.Sent) >= Recipients - 5, $"only {rows.Count(r => r.Status == RecipientStatus.Sent)} sent");
        Assert.True(SendCount(waha) > sendsAtKill);
        var broadcast = await ReadAsync(host, broadcastId);
        Assert.Equal((0, rows.Count(r => r.Status == RecipientStatus.Sent), rows.Count(r => r.Status == RecipientStatus.Uncertain)),
            (broadcast.PendingCount, broadcast.SentCount, broadcast.UncertainCount));
    }

    private static string ChatOf(string phone) => phone.TrimStart('+') + "@c.us";

    private static int SendCount(FakeWahaServer waha) => waha.RequestsTo("POST", "/api/sendText").Count;

    private static async Task<Broadcast> ReadAsync(BroadcastHost host, Guid id)
    {
        // The app writes from another process: a busy database is a reason to look again, not a failure.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var db = host.Database.CreateForTenant(host.TenantId);
                return await db.Broadcasts.AsNoTracking().FirstAsync(b => b.Id == id);
            }
            catch (Exception ex) when (ex is SqliteException or Npgsql.NpgsqlException && attempt < 20)
            {
                await Task.Delay(200);
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> done, WebAppProcess app, string what) =>
        await WaitUntilAsync(() => Task.FromResult(done()), app, what, TimeSpan.FromMilliseconds(10));

    private static async Task WaitUntilAsync(Func<Task<bool>> done, WebAppProcess app, string what, TimeSpan? every = null)
    {
        var until = DateTime.UtcNow + Patience;
        while (!await done())
        {
            if (app.HasExited)
                throw new Xunit.Sdk.XunitException($"The app exited while waiting for {what}:\n{app.Output}");
            if (DateTime.UtcNow > until)
                throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}:\n{app.Output}");
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(500));
        }
    }

    private static void ClearPools(BroadcastHost host)
    {
        if (host.Database.Provider == DatabaseProvider.Postgres)
        {
            using var server = new Npgsql.NpgsqlConnection(host.Database.ConnectionString);
            Npgsql.NpgsqlConnection.ClearPool(server);
            return;
        }
        using var connection = new SqliteConnection(host.Database.ConnectionString);
        SqliteConnection.ClearPool(connection);
    }
}
