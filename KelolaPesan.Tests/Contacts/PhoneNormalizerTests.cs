using KelolaPesan.Core.Contacts;

namespace KelolaPesan.Tests.Contacts;

public sealed class PhoneNormalizerTests
{
    [Theory]
    [InlineData("081234567890", "ID", "+6281234567890")]
    [InlineData("6281234567890", "ID", "+6281234567890")]
    [InlineData("+62 812-3456-7890", "ID", "+6281234567890")]
    [InlineData("81234567890", "ID", "+6281234567890")]
    [InlineData("(0812) 3456 7890", "ID", "+6281234567890")]
    [InlineData("0062 812 3456 7890", "ID", "+6281234567890")]
    [InlineData("8.1234567890E10", "ID", "+6281234567890")]
    [InlineData("0217654321", "ID", "+62217654321")]
    [InlineData("+44 20 7946 0958", "ID", "+442079460958")]
    [InlineData("+1 (415) 555-2671", "ID", "+14155552671")]
    [InlineData("+60 12-345 6789", "ID", "+60123456789")]
    [InlineData("012-345 6789", "MY", "+60123456789")]
    [InlineData("020 7946 0958", "GB", "+442079460958")]
    public void Normalize_GivesOneE164Number(string raw, string region, string expected)
    {
        var result = PhoneNormalizer.Normalize(raw, region);
        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(expected, result.E164);
    }

    [Theory]
    [InlineData("", PhoneError.Empty)]
    [InlineData("   ", PhoneError.Empty)]
    [InlineData("bukan nomor", PhoneError.NotANumber)]
    [InlineData("#N/A", PhoneError.NotANumber)]
    [InlineData("12", PhoneError.WrongLength)]
    [InlineData("+62 812 3456 7890 1234 5678", PhoneError.WrongLength)]
    public void Normalize_RefusesWithAReason(string raw, PhoneError expected)
    {
        var result = PhoneNormalizer.Normalize(raw, "ID");
        Assert.False(result.IsValid);
        Assert.Equal(expected, result.Error);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }
}
