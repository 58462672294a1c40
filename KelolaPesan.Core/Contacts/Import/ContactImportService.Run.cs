using System.Text.Json;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Realtime;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Contacts.Import;

/// <summary>
/// The run of an import: every row validated and normalised, the good rows written in batches, the rejected and skipped
/// ones listed with their reasons, progress published; and what a run holds while it goes through the file (its settings,
/// the numbers seen so far, a batch's working sets).
/// </summary>
public sealed partial class ContactImportService
{
    /// <summary>Runs a recorded import over the file; for jobs too, so it opens contexts for the import's tenant.</summary>
    public async Task<ContactImport> RunAsync(Guid tenantId, Guid importId, string path, ImportOptions options, CancellationToken ct = default)
    {
        ContactImport import;
        ContactWorkspace ws;
        await using (var db = dbFactory.CreateForTenant(tenantId))
        {
            import = await db.ContactImports.AsNoTracking().FirstAsync(i => i.Id == importId, ct);
            ws = (await ContactWorkspace.LoadAsync(db, import.WorkspaceId, ct))!;
        }
        var run = new ImportRun(import, ws, options, clock.GetUtcNow());
        try
        {
            var limits = await GetLimitsAsync(tenantId, ct);
            if (Check(path, limits) is { } tooBig)
                return await FinishAsync(run, ImportStatus.Failed, tooBig.Message, ct);
            var opened = TableFiles.Open(path);
            if (opened.Reader is not { } reader)
                return await FinishAsync(run, ImportStatus.Failed, opened.Message, ct);
            if (!options.Mapping.HasPhone)
                return await FinishAsync(run, ImportStatus.Failed, ProblemText.Store(Problem.Of("Import_PhoneColumnRequired")), ct);
            var sheet = options.Sheet is { } s && reader.SheetNames.Contains(s) ? s : reader.SheetNames[0];

            var total = reader.DeclaredRowCount(sheet) is { } declared && declared - options.HeaderRow <= limits.MaxRows
                ? declared - options.HeaderRow
                : reader.ReadRows(sheet, ct).Count(r => r.RowNumber > options.HeaderRow && !r.IsBlank);
            if (total > limits.MaxRows)
                return await FinishAsync(run, ImportStatus.Failed, ProblemText.Store(Problem.Of("Import_TooManyRows", total, limits.MaxRows)), ct);
            import.TotalRows = total;
            run.SeenInFile.EnsureCapacity(total);
            import.Status = ImportStatus.Running;
            await SaveImportAsync(run, ct);

            var batch = new List<TableRow>(BatchSize);
            foreach (var row in reader.ReadRows(sheet, ct))
            {
                if (row.RowNumber == options.HeaderRow)
                    import.Headers = Truncate(RawJson(row), 4000);
                if (row.RowNumber <= options.HeaderRow || row.IsBlank)
                    continue;
                batch.Add(row);
                if (batch.Count == BatchSize)
                {
                    await ProcessBatchAsync(run, batch, ct);
                    batch.Clear();
                }
            }
            await ProcessBatchAsync(run, batch, ct);
            return await FinishAsync(run, ImportStatus.Completed, null, ct);
        }
        catch (OperationCanceledException)
        {
            return await FinishAsync(run, ImportStatus.Failed, ProblemText.Store(Problem.Of("Import_Stopped")), CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or System.Xml.XmlException or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException)
        {
            return await FinishAsync(run, ImportStatus.Failed, ProblemText.Store(Problem.Of("Import_ReadFailed", ex.Message)), CancellationToken.None);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Anything else (a database refusing a batch, an outage): the import says it stopped instead of showing
            // Running for ever; the job logs the error.
            await FinishAsync(run, ImportStatus.Failed, ProblemText.Store(Problem.Of("Import_Interrupted")), CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Fills <paramref name="existing"/> with the workspace's contacts (deleted ones too: their number's slot is taken)
    /// with the batch's numbers, by the unique index on WorkspaceId + Phone. Asked per batch, not loaded for the whole
    /// workspace: memory stays flat however many contacts exist or the file adds (earlier batches' contacts are
    /// committed, so they are found here too).
    /// </summary>
    private static async Task ExistingAsync(IKelolaDb db, ContactWorkspace ws, List<string> phones,
        Dictionary<string, (Guid Id, bool Deleted)> existing, CancellationToken ct)
    {
        // Half a batch per query: the numbers go to the database as one JSON text, and 2,000 of them make a string
        // past the large object heap's threshold (85 KB), one per batch, freed only by a full collection.
        foreach (var chunk in phones.Chunk(BatchSize / 2))
        {
            // No TenantId term beside the tenant filter: SQLite without fresh statistics takes an equality on TenantId
            // for the better index and reads every contact of the tenant per batch (a 1M-row import spent 151 of its
            // 198 s here).
            var rows = await db.Contacts.IgnoreQueryFilters([ContactService.SoftDeleteFilter]).AsNoTracking()
                .Where(c => c.WorkspaceId == ws.WorkspaceId && chunk.Contains(c.Phone))
                .Select(c => new { c.Phone, c.Id, Deleted = c.DeletedAt != null })
                .ToListAsync(ct);
            foreach (var row in rows)
                existing[row.Phone] = (row.Id, row.Deleted);
        }
    }

    private async Task ProcessBatchAsync(ImportRun run, List<TableRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
            return;
        var ws = run.Workspace;
        var import = run.Import;
        var now = clock.GetUtcNow();
        await using var db = dbFactory.CreateForTenant(ws.TenantId);
        var (created, updates, existingByPhone) = (run.Created, run.Updates, run.Existing);
        created.Clear();
        updates.Clear();
        existingByPhone.Clear();

        var parsed = rows.Select(row =>
        {
            var input = ToInput(row, run.Options.Mapping);
            var result = ws.Validator.Validate(input);
            return (Row: row, Input: input, Result: result, Phone: result.IsValid ? PhoneNormalizer.Normalize(input.Phone, ws.Region).E164! : null);
        }).ToList();
        await ExistingAsync(db, ws, parsed.Where(p => p.Phone is not null).Select(p => p.Phone!).Distinct().ToList(), existingByPhone, ct);

        foreach (var (row, input, result, validPhone) in parsed)
        {
            import.ProcessedRows++;
            if (validPhone is not { } phone)
            {
                // Codes, not sentences: the page and the rejected-rows file read them in their reader's language.
                Reject(db, run, row, ProblemText.Store(result.Errors.Select(e => ProblemRules.ProblemOf(e) ?? Problem.Of("Import_RowInvalid", e.PropertyName))));
                continue;
            }
            if (run.SeenInFile.TryGetValue(phone, out var firstRow))
            {
                if (run.Options.Mode == ImportDuplicateMode.Skip)
                {
                    Skip(db, run, row, ProblemText.Store(Problem.Of("Import_DuplicateInFile", firstRow)));
                    continue;
                }
                // Update mode: a later row wins over an earlier one of the same number.
                if (created.TryGetValue(phone, out var pending))
                {
                    ContactService.Apply(pending, input, phone, now);
                    run.PendingFields[pending.Id] = input.Fields;
                    import.Updated++;
                    continue;
                }
            }
            run.SeenInFile.Set(phone, row.RowNumber);

            if (existingByPhone.TryGetValue(phone, out var existing) && !existing.Deleted)
            {
                if (run.Options.Mode == ImportDuplicateMode.Skip && firstRow == 0)
                {
                    Skip(db, run, row, ProblemText.Store(Problem.Of("Import_DuplicateOfContact")));
                    continue;
                }
                updates[existing.Id] = (input, phone);
                import.Updated++;
                continue;
            }
            if (existing.Id != Guid.Empty)
            {
                // A deleted contact with this number comes back (the number's unique slot is still taken by it).
                updates[existing.Id] = (input, phone);
                run.Revive.Add(existing.Id);
                existingByPhone[phone] = (existing.Id, false);
                import.Created++;
                continue;
            }
            var contact = new Contact { TenantId = ws.TenantId, WorkspaceId = ws.WorkspaceId, ImportId = import.Id };
            ContactService.Apply(contact, input, phone, now);
            created[phone] = contact;
            run.PendingFields[contact.Id] = input.Fields;
            existingByPhone[phone] = (contact.Id, false);
            import.Created++;
        }

        // New contacts and their field values, list and label rows go in by the bulk inserter (no change tracking: the
        // difference between 4,000 and 25,000 rows a second); updates stay tracked. Both commit in one transaction.
        var bulk = new NewRows();
        foreach (var contact in created.Values)
        {
            bulk.Contacts.Add(contact);
            bulk.Fields.AddRange(FieldValues(ws, contact.Id, run.PendingFields[contact.Id]));
            AddMembership(run, contact.Id, bulk.Members.Add, bulk.Labels.Add);
        }
        bulk.Stamp(now);
        await db.InTransactionAsync(ct => WriteAsync(db, ws, run, import, bulk, updates, now, ct), ct);
        run.PendingFields.Clear();
        run.Revive.ExceptWith(updates.Keys);
        await PublishAsync(import);
    }

    /// <summary>The batch's writes, all in the caller's transaction; re-runnable (the updated contacts are read inside).</summary>
    private async Task WriteAsync(IKelolaDb db, ContactWorkspace ws, ImportRun run, ContactImport import, NewRows bulk,
        Dictionary<Guid, (ContactInput Input, string Phone)> updates, DateTimeOffset now, CancellationToken ct)
    {
        await inserter.InsertAsync(db, bulk.Contacts, ct);
        await inserter.InsertAsync(db, bulk.Fields, ct);
        await inserter.InsertAsync(db, bulk.Members, ct);
        await inserter.InsertAsync(db, bulk.Labels, ct);
        if (updates.Count > 0)
        {
            var ids = updates.Keys.ToList();
            // The ids alone (found in the workspace by ExistingAsync): beside an equality on TenantId or WorkspaceId
            // SQLite without fresh statistics scans the tenant or workspace instead of seeking the ids.
            var contacts = await db.Contacts.IgnoreQueryFilters([ContactService.SoftDeleteFilter]).Where(c => ids.Contains(c.Id)).ToListAsync(ct);
            var listed = run.Options.ContactListId is { } listId
                ? (await db.ContactListMembers.Where(m => m.ContactListId == listId && ids.Contains(m.ContactId)).Select(m => m.ContactId).ToListAsync(ct)).ToHashSet()
                : [];
            var labelled = run.Options.LabelId is { } labelId
                ? (await db.ContactLabels.Where(m => m.LabelId == labelId && ids.Contains(m.ContactId)).Select(m => m.ContactId).ToListAsync(ct)).ToHashSet()
                : [];
            foreach (var contact in contacts)
            {
                var (input, phone) = updates[contact.Id];
                ContactService.Apply(contact, input, phone, now);
                // Import updates keep what the file leaves blank (OptedOut only moves to true from a file).
                if (!input.OptedOut && !run.Options.Mapping.Columns.ContainsValue(ContactImportMapping.OptOut))
                    contact.OptedOut = contact.OptedOutAt is not null;
                if (run.Revive.Contains(contact.Id))
                    contact.DeletedAt = null;
                await ContactService.ApplyFieldsAsync(db, ws, contact, input.Fields, replaceAll: false, isNew: false, ct);
                AddMembership(run, contact.Id, m => db.ContactListMembers.Add(m), l => db.ContactLabels.Add(l),
                    skipList: listed.Contains(contact.Id), skipLabel: labelled.Contains(contact.Id));
            }
        }
        db.ContactImports.Update(import);
        await db.SaveChangesAsync(ct);
    }

    private static ContactInput ToInput(TableRow row, ContactImportMapping mapping)
    {
        var input = new ContactInput();
        foreach (var (column, target) in mapping.Columns)
        {
            // A CSV cell may hold any control character, an .xlsx cell the escaped ones (XlsxTableReader.Unescape).
            var value = NulText.Strip(row[column])?.Trim();
            switch (target)
            {
                case ContactImportMapping.Name: input.Name = NulText.Name(value) ?? ""; break;
                case ContactImportMapping.Phone: input.Phone = value ?? ""; break;
                case ContactImportMapping.Email: input.Email = value; break;
                case ContactImportMapping.Group: input.GroupId = value; break;
                case ContactImportMapping.OptOut: input.OptedOut = value?.ToLowerInvariant() is "1" or "true" or "ya" or "yes" or "y"; break;
                default:
                    if (target.StartsWith(ContactImportMapping.FieldPrefix, StringComparison.Ordinal) && !string.IsNullOrEmpty(value))
                        input.Fields[target[ContactImportMapping.FieldPrefix.Length..]] = value;
                    break;
            }
        }
        // A row with a number but no name still imports: the number stands in for the name.
        if (string.IsNullOrWhiteSpace(input.Name) && !string.IsNullOrWhiteSpace(input.Phone))
            input.Name = input.Phone;
        return input;
    }

    private static IEnumerable<ContactFieldValue> FieldValues(ContactWorkspace ws, Guid contactId, IReadOnlyDictionary<string, string?> fields)
    {
        foreach (var (key, raw) in fields)
        {
            var def = ws.Fields.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase));
            if (def is not null && CustomFieldValues.Parse(def, raw).Value is { } value)
                yield return new ContactFieldValue { TenantId = ws.TenantId, WorkspaceId = ws.WorkspaceId, ContactId = contactId, FieldId = def.Id, Value = value };
        }
    }

    private static void AddMembership(ImportRun run, Guid contactId, Action<ContactListMember> addMember, Action<ContactLabel> addLabel, bool skipList = false, bool skipLabel = false)
    {
        var ws = run.Workspace;
        if (run.Options.ContactListId is { } listId && !skipList)
            addMember(new ContactListMember { TenantId = ws.TenantId, WorkspaceId = ws.WorkspaceId, ContactId = contactId, ContactListId = listId });
        if (run.Options.LabelId is { } labelId && !skipLabel)
            addLabel(new ContactLabel { TenantId = ws.TenantId, WorkspaceId = ws.WorkspaceId, ContactId = contactId, LabelId = labelId });
    }

    private static void Reject(IKelolaDb db, ImportRun run, TableRow row, string reason)
    {
        run.Import.Rejected++;
        List(db, run, row, ImportRowOutcome.Rejected, reason);
    }

    /// <summary>A duplicate left out in Skip mode: listed like a rejected row, so the user sees which rows they were.</summary>
    private static void Skip(IKelolaDb db, ImportRun run, TableRow row, string reason)
    {
        run.Import.Skipped++;
        List(db, run, row, ImportRowOutcome.Skipped, reason);
    }

    private static void List(IKelolaDb db, ImportRun run, TableRow row, ImportRowOutcome outcome, string reason) =>
        db.ContactImportErrors.Add(new ContactImportError
        {
            TenantId = run.Workspace.TenantId, WorkspaceId = run.Workspace.WorkspaceId, ImportId = run.Import.Id, Outcome = outcome,
            RowNumber = row.RowNumber, Reason = Truncate(reason, ContactImportError.ReasonMaxLength), RawValues = Truncate(RawJson(row), 4000),
        });

    private static string RawJson(TableRow row) => JsonSerializer.Serialize(row.Cells.Select(c => c is null ? null : Truncate(c, RawValueMaxLength)));

    private async Task<ContactImport> FinishAsync(ImportRun run, ImportStatus status, string? error, CancellationToken ct)
    {
        run.Import.Status = status;
        run.Import.Error = error is null ? null : Truncate(error, 2000);
        run.Import.FinishedAt = clock.GetUtcNow();
        await SaveImportAsync(run, ct);
        await PublishAsync(run.Import);
        return run.Import;
    }

    private async Task SaveImportAsync(ImportRun run, CancellationToken ct)
    {
        await using var db = dbFactory.CreateForTenant(run.Workspace.TenantId);
        db.ContactImports.Update(run.Import);
        await db.SaveChangesAsync(ct);
    }

    private Task PublishAsync(ContactImport i) =>
        bus.PublishAsync(Topics.Workspace(i.WorkspaceId), new ContactImportProgress(i.TenantId, i.WorkspaceId, i.Id, i.Status,
            i.ProcessedRows, i.TotalRows, i.Created, i.Updated, i.Skipped, i.Rejected));

    /// <summary>The rows a batch creates, written by the bulk inserter; it bypasses the interceptor, so the times are set here.</summary>
    private sealed class NewRows
    {
        public List<Contact> Contacts { get; } = [];
        public List<ContactFieldValue> Fields { get; } = [];
        public List<ContactListMember> Members { get; } = [];
        public List<ContactLabel> Labels { get; } = [];

        public void Stamp(DateTimeOffset now)
        {
            foreach (var row in Contacts.Concat<Entity>(Fields).Concat(Members).Concat(Labels))
                row.CreatedAt = row.UpdatedAt = now;
        }
    }

    private sealed class ImportRun(ContactImport import, ContactWorkspace workspace, ImportOptions options, DateTimeOffset started)
    {
        public ContactImport Import { get; } = import;
        public ContactWorkspace Workspace { get; } = workspace;
        public ImportOptions Options { get; } = options;
        public DateTimeOffset Started { get; } = started;
        public NumbersSeen SeenInFile { get; } = new();
        public Dictionary<Guid, Dictionary<string, string?>> PendingFields { get; } = [];
        public HashSet<Guid> Revive { get; } = [];
        // A batch's working sets, kept for the run and cleared per batch: made anew, those of 2,000 rows outgrow the
        // large object heap's threshold and pile up there until a full collection (~100 MB of a 1M-row import).
        public Dictionary<string, Contact> Created { get; } = new(BatchSize, StringComparer.Ordinal);
        public Dictionary<Guid, (ContactInput Input, string Phone)> Updates { get; } = new(BatchSize);
        public Dictionary<string, (Guid Id, bool Deleted)> Existing { get; } = new(BatchSize, StringComparer.Ordinal);
    }

    /// <summary>
    /// The first row of each number in the file, keyed by the E.164 digits as one integer: ~24 bytes a number where a
    /// string key cost ~80, the only state of an import that grows with the file.
    /// </summary>
    internal sealed class NumbersSeen
    {
        private readonly Dictionary<long, int> _byDigits = [];
        // An E.164 number has at most 15 digits and always fits; anything else (none today) keeps its text.
        private readonly Dictionary<string, int> _other = new(StringComparer.Ordinal);

        /// <summary>Sized once for the rows counted (at most the tenant's row limit): grown by doubling, each outgrown
        /// table would stay on the large object heap until a full collection.</summary>
        public void EnsureCapacity(int rows) => _byDigits.EnsureCapacity(rows);

        public bool TryGetValue(string e164, out int firstRow) =>
            Key(e164) is { } key ? _byDigits.TryGetValue(key, out firstRow) : _other.TryGetValue(e164, out firstRow);

        public void Set(string e164, int row)
        {
            if (Key(e164) is { } key)
                _byDigits[key] = row;
            else
                _other[e164] = row;
        }

        private static long? Key(string e164) =>
            e164.Length is > 1 and <= 19 && e164[0] == '+' && e164[1] != '0' && e164.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0
                ? long.Parse(e164.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)
                : null;
    }
}
