using System.Data.Common;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace KelolaPesan.Data;

/// <summary>
/// Real work on the real database that is undone: once <see cref="BeginAsync"/> ran, every context this DI scope's
/// <see cref="IKelolaDbFactory"/> hands out shares one connection and one transaction, and disposing rolls it back.
/// A node's warm-up runs an inbound message through the real services with it (their queries compiled, their code
/// jitted, their writes executed) and leaves no row behind. Scoped: only the scope that began it is affected; loops
/// and singletons use scopes of their own.
/// </summary>
public sealed class RolledBackScope(KelolaDbContextActivator activator) : IAsyncDisposable, IDisposable
{
    private KelolaDbContext? _owner;
    private DbTransaction? _transaction;

    public bool IsActive => _transaction is not null;

    /// <summary>Opens the connection and the transaction every later context of this scope joins.</summary>
    public async Task BeginAsync(CancellationToken ct = default)
    {
        if (_owner is not null)
            throw new InvalidOperationException("The rolled-back scope has begun already.");
        // The owner only holds the connection (opened by EF, so the provider's connection interceptors run) and the
        // transaction; it runs no command itself, so its retrying execution strategy never sees the transaction.
        _owner = activator.Create(SystemTenant.Instance);
        await _owner.Database.OpenConnectionAsync(ct);
        // Never committed: this is the one transaction in the code that is not InTransactionAsync's.
        _transaction = (await _owner.Database.BeginTransactionAsync(ct)).GetDbTransaction();
    }

    internal KelolaDbContext Create(ITenantContext tenant) =>
        activator.CreateIn(_owner!.Database.GetDbConnection(), _transaction ?? throw new InvalidOperationException("Not begun."), tenant);

    public async ValueTask DisposeAsync()
    {
        if (_owner is null)
            return;
        try
        {
            if (_transaction is not null)
                await _transaction.RollbackAsync();
        }
        finally
        {
            await _owner.DisposeAsync();
            _owner = null;
            _transaction = null;
        }
    }

    // A DI scope disposed synchronously (`using var scope = CreateScope()`) refuses a service that is only
    // IAsyncDisposable, even one that never began: every test and job that creates scopes that way would throw.
    public void Dispose()
    {
        if (_owner is null)
            return;
        try
        {
            _transaction?.Rollback();
        }
        finally
        {
            _owner.Dispose();
            _owner = null;
            _transaction = null;
        }
    }
}
