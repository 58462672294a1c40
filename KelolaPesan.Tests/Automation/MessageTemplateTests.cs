using KelolaPesan.Core.Common;

namespace KelolaPesan.Tests.Automation;

public sealed class MessageTemplateTests
{
    private static readonly IReadOnlyDictionary<string, string?> Values = MessageTemplate.Values("Andi", "+6281234567891");

    [Theory]
    [InlineData("Halo {name}, nomor {phone}", "Halo Andi, nomor +6281234567891")]
    [InlineData("Halo {NAME}", "Halo Andi")]
    [InlineData("Kode {kupon} berlaku", "Kode {kupon} berlaku")]
    [InlineData("tanpa kurung", "tanpa kurung")]
    [InlineData("kurung { terbuka", "kurung { terbuka")]
    [InlineData("{Halo}", "{Halo}")]
    public void Placeholders_KnownNamesReplaced_OthersKept(string template, string expected) =>
        Assert.Equal(expected, MessageTemplate.Render(template, Values, Random.Shared));

    [Fact]
    public void Spintax_PicksOneChoice_NestedAndWithPlaceholders()
    {
        var seen = new HashSet<string>();
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
            seen.Add(MessageTemplate.Render("{Halo|Hai {name}|{Selamat pagi|Pagi}} kak", Values, random));
        Assert.Equal(new HashSet<string> { "Halo kak", "Hai Andi kak", "Selamat pagi kak", "Pagi kak" }, seen);
    }
}
