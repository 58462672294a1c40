using System.Text.Json;

namespace KelolaPesan.Core.Contacts.Import;

/// <summary>What the wizard chose: sheet, header row, column mapping, duplicate mode and where to put the contacts.</summary>
public sealed class ImportOptions
{
    public string? Sheet { get; set; }

    /// <summary>The file row holding the column names; data starts below it.</summary>
    public int HeaderRow { get; set; } = 1;
    public ContactImportMapping Mapping { get; set; } = new();
    public ImportDuplicateMode Mode { get; set; }
    public Guid? ContactListId { get; set; }
    public Guid? LabelId { get; set; }

    public string ToJson() => JsonSerializer.Serialize(this);
    public static ImportOptions FromJson(string json) => JsonSerializer.Deserialize<ImportOptions>(json) ?? new();
}

/// <summary>The file as the wizard shows it before importing: sheets, detected header, the first rows and a guessed mapping.</summary>
public sealed record ImportPreview(
    ImportProblem Problem, string? Message, TableFormat Format, IReadOnlyList<string> Sheets, string? Sheet, int HeaderRow,
    IReadOnlyList<string> Headers, IReadOnlyList<TableRow> Rows, ContactImportMapping Mapping)
{
    public bool IsOk => Problem == ImportProblem.None;
    public static ImportPreview Fail(ImportProblem problem, string message) =>
        new(problem, message, TableFormat.Unknown, [], null, 1, [], [], new ContactImportMapping());
}

/// <summary>The limits of imports, from the platform's default policy.</summary>
public sealed record ImportLimits(long MaxBytes, int MaxRows);
