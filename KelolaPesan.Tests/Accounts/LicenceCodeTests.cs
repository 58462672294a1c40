using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;

namespace KelolaPesan.Tests.Accounts;

public sealed class LicenceCodeTests
{
    [Fact]
    public void AGeneratedCode_HasAtLeast80BitsOfSecret_AndItsPrefixForLookup()
    {
        var code = LicenceCode.Generate();

        Assert.Matches("^KPL-[0-9A-Z]{8}-[0-9A-Z]{16}$", code.Code);
        Assert.Equal(code.Code.Substring(4, 8), code.Prefix);
        Assert.True(LicenceCode.SecretLength * Math.Log2(RandomCode.Alphabet.Length) >= 80);
        Assert.NotEqual(LicenceCode.Generate().Code, code.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("KPL-SHORT")]
    [InlineData("XYZ-ABCDEFGH-ABCDEFGHJKMNPQRS")]
    public void Garbage_DoesNotParse(string input) => Assert.Null(LicenceCode.TryParse(input));

    [Fact]
    public void TheHash_MatchesOnlyTheSameCode()
    {
        var code = LicenceCode.Generate();

        Assert.True(SecretHash.Matches(code.Code, code.Hash));
        Assert.False(SecretHash.Matches(LicenceCode.Generate().Code, code.Hash));
    }

    [Fact]
    public void Passwords_AreStoredAsPbkdf2Hashes_NotPlainText()
    {
        var hash = PasswordHashing.Hash("Pemilik123!");

        Assert.DoesNotContain("Pemilik123!", hash);
        Assert.True(PasswordHashing.Verify(hash, "Pemilik123!"));
        Assert.False(PasswordHashing.Verify(hash, "pemilik123!"));
    }
}
