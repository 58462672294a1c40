using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FluentValidation;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Tests.Data;

namespace KelolaPesan.Tests.Common;

/// <summary>Every text a user reads comes from resources in both languages, and Core says what went wrong by code, not in English.</summary>
public sealed partial class ProblemTextTests
{
    private static readonly string[] ResourceFiles = Directory.EnumerateFiles(SourceFiles.Root, "*.resx", SearchOption.AllDirectories)
        .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
        .Where(f => !f.EndsWith(".en.resx", StringComparison.Ordinal)).Order().ToArray();

    [Fact]
    public void EveryResourceKey_IsTranslated_InBothLanguages_WithTheSamePlaceholders()
    {
        Assert.Contains(ResourceFiles, f => f.EndsWith("ProblemText.resx", StringComparison.Ordinal));
        var problems = new List<string>();
        foreach (var neutral in ResourceFiles)
        {
            var english = neutral[..^".resx".Length] + ".en.resx";
            var name = Path.GetRelativePath(SourceFiles.Root, neutral);
            if (!File.Exists(english))
            {
                problems.Add($"{name}: no .en.resx");
                continue;
            }
            var id = Read(neutral);
            var en = Read(english);
            problems.AddRange(id.Keys.Except(en.Keys).Select(k => $"{name}: '{k}' has no English text"));
            problems.AddRange(en.Keys.Except(id.Keys).Select(k => $"{name}: '{k}' has no Indonesian text"));
            foreach (var (key, text) in id.Where(p => en.ContainsKey(p.Key)))
            {
                if (string.IsNullOrWhiteSpace(text) || string.IsNullOrWhiteSpace(en[key]))
                    problems.Add($"{name}: '{key}' is empty in one language");
                else if (!Placeholders(text).SetEquals(Placeholders(en[key])))
                    problems.Add($"{name}: '{key}' has different placeholders in id and en");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void EveryCodeCoreUses_HasASentence()
    {
        var known = Read(Path.Combine(SourceFiles.Root, "KelolaPesan.Core", "Common", "ProblemText.resx")).Keys.ToHashSet();
        var used = SourceFiles.Matching(CodeUse()).Where(f => f.StartsWith("KelolaPesan.Core/", StringComparison.Ordinal) || f.StartsWith("KelolaPesan.Web/", StringComparison.Ordinal))
            .SelectMany(f => CodeUse().Matches(File.ReadAllText(Path.Combine(SourceFiles.Root, f))).Select(m => (File: f, Code: m.Groups["code"].Value)))
            .ToList();

        Assert.True(used.Count > 60, $"only {used.Count} code uses found: the scan is broken");
        var unknown = used.Where(u => !known.Contains(u.Code)).Select(u => $"{u.File}: {u.Code}").Distinct().ToList();
        Assert.True(unknown.Count == 0, "codes without a sentence in ProblemText.resx: " + string.Join(", ", unknown));
    }

    [Fact]
    public void EveryCode_IsDocumentedForApiClients()
    {
        var codes = Read(Path.Combine(SourceFiles.Root, "KelolaPesan.Core", "Common", "ProblemText.resx")).Keys;
        var doc = File.ReadAllText(Path.Combine(SourceFiles.Root, "docs", "api-error-codes.md"));

        var missing = codes.Where(c => !doc.Contains($"| `{c}` |", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "add to docs/api-error-codes.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void Core_PutsNoEnglishSentence_InValidatorMessagesOrResults()
    {
        var english = SourceFiles.Matching(EnglishLiteral()).Where(f => f.StartsWith("KelolaPesan.Core/", StringComparison.Ordinal)).ToList();

        Assert.True(english.Count == 0, "give these a code in Core/Common/ProblemText.resx (WithProblem / Problem.Of): " + string.Join(", ", english));
    }

    [Theory]
    [InlineData("id", "Jumlah digit nomor telepon terlalu sedikit atau terlalu banyak.")]
    [InlineData("en", "The phone number has too few or too many digits.")]
    public void TheSameValidator_SpeaksTheUsersLanguage_WithOneCode(string culture, string expected)
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo(culture);
            var validator = new ContactInputValidator(new ContactValidationContext("ID", []));
            var result = validator.Validate(new ContactInput { Name = "", Phone = "+62 21 1" });

            var phone = Assert.Single(result.Errors, e => e.PropertyName == nameof(ContactInput.Phone));
            Assert.Equal("Phone_WrongLength", phone.ErrorCode);
            Assert.Equal(expected, phone.ErrorMessage);
            Assert.Equal("Name_Required", Assert.Single(result.Errors, e => e.PropertyName == nameof(ContactInput.Name)).ErrorCode);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void AStoredProblem_IsReadInTheReadersLanguage_WithTheRemoteDetailApart()
    {
        var stored = ProblemText.Store(Problem.Of("Instagram_PrivateReplyFailed").WithDetail("(#10) Application does not have permission"));
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("en");
            Assert.Equal("Instagram refused the private reply.", ProblemText.Display(stored));
            CultureInfo.CurrentUICulture = new CultureInfo("id");
            var problem = ProblemText.Parse(stored)!;
            Assert.Equal(("Instagram menolak balasan pribadi.", "(#10) Application does not have permission"), (problem.Text, problem.Detail));
            // Older rows hold free text: shown as they are.
            Assert.Equal("Paused by a manager.", ProblemText.Display("Paused by a manager."));
            Assert.Null(ProblemText.Parse("Paused by a manager."));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void SeveralStoredProblems_AreEachReadInTheReadersLanguage_AndAUsersTextCannotBreakTheFormat()
    {
        // An import row failing two rules, one argument being the cell's own text with the format's characters in it.
        var stored = ProblemText.Store([Problem.Of("Name_Required"), Problem.Of("CustomField_NotANumber", "Poin", "a|b\nc")]);
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("en");
            Assert.Equal($"{ProblemText.Get("Name_Required")} {ProblemText.Format("CustomField_NotANumber", "Poin", "a¦b c")}", ProblemText.Display(stored));
            Assert.StartsWith("Name is required.", ProblemText.Describe(stored));
            CultureInfo.CurrentUICulture = new CultureInfo("id");
            Assert.StartsWith("Nama wajib diisi. ", ProblemText.Display(stored));
            Assert.Contains("a¦b c", ProblemText.Display(stored));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private static Dictionary<string, string> Read(string path) =>
        XDocument.Load(path).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    private static HashSet<string> Placeholders(string text) => PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();

    [GeneratedRegex(@"\{(\d+|PropertyValue|PropertyName)(?:[:,][^}]*)?\}")]
    private static partial Regex PlaceholderPattern();

    // WithProblem("X"), Problem.Of("X"), ProblemText.Get/Format("X"), CatalogResult.Fail("X"), ApiKeyCreateResult.Fail("F", "X"), AddProblem(.., "X").
    [GeneratedRegex("""(?:WithProblem|Problem\.Of|ProblemText\.(?:Get|Format)|CatalogResult\.Fail|ApiKeyCreateResult\.Fail\("[A-Za-z]*",|AddProblem\([^,]+,)\s*\(?\s*"(?<code>[A-Za-z]+(?:_[A-Za-z]+)?)"(?=[,)])""")]
    private static partial Regex CodeUse();

    // An English sentence handed to the user: WithMessage("..."), AddFailure(.., "..."), or a result's Fail(.., "Sentence ...").
    [GeneratedRegex("""(?:WithMessage\(\s*\$?"|AddFailure\([^;]*,\s*\$?"[A-Z][a-z]+ |Fail(?:On)?\([^;]*?\$?"[A-Z][a-z']* [a-z])""")]
    private static partial Regex EnglishLiteral();
}
