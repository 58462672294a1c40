using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Contacts.Import;

/// <summary>What one import run holds while it goes through the file: its settings, the numbers seen so far and a batch's working sets.</summary>
public sealed partial class ContactImportService
{
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
