using KelolaPesan.Core.Inbox;

namespace KelolaPesan.Tests.Inbox;

public sealed class TextLinksTests
{
    [Fact]
    public void Splits_HttpAndHttpsLinks_FromTheText_LeavingSentencePunctuationOut()
    {
        var segments = TextLinks.Split("Cek https://toko.id/p?id=1, atau http://x.id/a.");

        Assert.Equal([("Cek ", false), ("https://toko.id/p?id=1", true), (", atau ", false), ("http://x.id/a", true), (".", false)],
            segments.Select(s => (s.Text, s.IsLink)));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("ftp://files.example.com/a")]
    public void OtherSchemes_StayPlainText(string text)
    {
        var segment = Assert.Single(TextLinks.Split(text));
        Assert.False(segment.IsLink);
        Assert.Equal(text, segment.Text);
    }

    [Fact]
    public void ALink_CannotCarryMarkupOrQuotes_IntoTheHref()
    {
        var segments = TextLinks.Split("https://a.id/\"onmouseover=\"alert(1)");
        Assert.Equal("https://a.id/", segments[0].Text);
        Assert.True(segments[0].IsLink);
    }
}
