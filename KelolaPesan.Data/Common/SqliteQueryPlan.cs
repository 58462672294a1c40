using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace KelolaPesan.Data.Common;

/// <summary>
/// The plan SQLite gives a command about to run (<c>EXPLAIN QUERY PLAN</c> with its own parameters, on its connection and
/// transaction), for the bench's statement tally and the tests that pin a plan: the app runs without statistics
/// (docs/adr/0031), so the plan seen here is the plan it gets.
/// </summary>
public static class SqliteQueryPlan
{
    /// <summary>The plan's lines, or null for another provider or a text that is not one statement reading or writing rows.</summary>
    public static string? Explain(DbCommand command)
    {
        if (command is not SqliteCommand { Connection: { } connection } sqlite || !Explainable(command.CommandText))
            return null;
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
        return string.Join("\n", lines);
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
