using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>
/// A real database fault on the real SQLite file: while armed, a trigger makes every write of a gateway id on a broadcast
/// recipient fail with a SQLite error, whoever issues it (EF or the provider's own prepared command). Not a transient
/// error: the retrying execution strategy gives up at once, as it would on a lost database.
/// </summary>
public sealed class RecipientResultFault(TestDatabase database)
{
    public const string Message = "injected after the gateway call";

    public Task ArmAsync() => ExecuteAsync(
        "CREATE TRIGGER \"TestRecipientResultFault\" BEFORE UPDATE OF \"ExternalMessageId\" ON \"BroadcastRecipients\" " +
        $"WHEN NEW.\"ExternalMessageId\" IS NOT NULL BEGIN SELECT RAISE(ABORT, '{Message}'); END;");

    public Task DisarmAsync() => ExecuteAsync("DROP TRIGGER \"TestRecipientResultFault\";");

    private async Task ExecuteAsync(string sql)
    {
        await using var db = database.CreateSystem();
        await ((DbContext)db).Database.ExecuteSqlRawAsync(sql);
    }
}
