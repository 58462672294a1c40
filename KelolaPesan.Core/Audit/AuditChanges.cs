namespace KelolaPesan.Core.Audit;

/// <summary>
/// An audit entry's details for a settings change: "Field: before -> after" for each field that changed, joined by
/// <see cref="Separator"/>. Fields are named as the code names them so the audit page can show each in the reader's
/// language (<see cref="Common.FieldNames"/>); the stored text stays one language for search.
/// </summary>
public static class AuditChanges
{
    public const string Separator = "; ";
    public const string Arrow = " -> ";

    /// <summary>Null when nothing changed.</summary>
    public static string? Of(params (string Field, object? Before, object? After)[] fields)
    {
        var changed = fields.Where(f => !Equals(f.Before, f.After)).Select(f => $"{f.Field}: {f.Before}{Arrow}{f.After}").ToList();
        return changed.Count == 0 ? null : string.Join(Separator, changed);
    }
}
