namespace KelolaPesan.Core.Common;

/// <summary>
/// The stored form a name is compared in when its case must not matter (usernames, list and label names): trimmed,
/// upper-cased invariantly. Lookups and unique indexes use the stored normalised column, so every provider compares
/// the same way, whatever its collation (SQL Server's default ignores case, SQLite's and PostgreSQL's do not).
/// </summary>
public static class NormalizedText
{
    public static string Of(string? value) => (value ?? "").Trim().ToUpperInvariant();
}
