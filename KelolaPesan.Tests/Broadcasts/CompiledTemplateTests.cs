using System.Text;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>The broadcast's parsed-once template renders exactly what the interpreter renders, seed for seed.</summary>
public class CompiledTemplateTests
{
    private static readonly AudienceValueKeys Keys = new(["kota", "poin", "Name"]);

    [Theory]
    [InlineData("Halo {name}")]
    [InlineData("{Halo|Hai|Selamat pagi} {name|Kak}, promo {kota|kota kamu} minggu ini!")]
    [InlineData("Poin {poin|0} {poin} {POIN|a|b}")]
    [InlineData("Tanpa {tidakada} kunci {} {Halo}")]
    [InlineData("{a|{b|c}|{d|{e|f}}} dan {x|y}")]
    [InlineData("{name|{Kak|Sis}} {kota|{sini|sana}} {poin|{1|2}|3}")]
    [InlineData("{ {name} | {phone} }")]
    [InlineData("{tidakada {a|b}}")]
    [InlineData("")]
    public void Render_MatchesTheInterpreterForTheSameSeed(string template)
    {
        var compiled = CompiledTemplate.TryCompile(template, Keys.KeySet)!;
        var buffer = new StringBuilder();
        string?[][] members = [["Bandung", null, "ignored"], [null, "  ", null], ["", "7", null]];
        for (var seed = 0; seed < 50; seed++)
            foreach (var fields in members)
            {
                var values = Keys.For(seed % 3 == 0 ? null : $"Budi {seed}", $"+62812{seed}", fields);
                var expected = MessageTemplate.Render(template, values, new Random(seed));
                Assert.Equal(expected, compiled.Render(values, new Random(seed), buffer));
            }
    }

    [Fact]
    public void Render_WithoutSpintaxNeedsNoRandom()
    {
        var compiled = CompiledTemplate.TryCompile("Halo {name|Kak}, {kota}", Keys.KeySet)!;
        Assert.False(compiled.UsesRandom);
        Assert.Equal("Halo Kak, Solo", compiled.Render(Keys.For(null, "+62", ["Solo", null, null]), null, new StringBuilder()));
    }

    [Fact]
    public void TryCompile_LeavesUnbalancedTemplatesToTheInterpreter() =>
        Assert.Null(CompiledTemplate.TryCompile("Kurung { terbuka", Keys.KeySet));

    [Fact]
    public void AudienceValues_NameAndPhoneWinOverFieldsOfTheSameKey()
    {
        var values = Keys.For("Budi", "+628", ["Bandung", null, "dari field"]);
        Assert.Equal("Budi", values["NAME"]);
        Assert.Equal("+628", values["phone"]);
        Assert.True(values.ContainsKey("Kota"));
        Assert.False(values.ContainsKey("alamat"));
        Assert.Equal(4, values.Count);
    }
}
