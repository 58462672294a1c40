using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>
/// On SQLite (one writer at a time) a send's claim and result take the process's write turn, as the webhook path's
/// writes do: waiting for the write lock in SQLite's busy handler, paced sends fell seconds behind their plan at 1,000
/// workspaces (docs/adr/0026 addendum). PostgreSQL takes writers side by side: no turn there.
/// </summary>
public sealed class BroadcastWriteTurnTests
{
    [Theory, Providers]
    public async Task ASendsWrites_WaitForTheIngestTurn_OnSqliteOnly(DatabaseProvider provider)
    {
        await using var host = await BroadcastHost.CreateAsync(BroadcastDispatchTests.Fast(), provider: provider);
        var created = await host.CreateAsync(host.Request("081230000001"));
        Assert.True(created.Succeeded, string.Join(", ", created.Errors));
        var broadcastId = created.BroadcastId!.Value;
        var gate = host.Services.GetRequiredService<IngestGate>();

        Task<DispatchRun> run;
        using (await gate.EnterAsync())
        {
            run = host.RunOnceAsync();
            if (provider == DatabaseProvider.Sqlite)
            {
                // Held by "the webhook path": the send has not claimed its recipient, let alone gone out.
                await Task.Delay(TimeSpan.FromMilliseconds(500));
                Assert.False(run.IsCompleted);
                Assert.Equal(RecipientStatus.Pending, (await host.RecipientsAsync(broadcastId)).Single().Status);
                Assert.Equal(0, await host.SimulatorSendsToAsync("+6281230000001"));
            }
            else
            {
                await run.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(RecipientStatus.Sent, (await host.RecipientsAsync(broadcastId)).Single().Status);
        Assert.Equal(1, await host.SimulatorSendsToAsync("+6281230000001"));
    }
}
