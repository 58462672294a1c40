using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace KelolaPesan.Data;

/// <summary>
/// A retrying execution strategy for SQLite, as SQL Server has <c>EnableRetryOnFailure</c>: a transaction that lost
/// the write lock for good (<c>SQLITE_BUSY</c> past the busy timeout, or at once for a stale WAL snapshot; <c>SQLITE_LOCKED</c>)
/// is run again as a whole. It also makes SQLite refuse hand-opened transactions exactly as the server providers do,
/// so a write path that bypasses <see cref="KelolaDbContext.InTransactionAsync{T}"/> fails in every test run.
/// </summary>
public sealed class SqliteRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies, int maxRetryCount, TimeSpan maxRetryDelay)
    : ExecutionStrategy(dependencies, maxRetryCount, maxRetryDelay)
{
    public const int Retries = 3;
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public SqliteRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies)
        : this(dependencies, Retries, MaxDelay)
    {
    }

    public static bool IsTransient(Exception exception) => exception is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked };

    protected override bool ShouldRetryOn(Exception exception) => IsTransient(exception);
}
