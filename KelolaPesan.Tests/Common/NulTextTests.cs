using KelolaPesan.Core.Common;

namespace KelolaPesan.Tests.Common;

public sealed class NulTextTests
{
    [Theory]
    [InlineData("Bu\u0000di", "Budi")]
    [InlineData("Bu\u0001di\u001b[0m", "Budi[0m")]
    [InlineData("Budi\u007f\u0080\u009f", "Budi")]
    [InlineData("\u202eBudi\u202a\u202b\u202c\u202d", "Budi")]
    [InlineData("\u2066Budi\u2067\u2068\u2069", "Budi")]
    [InlineData("Budi\tSantoso", "Budi Santoso")]
    [InlineData("Budi\r\n\r\nSantoso\n", "Budi Santoso")]
    [InlineData("Budi \u2028 Santoso\u0085", "Budi  Santoso")]
    [InlineData("  Budi  ", "Budi")]
    [InlineData("\u202e\u0007", "")]
    [InlineData("Zero\u200b\u200fWidth\ufeff", "ZeroWidth")] // QA: invisible marks made look-alike names
    [InlineData("\u200f\u202a", "")]                          // QA: stored as a name nobody sees
    [InlineData("محمد\u200f", "محمد")]
    public void AName_LosesItsControlAndBidiCharacters_AndStaysOnOneLine(string raw, string expected) =>
        Assert.Equal(expected, NulText.Name(raw));

    [Theory]
    [InlineData("Budi 😀")]
    [InlineData("👩\u200d👩\u200d👧 Keluarga")] // the joiners of an emoji family stay
    [InlineData("Ibu Sri Rahayu, S.E.")]
    public void AnOrdinaryName_IsKeptAsItIs(string name) => Assert.Equal(name, NulText.Name(name));

    [Fact]
    public void Null_StaysNull()
    {
        Assert.Null(NulText.Name(null));
        Assert.Null(NulText.Strip(null));
    }

    [Fact]
    public void MessageText_KeepsItsTabsAndLines_AndLosesNulAndTheOtherC0Controls()
    {
        Assert.Equal("Halo\tkak,\r\npesanan\nsiap", NulText.Strip("Ha\u0000lo\tkak,\u0001\r\npesanan\u001b\nsiap\u001f"));
        // Only C0 in text: a bidi mark may be part of how a right-to-left message reads.
        Assert.Equal("\u202eabc\u007f", NulText.Strip("\u202eabc\u007f"));
        var plain = "Tidak ada yang dibuang";
        Assert.Same(plain, NulText.Strip(plain));
    }
}
