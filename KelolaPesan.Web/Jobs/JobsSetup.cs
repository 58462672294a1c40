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
            q.UseDefaultThreadPool(tp => tp.MaxConcurrency = 4);
            LicenceNotificationJob.Schedule(q);
            RetentionJob.Schedule(q);
            InstagramTokenRefreshJob.Schedule(q);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

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
