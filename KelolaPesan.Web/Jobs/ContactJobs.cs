using System.Globalization;
using KelolaPesan.Core.Contacts.Import;
using KelolaPesan.Core.Validation;
using Quartz;

namespace KelolaPesan.Web.Jobs;

/// <summary>Runs a recorded contact import over its saved upload, then deletes the upload.</summary>
[DisallowConcurrentExecution]
public sealed class ContactImportJob(ContactImportService imports, ILogger<ContactImportJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var path = data.GetString("path")!;
        // Rejected rows keep their reason as text: written in the language of the user who started the import.
        if (data.GetString("culture") is { Length: > 0 } culture)
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            var import = await imports.RunAsync(Guid.Parse(data.GetString("tenantId")!), Guid.Parse(data.GetString("importId")!), path,
                ImportOptions.FromJson(data.GetString("options")!), cancellationToken);
            logger.LogInformation("Import {ImportId} finished {Status}: {Created} created, {Updated} updated, {Rejected} rejected",
                import.Id, import.Status, import.Created, import.Updated, import.Rejected);
        }
        finally
        {
            if (!cancellationToken.IsCancellationRequested)
                File.Delete(path);
        }
    }
}

/// <summary>Checks a validation job's pending numbers; recovery makes Quartz run it again after a crash, and the service resumes.</summary>
[DisallowConcurrentExecution]
public sealed class NumberValidationRunJob(NumberValidationService validation) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await validation.RunAsync(Guid.Parse(context.MergedJobDataMap.GetString("tenantId")!), Guid.Parse(context.MergedJobDataMap.GetString("jobId")!),
            ct: cancellationToken);
}

/// <summary>Schedules the contact jobs now, durable in the persistent store.</summary>
public sealed class ContactJobScheduler(ISchedulerFactory schedulers)
{
    public static string UploadFolder => Path.Combine(Path.GetTempPath(), "kelola-imports");

    public async Task ScheduleImportAsync(Guid tenantId, Guid importId, string path, ImportOptions options, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var job = JobBuilder.Create<ContactImportJob>().WithIdentity($"import-{importId}", "contacts")
            .UsingJobData("tenantId", tenantId.ToString()).UsingJobData("importId", importId.ToString())
            .UsingJobData("path", path).UsingJobData("options", options.ToJson())
            .UsingJobData("culture", CultureInfo.CurrentUICulture.Name).Build();
        await scheduler.ScheduleJob(job, TriggerBuilder.Create().StartNow().Build(), cancellationToken: ct);
    }

    public async Task ScheduleValidationAsync(Guid tenantId, Guid jobId, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var job = JobBuilder.Create<NumberValidationRunJob>().WithIdentity($"validation-{jobId}", "contacts").RequestRecovery()
            .UsingJobData("tenantId", tenantId.ToString()).UsingJobData("jobId", jobId.ToString()).Build();
        await scheduler.ScheduleJob(job, TriggerBuilder.Create().StartNow().Build(), cancellationToken: ct);
    }
}
