using KelolaPesan.Core.Admin;
using Quartz;

namespace KelolaPesan.Web.Jobs;

/// <summary>Hourly: notifies owners of licences about to expire or just expired, once per event (see <see cref="PlatformNotifier"/>).</summary>
public sealed class LicenceNotificationJob(PlatformNotifier notifier) : IJob
{
    public static readonly JobKey Key = new("licence-notifications", "admin");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await notifier.NotifyLicenceExpiriesAsync(cancellationToken);

    public static void Schedule(IQuartzBuilder q) =>
        q.ScheduleJob<LicenceNotificationJob>(
            trigger => trigger.WithIdentity("licence-notifications-hourly", "admin")
                .StartAt(DateTimeOffset.UtcNow.AddMinutes(2))
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(1)).RepeatForever()),
            job => job.WithIdentity(Key).DisallowConcurrentExecution());
}
