namespace KelolaPesan.Core.Common;

/// <summary>
/// Inserts many new rows in one transaction without change tracking (materialising a 100,000-recipient broadcast,
/// importing a 100,000-row spreadsheet); joins the context's current transaction if one has begun.
/// The caller fills every column, including the audit times the interceptor would otherwise set.
/// </summary>
public interface IBulkInserter
{
    Task InsertAsync<T>(IKelolaDb db, IReadOnlyList<T> rows, CancellationToken ct) where T : class;
}
