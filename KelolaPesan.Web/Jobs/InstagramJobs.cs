using KelolaPesan.Core.Instagram;
using Quartz;

namespace KelolaPesan.Web.Jobs;

/// <summary>Every 6 hours: refreshes long-lived Instagram tokens close to expiry (<see cref="InstagramTokenRefresher"/>).</summary>
[DisallowConcurrentExecution]
public sealed class InstagramTokenRefreshJob(InstagramTokenRefresher refresher, ILogger<InstagramTokenRefreshJob> logger) : IJob
{
    public static readonly JobKey Key = new("instagram-token-refresh", "instagram");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var outcome = await refresher.RefreshDueAsync(cancellationToken);
        if (outcome.Refreshed + outcome.Expired + outcome.Failed > 0)
            logger.LogInformation("Instagram tokens: {Outcome}", outcome);
    }

    public static void Schedule(IQuartzBuilder q) =>
        q.ScheduleJob<InstagramTokenRefreshJob>(
            trigger => trigger.WithIdentity("instagram-token-refresh-6h", "instagram")
                .StartAt(DateTimeOffset.UtcNow.AddMinutes(2))
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(6)).RepeatForever()),
            job => job.WithIdentity(Key).DisallowConcurrentExecution());
}
