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
/// reader sees, so it is dropped where such text comes in, with the other C0 controls (U+0001, ESC...) that no font
/// draws: <see cref="Strip"/> keeps the tab and line breaks a message may have. A name is one line and is shown
/// beside other text, so <see cref="Name"/> also drops DEL, the C1 controls and the bidi overrides and isolates
/// (U+202A-U+202E, U+2066-U+2069) that make a name read backwards or swallow what follows it, the invisible marks
/// (zero-width space, direction marks, word joiner, BOM), and turns a tab or a line break into a space.
/// </summary>
public static class NulText
{
    private static readonly System.Buffers.SearchValues<char> TextControls = System.Buffers.SearchValues.Create(Range('\0', '\u0008') + "\u000B\u000C" + Range('\u000E', '\u001F'));
    private static readonly System.Buffers.SearchValues<char> NameControls = System.Buffers.SearchValues.Create(
        Range('\0', '\u001F') + Range('\u007F', '\u009F') + Range('\u202A', '\u202E') + Range('\u2066', '\u2069') + "\u2028\u2029"
        // Invisible in a name, and what makes two names look alike: zero-width space, direction marks, the BOM. The
        // zero-width joiners (U+200C, U+200D) stay: emoji sequences and some scripts need them.
        + "\u200B\u200E\u200F\u061C\u2060\uFEFF");

    /// <summary>Text that may span lines (a message, a cell): NUL and the other C0 controls but tab, LF and CR dropped.</summary>
    public static string? Strip(string? value)
    {
        if (value is null || value.AsSpan().IndexOfAny(TextControls) < 0)
            return value;
        return string.Create(value.Length - Count(value, TextControls), value, static (target, source) =>
        {
            var i = 0;
            foreach (var c in source)
                if (!TextControls.Contains(c))
                    target[i++] = c;
        });
    }

    /// <summary>
    /// A name (a contact's, a WhatsApp push name, an Instagram username, a team member's or a workspace's), trimmed,
    /// on one line: a run of tabs and line breaks becomes one space, the other controls are dropped. Null stays null.
    /// </summary>
    public static string? Name(string? value)
    {
        if (value is null)
            return null;
        if (value.AsSpan().IndexOfAny(NameControls) < 0)
            return value.Trim();
        var text = new System.Text.StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\t' or '\n' or '\r' or '\u0085' or '\u2028' or '\u2029')
            {
                if (text.Length > 0 && text[^1] != ' ')
                    text.Append(' ');
            }
            else if (!NameControls.Contains(c))
                text.Append(c);
        }
        return text.ToString().Trim();
    }

    private static int Count(string value, System.Buffers.SearchValues<char> set)
    {
        var count = 0;
        foreach (var c in value)
            if (set.Contains(c))
                count++;
        return count;
    }

    private static string Range(char first, char last) => new([.. Enumerable.Range(first, last - first + 1).Select(c => (char)c)]);
}
