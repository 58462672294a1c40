using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Contacts.Import;

/// <summary>One row of a spreadsheet: its row number as the user sees it in the file, and its cells as text.</summary>
public readonly record struct TableRow(int RowNumber, string?[] Cells)
{
    public bool IsBlank => Cells.All(string.IsNullOrWhiteSpace);
    public string? this[int column] => column < Cells.Length ? Cells[column] : null;
}

/// <summary>Reads a spreadsheet file row by row without holding it whole in memory.</summary>
public interface ITableReader
{
    IReadOnlyList<string> SheetNames { get; }

    /// <summary>A cheap row count when the file states it (xlsx dimension); null when only a full pass would tell.</summary>
    int? DeclaredRowCount(string? sheet);

    /// <summary>Rows in file order; each call starts again from the top.</summary>
    IEnumerable<TableRow> ReadRows(string? sheet, CancellationToken ct = default);
}

public enum TableFormat { Unknown, Xlsx, Csv, LegacyXls }

/// <summary>Opens the right reader from the file's bytes (not its name), or says clearly why it cannot.</summary>
public static class TableFiles
{
    /// <summary>Longest cell text kept (Excel's own cell limit); longer text is cut and the row rejected by validation.</summary>
    public const int MaxCellLength = 32_767;

    public static TableFormat Detect(string path)
    {
        Span<byte> head = stackalloc byte[8];
        int read;
        using (var file = File.OpenRead(path))
            read = file.Read(head);
        if (read >= 4 && head[0] == 0x50 && head[1] == 0x4B && head[2] == 0x03 && head[3] == 0x04)
            return TableFormat.Xlsx;
        if (read >= 8 && head[0] == 0xD0 && head[1] == 0xCF && head[2] == 0x11 && head[3] == 0xE0)
            return TableFormat.LegacyXls;
        return LooksLikeText(path) ? TableFormat.Csv : TableFormat.Unknown;
    }

    public static TableOpenResult Open(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length == 0)
            return TableOpenResult.Fail(ImportProblem.EmptyFile, ProblemText.Get("Import_EmptyFile"));
        try
        {
            return Detect(path) switch
            {
                TableFormat.Xlsx => TableOpenResult.Ok(XlsxTableReader.Open(path)),
                TableFormat.Csv => TableOpenResult.Ok(new CsvTableReader(path)),
                TableFormat.LegacyXls => TableOpenResult.Fail(ImportProblem.NotASpreadsheet, ProblemText.Get("Import_LegacyXls")),
                _ => TableOpenResult.Fail(ImportProblem.NotASpreadsheet, ProblemText.Get("Import_NotASpreadsheet")),
            };
        }
        catch (Exception ex) when (ex is InvalidDataException or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException or IOException or System.Xml.XmlException)
        {
            return TableOpenResult.Fail(ImportProblem.NotASpreadsheet, ProblemText.Get("Import_XlsxUnreadable"));
        }
    }

    /// <summary>
    /// Text if the first 8 KB decode as UTF-8 (with or without BOM) and hold no control character but tab and line
    /// breaks: a few bytes of anything else decoded as one header of garbage, and the mapping step asked to map it.
    /// </summary>
    private static bool LooksLikeText(string path)
    {
        var buffer = new byte[8192];
        int read;
        using (var file = File.OpenRead(path))
            read = file.Read(buffer);
        var span = buffer.AsSpan(0, read);
        foreach (var b in span)
        {
            if (b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not (byte)'\r')
                return false;
        }
        // A cut multi-byte sequence at the end of the sample is not a reason to refuse.
        var decoder = new System.Text.UTF8Encoding(false, true).GetDecoder();
        try
        {
            var chars = new char[read + 1];
            decoder.GetChars(span, chars, flush: false);
            return true;
        }
        catch (System.Text.DecoderFallbackException)
        {
            return false;
        }
    }
}

public enum ImportProblem { None, EmptyFile, NotASpreadsheet, TooLarge, TooManyRows, NoRows, NoPhoneColumn, SheetNotFound, WorkspaceNotFound, TooMuchText }

public sealed record TableOpenResult(ITableReader? Reader, ImportProblem Problem, string? Message)
{
    public static TableOpenResult Ok(ITableReader reader) => new(reader, ImportProblem.None, null);
    public static TableOpenResult Fail(ImportProblem problem, string message) => new(null, problem, message);
}
