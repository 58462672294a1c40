using KelolaPesan.Core.Inbox;
using static KelolaPesan.Core.Inbox.WhatsAppFormatting;

namespace KelolaPesan.Tests.Inbox;

public sealed class WhatsAppFormattingTests
{
    private static (string, Style, bool)[] Runs(string text) => [.. Parse(text).Select(r => (r.Text, r.Style, r.Link is not null))];

    [Fact]
    public void TheWatermark_IsOneItalicRun_WithoutItsUnderscores()
    {
        Assert.Equal([("Dikirim dengan Kelola Pesan", Style.Italic, false)], Runs("_Dikirim dengan Kelola Pesan_"));
    }

    [Fact]
    public void BoldItalicStrikeAndMono_AreStyledRuns_AndNestingCombines()
    {
        Assert.Equal(
            [("Promo ", Style.None, false), ("hari ini", Style.Bold, false), (" saja, ", Style.None, false), ("harga lama", Style.Strike, false),
             (" ", Style.None, false), ("kode", Style.Code, false), (" ", Style.None, false), ("gratis", Style.Bold | Style.Italic, false)],
            Runs("Promo *hari ini* saja, ~harga lama~ ```kode``` *_gratis_*"));
    }

    [Theory]
    [InlineData("nama_file_baru.xlsx")]
    [InlineData("2*3*4 = 24")]
    [InlineData("_ spasi _")]
    [InlineData("*satu\ndua*")]
    [InlineData("tanpa penutup *tebal")]
    public void MarkersInsideWordsOrAroundBlanksOrAcrossLines_StayLiteral(string text)
    {
        Assert.Equal(text, string.Concat(Parse(text).Select(r => r.Text)));
        Assert.All(Parse(text), r => Assert.Equal(Style.None, r.Style));
    }

    [Fact]
    public void Markup_StaysText_AndLinksKeepTheirUnderscores()
    {
        Assert.Equal([("<b>x</b>", Style.Bold, false)], Runs("*<b>x</b>*"));
        Assert.Equal([("lihat ", Style.None, false), ("https://toko.id/_a_", Style.None, true)], Runs("lihat https://toko.id/_a_"));
        Assert.Equal([("cek", Style.Italic, false), (" ", Style.None, false), ("https://toko.id/p", Style.None, true)], Runs("_cek_ https://toko.id/p"));
    }

    [Theory]
    [InlineData("Promo *hari ini*\n\n_Dikirim dengan Kelola Pesan_", "Promo hari ini Dikirim dengan Kelola Pesan")]
    [InlineData("kirim ```kode``` ke ~teman~", "kirim kode ke teman")]
    [InlineData("nama_file_baru.xlsx https://toko.id/_a_", "nama_file_baru.xlsx https://toko.id/_a_")]
    public void AChatListPreview_ShowsTheTextWithoutItsMarkers(string text, string preview) =>
        Assert.Equal(preview, KelolaPesan.Core.Inbox.InboxService.Preview(text));
}
