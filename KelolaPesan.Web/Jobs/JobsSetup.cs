using KelolaPesan.Data;
using Quartz;

namespace KelolaPesan.Web.Jobs;

/// <summary>
/// Quartz with a persistent store, so scheduled work (broadcasts, delayed replies, validation batches)
/// survives a restart. SQLite: its own file next to the app's database, so the scheduler's polling never
/// waits on the app's write lock. SQL Server and PostgreSQL: the app's database, clustered for several nodes.
/// </summary>
public static class JobsSetup
{
    public const string QuartzFileName = "quartz.db";

    public static IServiceCollection AddJobs(this IServiceCollection services, DatabaseSettings database)
    {
        services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                store.UseSystemTextJsonSerializer();
                if (database.Provider == DatabaseProvider.SqlServer)
                {
                    store.UseSqlServer(database.ConnectionString);
                    store.UseClustering(c => (c.CheckinInterval, c.CheckinMisfireThreshold) = (ClusterCheckinInterval, ClusterCheckinMisfireThreshold));
                }
                else if (database.Provider == DatabaseProvider.Postgres)
                {
                    store.UsePostgres(database.ConnectionString);
                    store.UseClustering(c => (c.CheckinInterval, c.CheckinMisfireThreshold) = (ClusterCheckinInterval, ClusterCheckinMisfireThreshold));
                }
                else
                {
                    store.UseSqlite(DatabaseSettings.SqliteConnectionString(Path.Combine(database.DataDirectory, QuartzFileName)));
                }
                // The schema ships inside the Quartz package; create it when missing (start-up validation needs it).
                store.ProvisionSchema();
            });
            // Runs mostly wait (database round trips, the gateway), so more of them at once than cores; Quartz takes every
            // due trigger in one acquisition round (its automatic batch is the pool size on a persistent store), and the
            // fire-ahead window lets a round take those due a moment later too (the dispatch job waits for its time).
            q.UseDefaultThreadPool(tp => tp.MaxConcurrency = MaxConcurrentJobs);
            q.ConfigureScheduler(s => s.BatchTriggerAcquisitionFireAheadTimeWindow = FireAheadWindow);
            LicenceNotificationJob.Schedule(q);
            RetentionJob.Schedule(q);
            InstagramTokenRefreshJob.Schedule(q);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddHostedService<BroadcastHoldsStop>();
        return services;
    }

    /// <summary>
    /// How many jobs run at once on a node: tasks, not threads. A paced broadcast queue's run keeps its slot while it
    /// waits between sends (docs/adr/0030), so this bounds the queues one node paces at once; past it, queues take
    /// turns by run (a run ends within <see cref="BroadcastDispatchJob.RunLength"/>).
    /// </summary>
    public const int MaxConcurrentJobs = 2_000;

    /// <summary>How early a trigger may fire to join an acquisition round: one round for the sends of the next moment.</summary>
    public static readonly TimeSpan FireAheadWindow = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How often a node checks in, and how late a check-in may be before another node recovers its jobs. A node that
    /// died mid-job (a crash, a SIGKILL, an out-of-memory kill) keeps its queue's trigger BLOCKED until another node
    /// declares it failed: interval + threshold after its last check-in (Quartz's default 7.5 s + 7.5 s). A short
    /// interval shortens that wait; the threshold, the lateness a live node is allowed before its running jobs are
    /// recovered under it, stays a little above the default.
    /// </summary>
    public static readonly TimeSpan ClusterCheckinInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ClusterCheckinMisfireThreshold = TimeSpan.FromSeconds(8);
}
