using System.Globalization;
using System.Text;
using CsvHelper;

namespace KelolaPesan.Core.Contacts.Import;

/// <summary>CSV with the delimiter (',' ';' or tab) detected from the first lines; UTF-8 with or without a BOM.</summary>
public sealed class CsvTableReader(string path) : ITableReader
{
    public const string SheetName = "CSV";

    public IReadOnlyList<string> SheetNames { get; } = [SheetName];

    public string Delimiter { get; } = DetectDelimiter(path);

    public int? DeclaredRowCount(string? sheet) => null;

    public IEnumerable<TableRow> ReadRows(string? sheet, CancellationToken ct = default)
    {
        // CsvHelper honours a BOM and assumes UTF-8 otherwise; row numbers are the file's line numbers.
        using var csv = CsvReader.FromFile(path, new CsvReaderOptions
        {
            Separator = Delimiter[0],
            HasHeader = false,
            SkipEmptyLines = false,
            TrackLineNumbers = true,
        });
        while (csv.Read())
        {
            ct.ThrowIfCancellationRequested();
            var cells = new string?[csv.FieldCount];
            for (var i = 0; i < cells.Length; i++)
            {
                var value = csv.GetString(i);
                cells[i] = value.Length > TableFiles.MaxCellLength ? value[..TableFiles.MaxCellLength] : value;
            }
            yield return new TableRow((int)csv.LineNumber, cells);
        }
    }

    /// <summary>The candidate that splits the first lines most consistently (outside quotes) wins; ',' when none does.</summary>
    private static string DetectDelimiter(string path)
    {
        using var reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        var lines = new List<string>();
        while (lines.Count < 20 && reader.ReadLine() is { } line)
            if (line.Length > 0)
                lines.Add(line);
        if (lines.Count == 0)
            return ",";
        string best = ",";
        var bestScore = 0;
        foreach (var candidate in new[] { ',', ';', '\t', '|' })
        {
            var counts = lines.Select(l => CountOutsideQuotes(l, candidate)).ToList();
            var first = counts[0];
            var score = first == 0 ? 0 : counts.Count(c => c == first) * 1000 + first;
            if (score > bestScore)
            {
                bestScore = score;
                best = candidate.ToString();
            }
        }
        return best;
    }

    private static int CountOutsideQuotes(string line, char delimiter)
    {
        var count = 0;
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (c == delimiter && !quoted) count++;
        }
        return count;
    }
}
