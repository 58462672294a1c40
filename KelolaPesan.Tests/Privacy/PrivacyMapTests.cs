using System.Text.RegularExpressions;
using KelolaPesan.Data;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Privacy;

/// <summary>
/// Keeps docs/privacy-map.md honest: every data item the privacy policy lists in section 1 has a row,
/// under the policy's own bullet, and every <c>Entity.Field</c> a row names exists in the EF model.
/// </summary>
public sealed partial class PrivacyMapTests
{
    private static readonly string RepoRoot = FindRepoRoot();
    private static readonly IReadOnlyList<PolicyBullet> Policy = ReadPolicySection1(File.ReadAllLines(Path.Combine(RepoRoot, "docs", "privacy-policy.txt")));
    private static readonly IReadOnlyList<MapRow> Map = ReadMap(File.ReadAllLines(Path.Combine(RepoRoot, "docs", "privacy-map.md")));

    [Fact]
    public void ThePolicyParser_FindsTheTenBulletsOfSection1_AndTheirItems()
    {
        Assert.Equal(10, Policy.Count);
        Assert.Equal("Account and access data", Policy[0].Category);
        Assert.Equal("theme preference", Policy[0].Items[^1]);
        Assert.All(Policy, bullet => Assert.True(bullet.Items.Count >= 4, $"{bullet.Category}: {bullet.Items.Count} items"));
    }

    [Fact]
    public void EveryItemOfPolicySection1_HasARowInThePrivacyMap_UnderItsBullet()
    {
        var missing = Policy
            .SelectMany(bullet => bullet.Items.Select(item => (bullet.Category, Item: item)))
            .Where(wanted => !Map.Any(row => Same(row.Section, wanted.Category) && Same(row.Item, wanted.Item)))
            .Select(wanted => $"{wanted.Category} / {wanted.Item}")
            .ToList();

        Assert.True(missing.Count == 0, "docs/privacy-map.md has no row for: " + string.Join("; ", missing));
    }

    [Fact]
    public void EveryRowOfThePrivacyMap_NamesWhereTheItemIsStored_OrSaysItIsNotStored()
    {
        Assert.NotEmpty(Map);
        var vague = Map.Where(row => FieldReference().Matches(row.StoredIn).Count == 0 && !row.StoredIn.Contains("not stored"))
            .Select(row => $"{row.Section} / {row.Item}")
            .ToList();

        Assert.True(vague.Count == 0, "rows that name no Entity.Field: " + string.Join("; ", vague));
    }

    [Fact]
    public void EveryEntityFieldNamedInThePrivacyMap_ExistsInTheEfModel()
    {
        using var db = new SqliteKelolaDbContext(
            new DbContextOptionsBuilder<SqliteKelolaDbContext>().UseSqlite("Data Source=model-only.db").Options, SystemTenant.Instance);
        var entities = db.Model.GetEntityTypes().ToDictionary(t => t.ClrType.Name);

        var references = Map.SelectMany(row => FieldReference().Matches(row.StoredIn)).Select(m => (Entity: m.Groups[1].Value, Field: m.Groups[2].Value)).Distinct().ToList();
        var unknown = references
            .Where(r => !entities.TryGetValue(r.Entity, out var type) || (type.FindProperty(r.Field) ?? (object?)type.FindNavigation(r.Field)) is null)
            .Select(r => $"{r.Entity}.{r.Field}")
            .ToList();

        Assert.True(references.Count > 100, $"only {references.Count} Entity.Field references were read from the map");
        Assert.True(unknown.Count == 0, "not in the EF model: " + string.Join(", ", unknown));
    }

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"`([A-Z]\w*)\.([A-Z]\w*)`")]
    private static partial Regex FieldReference();

    /// <summary>The bullets between "Information We Collect" and section 2, each "Category, such as a, b, and c."</summary>
    private static List<PolicyBullet> ReadPolicySection1(string[] lines)
    {
        var start = Array.FindIndex(lines, l => l.Trim() == "Information We Collect");
        var end = Array.FindIndex(lines, start + 1, l => l.Trim() == "2");
        Assert.True(start >= 0 && end > start, "section 1 not found in docs/privacy-policy.txt");

        return lines[start..end]
            .Select(l => l.Trim())
            .Where(l => l.StartsWith('•'))
            .Select(l => l.TrimStart('•').Trim().TrimEnd('.'))
            .Select(bullet =>
            {
                var parts = bullet.Split(", such as ", 2);
                Assert.True(parts.Length == 2, $"bullet without 'such as': {bullet}");
                var items = parts[1].Split(", ").Select(i => i.StartsWith("and ") ? i["and ".Length..] : i).ToList();
                return new PolicyBullet(parts[0], items);
            })
            .ToList();
    }

    /// <summary>Table rows of the map, each with the "## " heading it sits under.</summary>
    private static List<MapRow> ReadMap(string[] lines)
    {
        var rows = new List<MapRow>();
        var section = "";
        foreach (var line in lines)
        {
            if (line.StartsWith("## "))
                section = line[3..].Trim();
            else if (line.StartsWith('|') && !line.StartsWith("|---") && !line.StartsWith("| item |"))
            {
                var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                rows.Add(new MapRow(section, cells[0], cells.Length > 1 ? cells[1] : ""));
            }
        }
        return rows;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KelolaPesan.sln")))
                return dir.FullName;
        throw new InvalidOperationException("KelolaPesan.sln not found above " + AppContext.BaseDirectory);
    }

    private sealed record PolicyBullet(string Category, IReadOnlyList<string> Items);

    private sealed record MapRow(string Section, string Item, string StoredIn);
}
