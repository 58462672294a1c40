using KelolaPesan.Core.Common;
using KelolaPesan.Core.Realtime;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Contacts.Import;

/// <summary>
/// Imports contacts from .xlsx / .csv: preview, then a run that validates and normalises every row, handles
/// duplicates by mode, inserts the good rows in batches and records every rejected row with its reason.
/// </summary>
public sealed partial class ContactImportService(IKelolaDbFactory dbFactory, IBulkInserter inserter, IRealtimeBus bus, TimeProvider clock, Admin.PolicyService policies)
{
    public const int BatchSize = 2000;
    public const int PreviewRows = 10;
    private const int HeaderScanRows = 20;
    private const int RawValueMaxLength = 200;

    /// <summary>The import limits of the tenant's effective policy (its licence tier's override, else the default).</summary>
    public async Task<ImportLimits> GetLimitsAsync(Guid tenantId, CancellationToken ct = default)
    {
        var policy = await policies.GetEffectiveAsync(tenantId, ct);
        return new ImportLimits(policy.MaxImportBytes, policy.MaxImportRows);
    }

    /// <summary>The limits for a workspace of the current scope's tenant; null when the workspace is not found (another tenant's included).</summary>
    public async Task<ImportLimits?> GetLimitsForWorkspaceAsync(Guid workspaceId, CancellationToken ct = default)
    {
        Guid? tenantId;
        await using (var db = await dbFactory.CreateAsync(ct))
            tenantId = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => (Guid?)w.TenantId).FirstOrDefaultAsync(ct);
        return tenantId is { } id ? await GetLimitsAsync(id, ct) : null;
    }

    /// <summary>Checks the file (size, kind, sheet) and reads the first rows; a problem comes back as a clear message.</summary>
    public async Task<ImportPreview> PreviewAsync(Guid workspaceId, string path, string? sheet, int? headerRow = null, CancellationToken ct = default)
    {
        ContactWorkspace? ws;
        await using (var db = await dbFactory.CreateAsync(ct))
            ws = await ContactWorkspace.LoadAsync(db, workspaceId, ct);
        if (ws is null)
            return ImportPreview.Fail(ImportProblem.WorkspaceNotFound, ProblemText.Get("Workspace_NotFound"));
        var limits = await GetLimitsAsync(ws.TenantId, ct);
        if (Check(path, limits) is { } problem)
            return problem;
        var opened = TableFiles.Open(path);
        if (opened.Reader is not { } reader)
            return ImportPreview.Fail(opened.Problem, opened.Message!);
        if (sheet is not null && !reader.SheetNames.Contains(sheet))
            return ImportPreview.Fail(ImportProblem.SheetNotFound, ProblemText.Format("Import_SheetNotFound", sheet));
        sheet ??= reader.SheetNames[0];

        List<TableRow> top;
        try
        {
            top = reader.ReadRows(sheet, ct).Take(HeaderScanRows + PreviewRows).ToList();
        }
        catch (SpreadsheetTooLargeException ex)
        {
            return ImportPreview.Fail(ImportProblem.TooMuchText, ex.Message);
        }
        catch (Exception ex) when (ex is System.Xml.XmlException or IOException or InvalidDataException or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException)
        {
            // A part over its size limit ends up here too (the XML reader's own limit).
            return ImportPreview.Fail(ImportProblem.NotASpreadsheet, ProblemText.Get("Import_XlsxUnreadable"));
        }
        var header = headerRow ?? DetectHeaderRow(top);
        var headerCells = top.FirstOrDefault(r => r.RowNumber == header).Cells ?? [];
        var data = top.Where(r => r.RowNumber > header && !r.IsBlank).Take(PreviewRows).ToList();
        if (top.All(r => r.IsBlank))
            return ImportPreview.Fail(ImportProblem.NoRows, ProblemText.Get("Import_NoRows"));

        var width = Math.Max(headerCells.Length, data.Count == 0 ? 0 : data.Max(r => r.Cells.Length));
        // A merged header leaves its other cells empty: name them by column letter so they can still be mapped.
        var headers = Enumerable.Range(0, width)
            .Select(i => i < headerCells.Length && !string.IsNullOrWhiteSpace(headerCells[i]) ? headerCells[i]!.Trim() : $"({ColumnName(i)})")
            .ToList();
        var mapping = ContactImportMapping.Guess(headers, ws.Fields);
        return new ImportPreview(ImportProblem.None, null, reader is XlsxTableReader ? TableFormat.Xlsx : TableFormat.Csv,
            reader.SheetNames, sheet, header, headers, data, mapping);
    }

    private static ImportPreview? Check(string path, ImportLimits limits)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length == 0)
            return ImportPreview.Fail(ImportProblem.EmptyFile, ProblemText.Get("Import_EmptyFile"));
        if (info.Length > limits.MaxBytes)
            return ImportPreview.Fail(ImportProblem.TooLarge, ProblemText.Format("Import_TooLarge", info.Length / 1024.0 / 1024.0, limits.MaxBytes / 1024.0 / 1024.0));
        return null;
    }

    /// <summary>The first of the top rows with the most filled cells: skips a title row above the header, even a merged one.</summary>
    internal static int DetectHeaderRow(IReadOnlyList<TableRow> top)
    {
        var rows = top.Take(HeaderScanRows).Where(r => !r.IsBlank).ToList();
        if (rows.Count == 0)
            return 1;
        var max = rows.Max(Filled);
        return rows.First(r => Filled(r) == max).RowNumber;
        static int Filled(TableRow r) => r.Cells.Count(c => !string.IsNullOrWhiteSpace(c));
    }

    /// <summary>Records a queued import; the run (inline or as a job) fills it.</summary>
    public async Task<Guid?> CreateAsync(Guid workspaceId, Guid? userId, string fileName, ImportSource source, ImportOptions options, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var ws = await ContactWorkspace.LoadAsync(db, workspaceId, ct);
        if (ws is null)
            return null;
        var import = new ContactImport
        {
            TenantId = ws.TenantId, WorkspaceId = workspaceId, FileName = Truncate(Path.GetFileName(fileName), ContactImport.FileNameMaxLength),
            Source = source, Status = ImportStatus.Queued, DuplicateMode = options.Mode, ContactListId = options.ContactListId, CreatedByUserId = userId,
        };
        db.ContactImports.Add(import);
        await db.SaveChangesAsync(ct);
        return import.Id;
    }

    public async Task<ContactImport?> GetAsync(Guid importId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.ContactImports.AsNoTracking().FirstOrDefaultAsync(i => i.Id == importId, ct);
    }

    public async Task<IReadOnlyList<ContactImport>> RecentAsync(Guid workspaceId, int take = 10, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.ContactImports.AsNoTracking().Where(i => i.WorkspaceId == workspaceId).OrderByDescending(i => i.CreatedAt).Take(take).ToListAsync(ct);
    }

    /// <summary>The rejected rows of an import, first <paramref name="take"/> by row number.</summary>
    public Task<IReadOnlyList<ContactImportError>> ErrorsAsync(Guid importId, int take, CancellationToken ct = default) =>
        RowsAsync(importId, ImportRowOutcome.Rejected, take, ct);

    /// <summary>The duplicates an import skipped, first <paramref name="take"/> by row number.</summary>
    public Task<IReadOnlyList<ContactImportError>> SkippedAsync(Guid importId, int take, CancellationToken ct = default) =>
        RowsAsync(importId, ImportRowOutcome.Skipped, take, ct);

    private async Task<IReadOnlyList<ContactImportError>> RowsAsync(Guid importId, ImportRowOutcome outcome, int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.ContactImportErrors.AsNoTracking().Where(e => e.ImportId == importId && e.Outcome == outcome).OrderBy(e => e.RowNumber).Take(take).ToListAsync(ct);
    }

    internal static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
            name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
