using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KelolaPesan.Core.Privacy;

public sealed record ExportRow(Guid Id, Guid? WorkspaceId, string? WorkspaceName, DataJobStatus Status, int ProgressPercent,
    long? SizeBytes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string? Error)
{
    public bool CanDownload(DateTimeOffset now) => Status == DataJobStatus.Completed && ExpiresAt > now;
}

public sealed record ExportDownload(Stream Content, string FileName);

/// <summary>
/// An owner's copy of the tenant's (or one workspace's) data: requested here, built by <see cref="DataExportWriter"/>
/// in a background job, stored in the attachment store and downloadable until it expires. Every step is audited.
/// </summary>
public sealed class DataExportService(IKelolaDbFactory dbFactory, IAttachmentStore store, AuditLog audit, TimeProvider clock,
    IOptions<PrivacyOptions> options)
{
    public const string FileNamePrefix = "kelola-pesan-ekspor";

    /// <summary>Records a queued export for the current tenant; null when the workspace is not the tenant's.</summary>
    public async Task<DataExport?> RequestAsync(Guid? workspaceId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var tenantId = await db.Tenants.Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);
        if (tenantId is null || (workspaceId is { } ws && !await db.Workspaces.AnyAsync(w => w.Id == ws, ct)))
            return null;
        var export = new DataExport { TenantId = tenantId.Value, WorkspaceId = workspaceId, RequestedByUserId = actor.Id ?? Guid.Empty };
        db.DataExports.Add(export);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(PrivacyAuditActions.ExportRequested, actor, tenantId, "DataExport", export.Id.ToString(),
            workspaceId is null ? "scope=tenant" : $"scope=workspace {workspaceId}", ct);
        return export;
    }

    public async Task<IReadOnlyList<ExportRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.DataExports.AsNoTracking().OrderByDescending(e => e.CreatedAt).Take(20)
            .Select(e => new ExportRow(e.Id, e.WorkspaceId, db.Workspaces.Where(w => w.Id == e.WorkspaceId).Select(w => w.Name).FirstOrDefault(),
                e.Status, e.ProgressPercent, e.SizeBytes, e.CreatedAt, e.ExpiresAt, e.Error))
            .ToListAsync(ct);
    }

    /// <summary>Builds the zip for a queued export (the job's work), storing it and setting its expiry.</summary>
    public async Task RunAsync(Guid tenantId, Guid exportId, CancellationToken ct = default)
    {
        await using (var db = dbFactory.CreateForTenant(tenantId))
        {
            if (await db.DataExports.Where(e => e.Id == exportId && e.Status == DataJobStatus.Queued)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, DataJobStatus.Running), ct) == 0)
                return;
        }
        var temp = Path.Combine(Path.GetTempPath(), $"kp-export-{exportId:N}.zip");
        try
        {
            Guid? workspaceId;
            UiLanguage language;
            await using (var db = dbFactory.CreateForTenant(tenantId))
            {
                var request = await db.DataExports.Where(e => e.Id == exportId).Select(e => new { e.WorkspaceId, e.RequestedByUserId }).FirstAsync(ct);
                workspaceId = request.WorkspaceId;
                // The sheets' headers and statuses in the language of the owner who asked (Indonesian, the default, otherwise).
                language = await db.Users.Where(u => u.Id == request.RequestedByUserId).Select(u => (UiLanguage?)u.Language).FirstOrDefaultAsync(ct)
                    ?? UiLanguage.Indonesian;
            }

            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, useAsync: true))
            {
                var writer = new DataExportWriter(dbFactory, store, tenantId, workspaceId);
                await ExportText.InCultureAsync(new System.Globalization.CultureInfo(language == UiLanguage.English ? "en" : "id"),
                    () => writer.WriteAsync(file, percent => SetProgressAsync(tenantId, exportId, percent, ct), ct));
            }
            StoredFile stored;
            await using (var read = File.OpenRead(temp))
                stored = await store.SaveAsync(read, long.MaxValue, ct);

            var expires = clock.GetUtcNow().AddHours(options.Value.ExportHours);
            await using (var db = dbFactory.CreateForTenant(tenantId))
                await db.DataExports.Where(e => e.Id == exportId).ExecuteUpdateAsync(s => s
                    .SetProperty(e => e.Status, DataJobStatus.Completed).SetProperty(e => e.ProgressPercent, 100)
                    .SetProperty(e => e.StorageKey, stored.StorageKey).SetProperty(e => e.SizeBytes, stored.SizeBytes)
                    .SetProperty(e => e.ExpiresAt, expires), ct);
            await audit.WriteAsync(PrivacyAuditActions.ExportCompleted, AuditActor.System, tenantId, "DataExport", exportId.ToString(),
                $"bytes={stored.SizeBytes}", ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await using var db = dbFactory.CreateForTenant(tenantId);
            await db.DataExports.Where(e => e.Id == exportId).ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Status, DataJobStatus.Failed).SetProperty(e => e.Error, ex.GetType().Name), CancellationToken.None);
            throw;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private async Task SetProgressAsync(Guid tenantId, Guid exportId, int percent, CancellationToken ct)
    {
        await using var db = dbFactory.CreateForTenant(tenantId);
        await db.DataExports.Where(e => e.Id == exportId).ExecuteUpdateAsync(s => s.SetProperty(e => e.ProgressPercent, percent), ct);
    }

    /// <summary>
    /// The zip of a completed, unexpired export of the current tenant, or null (another tenant's id, expired, missing):
    /// the endpoint answers 404 either way. Every download is audited.
    /// </summary>
    public async Task<ExportDownload?> OpenAsync(Guid exportId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var export = await db.DataExports.AsNoTracking().FirstOrDefaultAsync(e => e.Id == exportId, ct);
        if (export is not { Status: DataJobStatus.Completed, StorageKey: { } key } || export.ExpiresAt <= clock.GetUtcNow())
            return null;
        if (await store.OpenReadAsync(key, ct) is not { } content)
            return null;
        await audit.WriteAsync(PrivacyAuditActions.ExportDownloaded, actor, export.TenantId, "DataExport", export.Id.ToString(), cancellationToken: ct);
        return new ExportDownload(content, $"{FileNamePrefix}-{export.CreatedAt:yyyyMMdd-HHmm}.zip");
    }
}
