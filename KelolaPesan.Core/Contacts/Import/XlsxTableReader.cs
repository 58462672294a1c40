using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace KelolaPesan.Core.Contacts.Import;

/// <summary>
/// Streams an .xlsx with the OpenXML SDK's SAX reader, one row at a time (ClosedXML would load the whole
/// workbook: ~650 MB for 100k rows). Shared and inline strings, numbers (phones typed as numbers lose their
/// leading 0; the normaliser puts it back), date-formatted numbers as yyyy-MM-dd, and formulas by their cached value.
/// Hostile files cost bounded memory: no cell text beyond <see cref="TableFiles.MaxCellLength"/> and no more than
/// <see cref="MaxSharedStringCharacters"/> of shared strings are ever held (<see cref="SpreadsheetTooLargeException"/>).
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
        using var doc = OpenPackage(path);
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
        using var doc = OpenPackage(_path);
        using var reader = CreateXml(Worksheet(doc, sheet));
        while (reader.Read())
        {
            if (reader.NodeType != System.Xml.XmlNodeType.Element)
                continue;
            if (reader.LocalName == "dimension")
            {
                var last = reader.GetAttribute("ref")?.Split(':').LastOrDefault();
                return last is null ? null : RowOf(last);
            }
            if (reader.LocalName == "sheetData")
                return null;
        }
        return null;
    }

    public IEnumerable<TableRow> ReadRows(string? sheet, CancellationToken ct = default)
    {
        using var doc = OpenPackage(_path);
        var workbookPart = doc.WorkbookPart!;
        var strings = ReadSharedStrings(workbookPart);
        var dateStyles = ReadDateStyles(workbookPart);

        // A plain XmlReader, element by element: no DOM per row (~10x the reading itself), and text read in chunks
        // against the cell limit, so one huge value costs a small buffer, never its own size in memory.
        using var reader = CreateXml(Worksheet(doc, sheet));
        var nextRow = 1;
        List<string?>? cells = null;
        var rowNumber = 0;
        var position = 0;
        CellState cell = default;
        var text = new System.Text.StringBuilder();
        var inline = new System.Text.StringBuilder();
        var chunk = new char[4096];
        var inInline = false;
        var phonetic = false;
        while (reader.Read())
        {
            var isStart = reader.NodeType == System.Xml.XmlNodeType.Element;
            var isEnd = reader.NodeType == System.Xml.XmlNodeType.EndElement || (isStart && reader.IsEmptyElement);
            if (!isStart && !isEnd)
                continue;
            switch (reader.LocalName)
            {
                case "row":
                    if (isStart)
                    {
                        if (cells is not null)
                            yield return new TableRow(rowNumber, [.. cells]);
                        ct.ThrowIfCancellationRequested();
                        rowNumber = int.TryParse(reader.GetAttribute("r"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : nextRow;
                        nextRow = rowNumber + 1;
                        cells = [];
                        position = 0;
                    }
                    if (isEnd && cells is not null)
                    {
                        yield return new TableRow(rowNumber, [.. cells]);
                        cells = null;
                    }
                    break;
                case "c":
                    if (isStart)
                    {
                        cell = new CellState { Column = reader.GetAttribute("r") is { } reference ? ColumnOf(reference) : position, Type = reader.GetAttribute("t") };
                        cell.IsDate = uint.TryParse(reader.GetAttribute("s"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var st) && dateStyles.Contains(st);
                        inline.Clear();
                        inInline = false;
                    }
                    if (isEnd && cells is not null)
                    {
                        position = cell.Column + 1;
                        while (cells.Count <= cell.Column)
                            cells.Add(null);
                        cells[cell.Column] = CellText(cell, inInline ? inline.ToString() : null, strings);
                    }
                    break;
                case "v" when isStart && !reader.IsEmptyElement:
                    // A formula cell's <v> is the value Excel last calculated: use it, never the formula.
                    text.Clear();
                    ReadText(reader, text, chunk, TableFiles.MaxCellLength);
                    cell.Value = text.ToString();
                    break;
                case "rPh":
                    phonetic = isStart && !reader.IsEmptyElement;
                    break;
                case "t" when isStart && !reader.IsEmptyElement && cell.Type == "inlineStr" && !phonetic:
                    inInline = true;
                    ReadText(reader, inline, chunk, TableFiles.MaxCellLength);
                    break;
            }
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

    private static string? CellText(CellState cell, string? inline, XlsxSharedStrings strings)
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

    private static XlsxSharedStrings ReadSharedStrings(WorkbookPart workbookPart)
    {
        var list = new XlsxSharedStrings();
        if (workbookPart.SharedStringTablePart is not { } part)
            return list;
        using var reader = CreateXml(part);
        var text = new System.Text.StringBuilder();
        var chunk = new char[4096];
        var open = false;
        var phonetic = false;
        long total = 0;
        while (reader.Read())
        {
            var isStart = reader.NodeType == System.Xml.XmlNodeType.Element;
            var isEnd = reader.NodeType == System.Xml.XmlNodeType.EndElement || (isStart && reader.IsEmptyElement);
            if (reader.LocalName == "si" && (isStart || isEnd))
            {
                if (isStart)
                {
                    open = true;
                    text.Clear();
                }
                if (isEnd && open)
                {
                    // Every shared string is held for the whole read: their sum is capped, not only each one.
                    total += text.Length;
                    if (total > MaxSharedStringCharacters || list.Count >= MaxSharedStrings)
                        throw new SpreadsheetTooLargeException();
                    list.Add(Unescape(text.ToString()));
                    open = false;
                }
            }
            else if (reader.LocalName == "rPh" && (isStart || isEnd))
                // Phonetic guides (<rPh>) are not part of the value.
                phonetic = isStart && !reader.IsEmptyElement;
            else if (reader.LocalName == "t" && isStart && !reader.IsEmptyElement && open && !phonetic)
                ReadText(reader, text, chunk, TableFiles.MaxCellLength);
        }
        return list;
    }

    /// <summary>
    /// Most characters of all shared strings together: a million-row contact list needs about 50 million (names, emails,
    /// notes). Held packed as UTF-8 (<see cref="XlsxSharedStrings"/>): 64 MB for plain Latin text, at most 192 MB.
    /// </summary>
    public const long MaxSharedStringCharacters = 64_000_000;

    /// <summary>Most shared strings (8 bytes each held): bounds a file of many tiny strings, which the character cap does not.</summary>
    public const int MaxSharedStrings = 8_000_000;

    /// <summary>Most characters the worksheet and shared-string parts may hold once unzipped: a zip bomb stops here.</summary>
    public const long MaxPartCharacters = 400_000_000;

    /// <summary>Most characters of the parts read whole (workbook, styles): small in any real file.</summary>
    public const long MaxSmallPartCharacters = 4_000_000;

    private static SpreadsheetDocument OpenPackage(string path) =>
        SpreadsheetDocument.Open(path, false, new OpenSettings { MaxCharactersInPart = MaxSmallPartCharacters });

    private static System.Xml.XmlReader CreateXml(OpenXmlPart part) =>
        System.Xml.XmlReader.Create(part.GetStream(FileMode.Open, FileAccess.Read), new System.Xml.XmlReaderSettings
        {
            DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxPartCharacters,
            IgnoreComments = true, IgnoreProcessingInstructions = true, CloseInput = true,
        });

    /// <summary>
    /// Appends the text of the element the reader is on (a <c>&lt;t&gt;</c> or <c>&lt;v&gt;</c>) in chunks, and refuses the
    /// file as soon as it passes <paramref name="max"/> characters: the huge string is never built. Leaves the reader on the end tag.
    /// </summary>
    private static void ReadText(System.Xml.XmlReader reader, System.Text.StringBuilder into, char[] chunk, int max)
    {
        var depth = reader.Depth;
        var start = into.Length;
        while (reader.Read() && reader.Depth > depth)
        {
            if (reader.NodeType is not (System.Xml.XmlNodeType.Text or System.Xml.XmlNodeType.CDATA or System.Xml.XmlNodeType.Whitespace or System.Xml.XmlNodeType.SignificantWhitespace))
                continue;
            int read;
            while ((read = reader.ReadValueChunk(chunk, 0, chunk.Length)) > 0)
            {
                if (into.Length - start + read > max)
                    throw new SpreadsheetTooLargeException();
                into.Append(chunk, 0, read);
            }
        }
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
    /// "_x" is itself written _x005F_x. Undo it so an emoji comes back as the emoji; a NUL (_x0000_) and the other C0
    /// controls but tab and line breaks are dropped (<see cref="Common.NulText"/>: PostgreSQL refused the batch a NUL was in).
    /// </summary>
    internal static string Unescape(string text) =>
        text.Contains("_x", StringComparison.Ordinal)
            ? EscapePattern().Replace(text, m => Common.NulText.Strip(((char)Convert.ToUInt16(m.Groups[1].Value, 16)).ToString())!)
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

/// <summary>The workbook holds more text than any real contact list (a cell over Excel's own limit, or too many shared strings).</summary>
public sealed class SpreadsheetTooLargeException()
    : IOException("A cell of the file holds more text than Excel allows, or the file holds far more text than a contact list.");
