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

/// <summary>
/// Text from outside (gateway webhooks, Meta, API bodies, spreadsheet cells) may hold U+0000, which PostgreSQL refuses
/// in text (the whole write failed: a customer's message was lost) and SQLite cuts the text at. It carries nothing a
/// reader sees, so it is dropped where such text comes in.
/// </summary>
public static class NulText
{
    public static string? Strip(string? value) => value is null || !value.Contains('\0') ? value : value.Replace("\0", "");
}
