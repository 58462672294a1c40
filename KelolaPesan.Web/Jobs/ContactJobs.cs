using System.Globalization;
using KelolaPesan.Core.Contacts.Import;
using KelolaPesan.Core.Storage;
using KelolaPesan.Core.Validation;
using Quartz;

namespace KelolaPesan.Web.Jobs;

/// <summary>
/// Runs a recorded contact import over its upload, fetched from the shared storage by key (the job may run on another
/// node than the one that took the upload) into a file of this node's own, then deletes both.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ContactImportJob(ContactImportService imports, IFileStorage storage, ILogger<ContactImportJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var key = data.GetString("key")!;
        Directory.CreateDirectory(ContactJobScheduler.UploadFolder);
        var local = Path.Combine(ContactJobScheduler.UploadFolder, Guid.NewGuid().ToString("N"));
        // Rejected rows keep their reason as text: written in the language of the user who started the import.
        if (data.GetString("culture") is { Length: > 0 } culture)
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = DependencyInjection.Culture(culture);
        try
        {
            await using (var target = File.Create(local))
            await using (var source = await storage.OpenReadAsync(key, cancellationToken))
            {
                // A missing upload leaves an empty file: the import fails with "The file is empty." rather than vanishing.
                if (source is not null)
                    await source.CopyToAsync(target, cancellationToken);
            }
            var import = await imports.RunAsync(Guid.Parse(data.GetString("tenantId")!), Guid.Parse(data.GetString("importId")!), local,
                ImportOptions.FromJson(data.GetString("options")!), cancellationToken);
            logger.LogInformation("Import {ImportId} finished {Status}: {Created} created, {Updated} updated, {Rejected} rejected",
                import.Id, import.Status, import.Created, import.Updated, import.Rejected);
        }
        finally
        {
            File.Delete(local);
            if (!cancellationToken.IsCancellationRequested)
                await storage.DeleteAsync(key, CancellationToken.None);
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
    /// <summary>This node's own working folder for uploads being previewed or imported; what another node needs is in the storage.</summary>
    public static string UploadFolder => Path.Combine(Path.GetTempPath(), "kelola-imports");

    /// <param name="storageKey">The upload in the shared storage (<see cref="StorageArea.Imports"/>), deleted by the job.</param>
    public async Task ScheduleImportAsync(Guid tenantId, Guid importId, string storageKey, ImportOptions options, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var job = JobBuilder.Create<ContactImportJob>().WithIdentity($"import-{importId}", "contacts")
            .UsingJobData("tenantId", tenantId.ToString()).UsingJobData("importId", importId.ToString())
            .UsingJobData("key", storageKey).UsingJobData("options", options.ToJson())
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
