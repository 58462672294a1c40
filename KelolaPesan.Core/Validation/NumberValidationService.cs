using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Contacts.Import;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Validation;

/// <summary>A validation job moved forward; published on <see cref="Topics.Workspace"/>.</summary>
public sealed record NumberValidationProgress(Guid TenantId, Guid WorkspaceId, Guid JobId, ValidationJobStatus Status,
    int Processed, int Total, int Registered, int NotRegistered, int InvalidFormat, int Unknown) : RealtimeEvent;

/// <summary>
/// Checks raw numbers on WhatsApp through the workspace's gateway. Every entry's result is saved as soon as it is
/// known and entries go in <see cref="NumberValidationEntry.Sequence"/> order, so a run stopped anywhere resumes at
/// the first entry still pending and never checks one twice.
/// </summary>
public sealed class NumberValidationService(IKelolaDbFactory dbFactory, IWhatsAppGateway gateway, IRealtimeBus bus, PolicyService policies,
    TimeProvider clock, ILogger<NumberValidationService> logger)
{
    public const int MaxNumbersPerJob = 100_000;
    public const string FeatureOff = "NumberCheck_FeatureOff";
    public const int MaxAttemptsPerNumber = 3;
    public static readonly TimeSpan DefaultPause = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan DefaultThrottleWait = TimeSpan.FromSeconds(10);

    /// <summary>Splits pasted text on lines, commas, semicolons and tabs.</summary>
    public static IReadOnlyList<string> SplitRaw(string text) =>
        text.Split(['\n', '\r', ',', ';', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Rows read from a file at most, blank ones included: a 2.6 MB .xlsx of 300 M empty rows cost 11 s of CPU before,
    /// read to its end for nothing. Twice the numbers a check may hold leaves room for gaps between them.
    /// </summary>
    public const int MaxRowsRead = 2 * MaxNumbersPerJob;

    /// <summary>The first filled cell of every row of an uploaded .xlsx / .csv; a file of more rows than <see cref="MaxRowsRead"/> is refused.</summary>
    public static IReadOnlyList<string> ReadFile(string path, out string? problem)
    {
        var opened = TableFiles.Open(path);
        problem = opened.Message;
        if (opened.Reader is null)
            return [];
        var numbers = new List<string>();
        var rows = 0;
        foreach (var row in opened.Reader.ReadRows(null))
        {
            if (++rows > MaxRowsRead)
            {
                problem = ProblemText.Format("NumberCheck_TooManyRows", MaxRowsRead, MaxNumbersPerJob);
                return [];
            }
            if (row.Cells.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c)) is { } first && numbers.Count <= MaxNumbersPerJob)
                numbers.Add(first.Trim());
        }
        return numbers;
    }

    public async Task<ValidationCreateResult> CreateJobAsync(Guid workspaceId, Guid? userId, string name, IReadOnlyList<string> rawNumbers, CancellationToken ct = default)
    {
        if (rawNumbers.Count == 0)
            return new(null, Problem.Of("NumberCheck_NoNumbers"));
        if (rawNumbers.Count > MaxNumbersPerJob)
            return new(null, Problem.Of("NumberCheck_TooMany", MaxNumbersPerJob));
        await using var db = await dbFactory.CreateAsync(ct);
        var ws = await ContactWorkspace.LoadAsync(db, workspaceId, ct);
        if (ws is null)
            return new(null, Problem.Of("NotFound"));
        if (!await policies.IsFeatureEnabledAsync(ws.TenantId, LicenceFeatures.NumberValidation, ct))
            return new(null, Problem.Of(FeatureOff));
        var job = new NumberValidationJob
        {
            TenantId = ws.TenantId, WorkspaceId = workspaceId, CreatedByUserId = userId, Status = ValidationJobStatus.Queued,
            Name = string.IsNullOrWhiteSpace(name) ? $"Check {clock.GetUtcNow():yyyy-MM-dd HH:mm}" : name.Trim()[..Math.Min(name.Trim().Length, NumberValidationJob.NameMaxLength)],
            Total = rawNumbers.Count,
        };
        db.ValidationJobs.Add(job);
        var sequence = 0;
        foreach (var raw in rawNumbers)
        {
            var phone = PhoneNormalizer.Normalize(raw, ws.Region);
            db.ValidationEntries.Add(new NumberValidationEntry
            {
                TenantId = ws.TenantId, WorkspaceId = workspaceId, JobId = job.Id, Sequence = ++sequence,
                RawInput = raw.Length > NumberValidationEntry.RawMaxLength ? raw[..NumberValidationEntry.RawMaxLength] : raw,
                NormalizedNumber = phone.E164,
                Status = phone.IsValid ? ValidationStatus.Pending : ValidationStatus.InvalidFormat,
                Error = phone.IsValid ? null : ProblemText.Store(Problem.Of(PhoneNormalizer.Code(phone.Error))),
                CheckedAt = phone.IsValid ? null : clock.GetUtcNow(),
            });
            if (!phone.IsValid)
            {
                job.InvalidFormat++;
                job.Processed++;
            }
        }
        await db.SaveChangesAsync(ct);
        return new(job.Id, null);
    }

    public async Task<IReadOnlyList<NumberValidationJob>> JobsAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.ValidationJobs.AsNoTracking().Where(j => j.WorkspaceId == workspaceId).OrderByDescending(j => j.CreatedAt).Take(20).ToListAsync(ct);
    }

    public async Task<NumberValidationJob?> GetJobAsync(Guid jobId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.ValidationJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, ct);
    }

    public async Task<(IReadOnlyList<NumberValidationEntry> Items, int Total)> EntriesAsync(Guid jobId, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var q = db.ValidationEntries.AsNoTracking().Where(e => e.JobId == jobId);
        return (await q.OrderBy(e => e.Sequence).Skip(skip).Take(take).ToListAsync(ct), await q.CountAsync(ct));
    }

    public async Task<bool> ExportAsync(Guid jobId, ExportFormat format, Stream output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var workspaceId = await db.ValidationJobs.Where(j => j.Id == jobId).Select(j => (Guid?)j.WorkspaceId).FirstOrDefaultAsync(ct);
        if (workspaceId is null)
            return false;
        var zone = await Tenancy.TenantTime.OfWorkspaceAsync(db, workspaceId.Value, ct);
        var rows = (await db.ValidationEntries.AsNoTracking().Where(e => e.JobId == jobId).OrderBy(e => e.Sequence)
            .Select(e => new { e.RawInput, e.NormalizedNumber, e.Status, e.Error, e.CheckedAt }).ToListAsync(ct))
            .Select(e => new object?[] { e.RawInput, e.NormalizedNumber, ExportText.Of(e.Status), ProblemText.Describe(e.Error), e.CheckedAt }).ToList();
        string[] header = [ExportText.Get("Export_Input"), ExportText.Get("Export_Number"), ExportText.Get("Export_Status"), ExportText.Get("Export_Error"),
            ExportText.Format("Export_CheckedAt", zone.Id)];
        if (format == ExportFormat.Csv)
            await ContactExportService.WriteCsvAsync(header, rows, output, ct, zone);
        else
            ContactExportService.WriteXlsx(ExportText.Get("Export_SheetValidation"), header, rows, output, zone);
        return true;
    }

    /// <summary>Checks the pending entries in order; returns when none is left or <paramref name="ct"/> stops it.</summary>
    public async Task<NumberValidationJob> RunAsync(Guid tenantId, Guid jobId, TimeSpan? pause = null, CancellationToken ct = default)
    {
        var wait = pause ?? DefaultPause;
        NumberValidationJob job;
        string? session;
        await using (var db = dbFactory.CreateForTenant(tenantId))
        {
            job = await db.ValidationJobs.FirstAsync(j => j.Id == jobId, ct);
            session = await db.Workspaces.Where(w => w.Id == job.WorkspaceId).Select(w => w.ExternalSessionId).FirstOrDefaultAsync(ct);
            if (job.Status is ValidationJobStatus.Completed)
                return job;
            // Counters from the stored entries, so a resumed run starts from the truth, not from what the last run had in memory.
            var counts = await db.ValidationEntries.Where(e => e.JobId == jobId).GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
            int Count(ValidationStatus s) => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0;
            job.Registered = Count(ValidationStatus.Registered);
            job.NotRegistered = Count(ValidationStatus.NotRegistered);
            job.InvalidFormat = Count(ValidationStatus.InvalidFormat);
            job.Unknown = Count(ValidationStatus.Unknown);
            job.Total = counts.Sum(c => c.Count);
            job.Processed = job.Total - Count(ValidationStatus.Pending);
            if (session is null)
            {
                job.Status = ValidationJobStatus.Failed;
                job.Result = "Gateway_NoSessionConnect";
                job.FinishedAt = clock.GetUtcNow();
                await db.SaveChangesAsync(ct);
                await PublishAsync(job);
                return job;
            }
            job.Status = ValidationJobStatus.Running;
            job.StartedAt ??= clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }
        await PublishAsync(job);

        while (!ct.IsCancellationRequested)
        {
            List<NumberValidationEntry> next;
            await using (var db = dbFactory.CreateForTenant(tenantId))
                next = await db.ValidationEntries.AsNoTracking().Where(e => e.JobId == jobId && e.Status == ValidationStatus.Pending)
                    .OrderBy(e => e.Sequence).Take(50).ToListAsync(ct);
            if (next.Count == 0)
                break;
            foreach (var entry in next)
            {
                ct.ThrowIfCancellationRequested();
                await CheckAsync(entry, session, ct);
                await SaveAsync(job, entry, ct);
                await PublishAsync(job);
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait, clock, ct);
            }
        }

        await using (var db = dbFactory.CreateForTenant(tenantId))
        {
            var stored = await db.ValidationJobs.FirstAsync(j => j.Id == jobId, CancellationToken.None);
            stored.Status = ValidationJobStatus.Completed;
            stored.FinishedAt = clock.GetUtcNow();
            stored.Result = $"{job.Registered} registered, {job.NotRegistered} not registered, {job.InvalidFormat} invalid, {job.Unknown} unknown.";
            await db.SaveChangesAsync(CancellationToken.None);
            job = stored;
        }
        await PublishAsync(job);
        return job;
    }

    private async Task CheckAsync(NumberValidationEntry entry, string session, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var check = await gateway.CheckNumberAsync(session, entry.NormalizedNumber!, ct);
                entry.Status = check.Registration == NumberRegistration.Registered ? ValidationStatus.Registered : ValidationStatus.NotRegistered;
                entry.Error = null;
                return;
            }
            catch (GatewayThrottledException throttled)
            {
                // The gateway said how long to wait: wait that long and ask again; a throttle is not an answer about the number.
                var delay = throttled.RetryAfter ?? DefaultThrottleWait;
                logger.LogInformation("Number check throttled; waiting {Seconds} s", delay.TotalSeconds);
                await Task.Delay(delay, clock, ct);
            }
            catch (GatewayException ex) when (attempt < MaxAttemptsPerNumber && ex.IsTransient)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), clock, ct);
            }
            catch (GatewayException ex)
            {
                entry.Status = ValidationStatus.Unknown;
                entry.Error = ex.Message.Length > 500 ? ex.Message[..500] : ex.Message;
                return;
            }
        }
    }

    private async Task SaveAsync(NumberValidationJob job, NumberValidationEntry entry, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        entry.CheckedAt = now;
        job.Processed++;
        switch (entry.Status)
        {
            case ValidationStatus.Registered: job.Registered++; break;
            case ValidationStatus.NotRegistered: job.NotRegistered++; break;
            default: job.Unknown++; break;
        }
        await using var db = dbFactory.CreateForTenant(job.TenantId);
        db.ValidationEntries.Update(entry);
        await db.ValidationJobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Processed, job.Processed).SetProperty(j => j.Registered, job.Registered)
            .SetProperty(j => j.NotRegistered, job.NotRegistered).SetProperty(j => j.Unknown, job.Unknown).SetProperty(j => j.UpdatedAt, now), CancellationToken.None);
        if (entry.Status is ValidationStatus.Registered or ValidationStatus.NotRegistered)
        {
            var status = entry.Status;
            await db.Contacts.Where(c => c.WorkspaceId == job.WorkspaceId && c.Phone == entry.NormalizedNumber)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastValidationStatus, status).SetProperty(c => c.LastValidatedAt, now), CancellationToken.None);
        }
        // The entry's result is what makes the run resumable: save it even when the run is being stopped.
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private Task PublishAsync(NumberValidationJob j) =>
        bus.PublishAsync(Topics.Workspace(j.WorkspaceId), new NumberValidationProgress(j.TenantId, j.WorkspaceId, j.Id, j.Status,
            j.Processed, j.Total, j.Registered, j.NotRegistered, j.InvalidFormat, j.Unknown));
}

public sealed record ValidationCreateResult(Guid? JobId, Problem? Problem)
{
    /// <summary>The problem's sentence in the current UI culture.</summary>
    public string? Error => Problem?.Text;
}
