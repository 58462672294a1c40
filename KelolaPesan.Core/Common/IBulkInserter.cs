namespace KelolaPesan.Core.Common;

/// <summary>
/// Inserts many new rows in one transaction without change tracking (materialising a 100,000-recipient broadcast,
/// importing a 100,000-row spreadsheet); joins the context's current transaction if one has begun.
/// The caller fills every column, including the audit times the interceptor would otherwise set.
/// </summary>
public interface IBulkInserter
{
    Task InsertAsync<T>(IKelolaDb db, IReadOnlyList<T> rows, CancellationToken ct) where T : class;

    /// <summary>
    /// The same INSERT prepared once on a connection kept open, for writes that come in parts: batch after batch (the
    /// webhook writer: opening a connection and preparing the statement cost more than inserting a handful of rows),
    /// or chunks of one large insert written while the next is made. <paramref name="expectedRows"/> sizes the
    /// connection for the whole (SQLite's page cache).
    /// </summary>
    Task<IPreparedInsert<T>> PrepareAsync<T>(IKelolaDb db, int expectedRows, CancellationToken ct) where T : class;
}

/// <summary>A prepared INSERT on an open connection; each call joins the context's transaction, or runs in one of its own.</summary>
public interface IPreparedInsert<in T> : IAsyncDisposable where T : class
{
    Task InsertAsync(IReadOnlyList<T> rows, CancellationToken ct);
}
