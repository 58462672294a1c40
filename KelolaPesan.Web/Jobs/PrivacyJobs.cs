using KelolaPesan.Core.Privacy;
using Quartz;

namespace KelolaPesan.Web.Jobs;

/// <summary>Builds one export zip (progress in the DataExport row).</summary>
[DisallowConcurrentExecution]
public sealed class DataExportJob(DataExportService exports) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await exports.RunAsync(Guid.Parse(context.MergedJobDataMap.GetString("tenantId")!), Guid.Parse(context.MergedJobDataMap.GetString("exportId")!),
            cancellationToken);
}

/// <summary>Erases the target of one deletion request; recovery runs it again after a crash (the erase is idempotent).</summary>
public sealed class DataDeletionJob(DataDeletionService deletions) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await deletions.RunAsync(Guid.Parse(context.MergedJobDataMap.GetString("requestId")!), cancellationToken);
}

/// <summary>Daily: purges what is past its retention period (Privacy:Retention:*).</summary>
public sealed class RetentionJob(RetentionService retention, ILogger<RetentionJob> logger) : IJob
{
    public static readonly JobKey Key = new("retention-purge", "privacy");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var result = await retention.PurgeAsync(cancellationToken);
        logger.LogInformation("Retention purge removed {Total} rows: {Result}", result.Total, result);
    }

    public static void Schedule(IQuartzBuilder q) =>
        q.ScheduleJob<RetentionJob>(
            trigger => trigger.WithIdentity("retention-purge-daily", "privacy")
                .StartAt(DateTimeOffset.UtcNow.AddMinutes(5))
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(24)).RepeatForever()),
            job => job.WithIdentity(Key).DisallowConcurrentExecution());
}

/// <summary>Queues privacy jobs now, durable in the persistent store.</summary>
public sealed class PrivacyJobScheduler(ISchedulerFactory schedulers)
{
    public async Task ScheduleExportAsync(Guid tenantId, Guid exportId, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var job = JobBuilder.Create<DataExportJob>().WithIdentity($"export-{exportId}", "privacy")
            .UsingJobData("tenantId", tenantId.ToString()).UsingJobData("exportId", exportId.ToString()).Build();
        await scheduler.ScheduleJob(job, TriggerBuilder.Create().StartNow().Build(), cancellationToken: ct);
    }

    public async Task ScheduleDeletionAsync(Guid requestId, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var job = JobBuilder.Create<DataDeletionJob>().WithIdentity($"deletion-{requestId}", "privacy").RequestRecovery()
            .UsingJobData("requestId", requestId.ToString()).Build();
        await scheduler.ScheduleJob(job, TriggerBuilder.Create().StartNow().Build(), cancellationToken: ct);
    }
}
