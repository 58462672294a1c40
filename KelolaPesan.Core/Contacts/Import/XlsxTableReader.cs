using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace KelolaPesan.Core.Contacts.Import;

/// <summary>
/// Streams an .xlsx with the OpenXML SDK's SAX reader, one row at a time (ClosedXML would load the whole
/// workbook: ~650 MB for 100k rows). Shared and inline strings, numbers (phones typed as numbers lose their
/// leading 0; the normaliser puts it back), date-formatted numbers as yyyy-MM-dd, and formulas by their cached value.
/// </summary>
public sealed partial class XlsxTableReader : ITableReader
{
    private readonly string _path;
    private readonly List<(string Name, string RelationshipId)> _sheets;

    private XlsxTableReader(string path, List<(string, string)> sheets)
    {
        _path = path;
        _sheets = sheets;
    }

    public IReadOnlyList<string> SheetNames => _sheets.Select(s => s.Name).ToList();

    /// <summary>Opens the package once to check it is a workbook and to list its sheets.</summary>
    public static XlsxTableReader Open(string path)
    {
        using var doc = SpreadsheetDocument.Open(path, false);
        var workbook = doc.WorkbookPart?.Workbook ?? throw new InvalidDataException("No workbook part.");
        var sheets = workbook.Sheets?.Elements<Sheet>()
            .Where(s => s.Id?.Value is not null)
            .Select(s => (s.Name?.Value ?? "Sheet", s.Id!.Value!))
            .ToList() ?? [];
        if (sheets.Count == 0)
            throw new InvalidDataException("The workbook has no sheets.");
        return new XlsxTableReader(path, sheets);
    }

