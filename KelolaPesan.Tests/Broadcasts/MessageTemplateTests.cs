using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;

namespace KelolaPesan.Tests.Broadcasts;

public class MessageTemplateTests
{
    private static readonly Dictionary<string, string?> Values = new(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = "Budi", ["phone"] = "+628123", ["kota"] = "Bandung", ["poin"] = null,
    };

    [Theory]
    [InlineData("Halo {name}", "Halo Budi")]
    [InlineData("Halo {NAME}, nomor {phone}", "Halo Budi, nomor +628123")]
    [InlineData("Dari {kota}", "Dari Bandung")]
    [InlineData("Poin {poin|0}", "Poin 0")]
    [InlineData("Poin {poin}", "Poin ")]
    [InlineData("Hai {name|Kak}", "Hai Budi")]
    [InlineData("Tanpa {tidakada} kunci", "Tanpa {tidakada} kunci")]
    [InlineData("Kurung { terbuka", "Kurung { terbuka")]
    [InlineData("Kosong {}", "Kosong {}")]
    [InlineData("{Halo}", "{Halo}")]
    [InlineData("", "")]
    public void Render_FillsPlaceholdersWithFallbacks(string template, string expected) =>
        Assert.Equal(expected, MessageTemplate.Render(template, Values, new Random(1)));

    [Fact]
    public void Render_FallbackUsedWhenValueMissing()
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["name"] = "  ", ["phone"] = "+62" };
        Assert.Equal("Hai Kak", MessageTemplate.Render("Hai {name|Kak}", values, new Random(1)));
    }

    [Fact]
    public void Render_SpintaxPicksEveryAlternativeAndOnlyThose()
    {
        var seen = new HashSet<string>();
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
            seen.Add(MessageTemplate.Render("{Halo|Hai|Selamat pagi} {name}", Values, random));
        Assert.Equal(["Hai Budi", "Halo Budi", "Selamat pagi Budi"], seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Render_NestedSpintaxAndPlaceholdersInside()
    {
        var seen = new HashSet<string>();
        var random = new Random(3);
        for (var i = 0; i < 300; i++)
            seen.Add(MessageTemplate.Render("{Halo {name|Kak}|{Hai|Hey} kamu}!", Values, random));
        Assert.Equal(["Hai kamu!", "Halo Budi!", "Hey kamu!"], seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Render_SameSeedSameText() =>
        Assert.Equal(MessageTemplate.Render("{a|b|c|d|e|f}", Values, new Random(42)), MessageTemplate.Render("{a|b|c|d|e|f}", Values, new Random(42)));

    [Theory]
    [InlineData("ok {name}", true)]
    [InlineData("{a|{b|c}}", true)]
    [InlineData("{a|b", false)]
    [InlineData("a}b{", false)]
    public void HasBalancedBraces(string template, bool balanced) => Assert.Equal(balanced, MessageTemplate.HasBalancedBraces(template));

    [Fact]
    public void UnknownPlaceholders_AreListedForTheComposer() =>
        Assert.Equal(["kotaa"], MessageTemplate.UnknownPlaceholders("Halo {name}, {kotaa} {Halo|Hai}", new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "name", "phone", "kota" }));

    [Fact]
    public void Validator_ExplainsWhatIsMissing()
    {
        var result = new CreateBroadcastRequestValidator().Validate(new CreateBroadcastRequest { MessageTemplate = "{a|b", MinDelaySeconds = 10, MaxDelaySeconds = 5 });
        var codes = result.Errors.Select(e => e.ErrorCode).ToList();
        Assert.Contains("Broadcast_NameRequired", codes);
        Assert.Contains("Workspace_Required", codes);
        Assert.Contains("Template_UnbalancedBraces", codes);
        Assert.Contains("Broadcast_AudienceRequired", codes);
        Assert.Contains("Broadcast_DelayRange", codes);
    }
}
