using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using KelolaPesan.Bench.Live;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Web.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Quartz.Diagnostics;

namespace KelolaPesan.Bench.Scenarios;

/// <summary>What <see cref="TenantDensityScenario"/> measures with: CPU samples, Quartz fires, database statements, the inbound load.</summary>
public sealed partial class TenantDensityScenario
{
    private sealed record Sample(DateTimeOffset At, TimeSpan Cpu, long Fires, long DispatchStatements, long EfStatements, long AllStatements, long Inbound)
    {
        public static Sample Take(StatementCounter counters, FireCounter fires, InboundLoad inbound)
        {
            using var process = Process.GetCurrentProcess();
            return new Sample(DateTimeOffset.UtcNow, process.TotalProcessorTime, fires.Fires, counters.Dispatch, counters.Ef, counters.All, inbound.Posted);
        }
    }

    /// <summary>Counts the dispatch job's runs as Quartz fires them.</summary>
    private sealed class FireCounter : IJobListener
    {
        private long _fires;
        private long _failed;
        public long Fires => Interlocked.Read(ref _fires);
        public long Failed => Interlocked.Read(ref _failed);
        public string Name => "bench-fires";

        private readonly ConcurrentQueue<(string Job, DateTimeOffset At)> _at = new();
        private readonly ConcurrentQueue<double> _late = new();

        /// <summary>Runs started before this (the start-up's, woken for queues stored before the app ran) are not timed.</summary>
        public DateTimeOffset LatenessFrom { get; set; } = DateTimeOffset.MaxValue;

        /// <summary>How late each run started after its trigger's time (the store's acquisition, a free slot), in ms.</summary>
        public ErrorShare Lateness() => ErrorShare.Of([.. _late]);

        /// <summary>When each workspace's dispatch job started a run.</summary>
        public Dictionary<Guid, List<DateTimeOffset>> ByWorkspace() =>
            _at.Where(f => f.Job.StartsWith("dispatch-", StringComparison.Ordinal))
                .GroupBy(f => Guid.Parse(f.Job["dispatch-".Length..])).ToDictionary(g => g.Key, g => g.Select(f => f.At).ToList());

        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _fires);
            var now = DateTimeOffset.UtcNow;
            _at.Enqueue((context.JobDetail.Key.Name, now));
            if (context.ScheduledFireTimeUtc is { } scheduled && now >= LatenessFrom)
                _late.Enqueue((now - scheduled).TotalMilliseconds);
            return ValueTask.CompletedTask;
        }

        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
        {
            if (jobException is not null)
                Interlocked.Increment(ref _failed);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// Database statements: every EF command (EF's DiagnosticListener), those run inside a Quartz job's span (Quartz 4's
    /// ActivitySource) counted as the dispatcher's; on PostgreSQL also every command Npgsql runs (its ActivitySource),
    /// so what is not EF's is the Quartz store's.
    /// </summary>
    private sealed class StatementCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly ActivityListener _activities;
        private readonly IDisposable _subscription;
        private readonly List<IDisposable> _listeners = [];
        private long _ef, _dispatch, _all;

        public StatementCounter(bool countAll)
        {
            CountsAll = countAll;
            _activities = new ActivityListener
            {
                ShouldListenTo = source => source.Name == QuartzInstrumentation.ActivitySourceName || (countAll && source.Name == "Npgsql"),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStarted = activity =>
                {
                    if (activity.Source.Name == "Npgsql")
                        Interlocked.Increment(ref _all);
                },
            };
            ActivitySource.AddActivityListener(_activities);
            _subscription = DiagnosticListener.AllListeners.Subscribe(this);
        }

        public bool CountsAll { get; }
        public long Ef => Interlocked.Read(ref _ef);
        public long Dispatch => Interlocked.Read(ref _dispatch);
        public long All => Interlocked.Read(ref _all);

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
                lock (_listeners)
                    _listeners.Add(value.Subscribe(this, name => name == Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandExecuted.Name));
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            Interlocked.Increment(ref _ef);
            for (var activity = Activity.Current; activity is not null; activity = activity.Parent)
                if (activity.Source.Name == QuartzInstrumentation.ActivitySourceName)
                {
                    Interlocked.Increment(ref _dispatch);
                    return;
                }
        }

        public void OnCompleted() { }
        public void OnError(Exception error) { }

        public void Dispose()
        {
            _subscription.Dispose();
            lock (_listeners)
                _listeners.ForEach(l => l.Dispose());
            _activities.Dispose();
        }
    }

    /// <summary>Signed inbound "message" webhooks at a steady rate, round-robin over the workspaces, 20 customers each.</summary>
    private sealed class InboundLoad(HttpClient http, List<BenchWorkspace> workspaces, int rate)
    {
        private long _posted, _failed;
        private readonly List<double> _answers = [];
        public long Posted => Interlocked.Read(ref _posted);
        public long Failed => Interlocked.Read(ref _failed);

        public double P95Ms()
        {
            lock (_answers)
            {
                if (_answers.Count == 0)
                    return double.NaN;
                var sorted = _answers.Order().ToList();
                return sorted[(int)(sorted.Count * 0.95)];
            }
        }

        public async Task RunAsync(CancellationToken ct)
        {
            if (rate <= 0)
                return;
            using var inFlight = new SemaphoreSlim(64);
            var started = Stopwatch.StartNew();
            var pending = new List<Task>();
            for (long i = 0; !ct.IsCancellationRequested; i++)
            {
                var due = TimeSpan.FromSeconds(i / (double)rate);
                var wait = due - started.Elapsed;
                try
                {
                    if (wait > TimeSpan.Zero)
                        await Task.Delay(wait, ct);
                    await inFlight.WaitAsync(ct);
                }
                catch (OperationCanceledException) { break; }
                var index = i;
                pending.Add(Task.Run(async () =>
                {
                    try { await PostAsync(workspaces[(int)(index % workspaces.Count)], index); }
                    finally { inFlight.Release(); }
                }));
                if (pending.Count > 1000)
                    pending.RemoveAll(t => t.IsCompleted);
            }
            await Task.WhenAll(pending);
        }

        private async Task PostAsync(BenchWorkspace workspace, long i)
        {
            using var request = Webhooks.Signed($"/webhooks/whatsapp?workspace={workspace.Id}", workspace.Key,
                Webhooks.Message($"false_in_{i}", $"evt_in_{i}_{Guid.NewGuid():N}", $"628777{i % 20:D5}1@c.us", $"Halo kak, mau tanya {i}",
                    $"Pembeli {i % 20}", WorkspaceService.SessionNameFor(workspace.Id)));
            var watch = Stopwatch.StartNew();
            try
            {
                using var response = await http.SendAsync(request);
                if (response.IsSuccessStatusCode)
                    Interlocked.Increment(ref _posted);
                else
                    Interlocked.Increment(ref _failed);
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref _failed);
            }
            lock (_answers)
                _answers.Add(watch.Elapsed.TotalMilliseconds);
        }
    }
}