    public int? DeclaredRowCount(string? sheet)
    {
        using var doc = SpreadsheetDocument.Open(_path, false);
        var part = Worksheet(doc, sheet);
        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (reader.ElementType == typeof(SheetDimension))
            {
                var reference = ((SheetDimension)reader.LoadCurrentElement()!).Reference?.Value;
                var last = reference?.Split(':').LastOrDefault();
                return last is null ? null : RowOf(last);
            }
            if (reader.ElementType == typeof(SheetData))
                return null;
        }
        return null;
    }

    public IEnumerable<TableRow> ReadRows(string? sheet, CancellationToken ct = default)
    {
        using var doc = SpreadsheetDocument.Open(_path, false);
        var workbookPart = doc.WorkbookPart!;
        var strings = ReadSharedStrings(workbookPart);
        var dateStyles = ReadDateStyles(workbookPart);
        var part = Worksheet(doc, sheet);

        // Pure SAX events, no LoadCurrentElement: building a DOM per row costs ~10x the reading itself.
        using var reader = OpenXmlReader.Create(part);
        var nextRow = 1;
        List<string?>? cells = null;
        var rowNumber = 0;
        var position = 0;
        CellState cell = default;
        System.Text.StringBuilder? inline = null;
        while (reader.Read())
        {
            var type = reader.ElementType;
            if (type == typeof(Row))
            {
                if (cells is not null)
                {
                    yield return new TableRow(rowNumber, [.. cells]);
                    cells = null;
                }
                if (reader.IsStartElement)
                {
                    ct.ThrowIfCancellationRequested();
                    rowNumber = nextRow;
                    foreach (var a in reader.Attributes)
                        if (a.LocalName == "r" && int.TryParse(a.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r))
                            rowNumber = r;
                    nextRow = rowNumber + 1;
                    cells = [];
                    position = 0;
                }
            }
            else if (type == typeof(Cell))
            {
                if (reader.IsStartElement)
                {
                    cell = new CellState { Column = position };
                    inline = null;
                    foreach (var a in reader.Attributes)
                        switch (a.LocalName)
                        {
                            case "r": cell.Column = ColumnOf(a.Value ?? ""); break;
                            case "t": cell.Type = a.Value; break;
                            case "s": cell.IsDate = uint.TryParse(a.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var st) && dateStyles.Contains(st); break;
                        }
                }
                else if (cells is not null)
                {
                    position = cell.Column + 1;
                    while (cells.Count <= cell.Column)
                        cells.Add(null);
                    cells[cell.Column] = CellText(cell, inline?.ToString(), strings);
                }
            }
            else if (type == typeof(CellValue) && reader.IsStartElement)
                // A formula cell's <v> is the value Excel last calculated: use it, never the formula.
                cell.Value = reader.GetText();
            else if (type == typeof(Text) && reader.IsStartElement && cell.Type == "inlineStr")
                (inline ??= new()).Append(reader.GetText());
        }
        if (cells is not null)
            yield return new TableRow(rowNumber, [.. cells]);
    }

    private struct CellState
    {
        public int Column;
        public string? Type;
        public bool IsDate;
        public string? Value;
    }

    private static string? CellText(CellState cell, string? inline, List<string> strings)
    {
        string? text;
        switch (cell.Type)
        {
            case "inlineStr": text = inline is null ? null : Unescape(inline); break;
            case "s":
                text = int.TryParse(cell.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < strings.Count ? strings[index] : null;
                break;
            case "b": text = cell.Value is null ? null : cell.Value == "1" ? "TRUE" : "FALSE"; break;
            case null or "n": text = cell.Value is null ? null : NumberText(cell.Value, cell.IsDate); break;
            default: text = cell.Value; break; // "str" (formula text), "e" (error such as #N/A), "d" (ISO date)
        }
        if (text is { Length: > TableFiles.MaxCellLength })
            text = text[..TableFiles.MaxCellLength];
        return text;
    }

    private WorksheetPart Worksheet(SpreadsheetDocument doc, string? sheet)
    {
        var entry = sheet is null ? _sheets[0] : _sheets.FirstOrDefault(s => s.Name == sheet);
        if (entry.RelationshipId is null)
            throw new KeyNotFoundException($"The sheet '{sheet}' is not in the workbook.");
        return (WorksheetPart)doc.WorkbookPart!.GetPartById(entry.RelationshipId);
    }

    private static string NumberText(string raw, bool isDate)
    {
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            return raw;
        if (isDate && value is > -657435 and < 2958466)
        {
            var date = DateTime.FromOADate(value);
            return date.TimeOfDay == TimeSpan.Zero ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : date.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        }
        // Whole numbers as plain digits ("81234567890", never "8.1234567890E10").
        if (Math.Abs(value) < 1e15 && value == Math.Floor(value))
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    private static List<string> ReadSharedStrings(WorkbookPart workbookPart)
    {
        var list = new List<string>();
        if (workbookPart.SharedStringTablePart is not { } part)
            return list;
        using var reader = OpenXmlReader.Create(part);
        var text = new System.Text.StringBuilder();
        var open = false;
        var phonetic = false;
        while (reader.Read())
        {
            var type = reader.ElementType;
            if (type == typeof(SharedStringItem))
            {
                if (open)
                    list.Add(Unescape(text.ToString()));
                open = reader.IsStartElement;
                text.Clear();
            }
            else if (type == typeof(PhoneticRun))
                // Phonetic guides (<rPh>) are not part of the value.
                phonetic = reader.IsStartElement;
            else if (type == typeof(Text) && reader.IsStartElement && open && !phonetic)
                text.Append(reader.GetText());
        }
        if (open)
            list.Add(Unescape(text.ToString()));
        return list;
    }

    /// <summary>Style indexes whose number format shows a date: the built-in date formats and custom ones with d/m/y.</summary>
    private static HashSet<uint> ReadDateStyles(WorkbookPart workbookPart)
    {
        var result = new HashSet<uint>();
        var stylesheet = workbookPart.WorkbookStylesPart?.Stylesheet;
        if (stylesheet?.CellFormats is null)
            return result;
        var custom = stylesheet.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId?.Value is not null)
            .ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode?.Value ?? "") ?? [];
        uint index = 0;
        foreach (var format in stylesheet.CellFormats.Elements<CellFormat>())
        {
            var id = format.NumberFormatId?.Value ?? 0;
            if (id is >= 14 and <= 22 or >= 45 and <= 47 || (custom.TryGetValue(id, out var code) && IsDateFormat(code)))
                result.Add(index);
            index++;
        }
        return result;
    }

    private static bool IsDateFormat(string code)
    {
        // Drop quoted text and [colour]/[locale] sections before looking for date letters.
        var plain = System.Text.RegularExpressions.Regex.Replace(code, "\"[^\"]*\"|\\[[^\\]]*\\]", "");
        return plain.IndexOfAny(['d', 'y', 'D', 'Y']) >= 0 || (plain.Contains('m') && !plain.Contains('0') && !plain.Contains('#'));
    }

    /// <summary>
    /// OOXML escapes characters XML cannot hold as _xHHHH_ (ClosedXML writes emoji surrogates that way); a literal
    /// "_x" is itself written _x005F_x. Undo it so an emoji comes back as the emoji.
    /// </summary>
    internal static string Unescape(string text) =>
        text.Contains("_x", StringComparison.Ordinal)
            ? EscapePattern().Replace(text, m => ((char)Convert.ToUInt16(m.Groups[1].Value, 16)).ToString())
            : text;

    [System.Text.RegularExpressions.GeneratedRegex("_x([0-9A-Fa-f]{4})_")]
    private static partial System.Text.RegularExpressions.Regex EscapePattern();

    private static int ColumnOf(string reference)
    {
        var column = 0;
        foreach (var c in reference)
        {
            if (!char.IsAsciiLetter(c))
                break;
            column = column * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
        }
        return Math.Max(column - 1, 0);
    }

    private static int? RowOf(string reference)
    {
        var digits = new string(reference.SkipWhile(char.IsAsciiLetter).ToArray());
        return int.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out var row) ? row : null;
    }
}
