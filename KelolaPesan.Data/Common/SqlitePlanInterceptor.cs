using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KelolaPesan.Data.Common;

/// <summary>
/// Hands over the plan SQLite gives each command about to run (<c>EXPLAIN QUERY PLAN</c> with its own parameters, on its
/// connection and transaction), for the bench's statement tally and the tests that pin a plan: the app runs without
/// statistics (docs/adr/0031), so the plan seen here is the plan it gets. Not used by the app itself.
/// </summary>
public abstract class SqlitePlanInterceptor : DbCommandInterceptor
{
    /// <summary>The plan of a command about to run; its lines, one per step.</summary>
    protected abstract void Planned(DbCommand command, string plan);

    /// <summary>Whether to explain this command (e.g. not again a text already explained).</summary>
    protected virtual bool Wants(DbCommand command) => true;

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Explain(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Explain(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Explain(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Explain(command);
        return ValueTask.FromResult(result);
    }

    private void Explain(DbCommand command)
    {
        if (!Wants(command))
            return;
        string plan;
        try
        {
            if (!Explain(command, out plan))
                return;
        }
        catch (SqliteException ex)
        {
            // The statement itself still runs (and fails on its own if it must); what is handed over says why there is no plan.
            plan = "(not explained: " + ex.Message + ")";
        }
        Planned(command, plan);
    }

    /// <summary>False for another provider or a text that is not one statement reading or writing rows.</summary>
    private static bool Explain(DbCommand command, out string plan)
    {
        plan = "";
        if (command is not SqliteCommand { Connection: { } connection } sqlite || !Explainable(command.CommandText))
            return false;
        using var explain = connection.CreateCommand();
        explain.Transaction = sqlite.Transaction;
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        foreach (SqliteParameter parameter in sqlite.Parameters)
            explain.Parameters.AddWithValue(parameter.ParameterName, parameter.Value ?? DBNull.Value);
        var lines = new List<string>();
        using (var reader = explain.ExecuteReader())
        {
            while (reader.Read())
                lines.Add(reader.GetString(3));
        }
        plan = string.Join("\n", lines);
        return true;
    }

    /// <summary>
    /// Microsoft.Data.Sqlite runs every statement of a command's text and <c>EXPLAIN QUERY PLAN</c> covers only the first:
    /// explaining "A; B" would run B for real. So one statement only.
    /// </summary>
    private static bool Explainable(string sql)
    {
        var text = sql.Trim().TrimEnd(';');
        return !text.Contains(';') && Verbs.Any(v => text.StartsWith(v, StringComparison.OrdinalIgnoreCase));
    }

    private static readonly string[] Verbs = ["SELECT", "UPDATE", "DELETE", "INSERT", "WITH"];
}
