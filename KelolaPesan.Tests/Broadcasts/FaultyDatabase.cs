using System.Data.Common;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>
/// A real database fault on the real SQLite file: the first command whose text matches <see cref="FailOnce"/>'s predicate
/// fails with a SQLite error ("disk I/O error") instead of running, as a lost database would. Not a transient error:
/// the retrying execution strategy gives up at once, as it would on a real fault of that kind.
/// </summary>
public sealed class CommandFault : DbCommandInterceptor
{
    private Func<string, bool>? _match;
    public int Fired;

    public void FailOnce(Func<string, bool> match) => Interlocked.Exchange(ref _match, match);

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (_match is { } match && match(command.CommandText) && Interlocked.CompareExchange(ref _match, null, match) == match)
        {
            Interlocked.Increment(ref Fired);
            throw new SqliteException("disk I/O error (injected after the gateway call)", 10);
        }
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    /// <summary>Registers a database factory whose contexts carry this fault, in place of the host's own.</summary>
    public void Install(IServiceCollection services, TestDatabase database) => database.Intercept(services, this);
}
