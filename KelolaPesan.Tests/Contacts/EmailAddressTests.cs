using KelolaPesan.Core.Contacts;

namespace KelolaPesan.Tests.Contacts;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("hadi@toko.id")]
    [InlineData("hadi.santoso+promo@mail.toko.co.id")]
    [InlineData("o'brien@example.com")]
    [InlineData("x@sub-domain.example.org")]
    [InlineData("budi@xn--bcher-kva.de")]
    [InlineData("andi@bücher.de")]
    public void AnAddressWithADottedDomain_IsValid(string email) => Assert.True(EmailAddress.IsValid(email));

    [Theory]
    [InlineData("hadi@x")]
    [InlineData("hadi@")]
    [InlineData("@toko.id")]
    [InlineData("hadi")]
    [InlineData("hadi@@toko.id")]
    [InlineData("hadi@toko..id")]
    [InlineData("hadi@.toko.id")]
    [InlineData("hadi@toko.id.")]
    [InlineData("hadi@-toko.id")]
    [InlineData("hadi@toko-.id")]
    [InlineData(".hadi@toko.id")]
    [InlineData("ha..di@toko.id")]
    [InlineData("ha di@toko.id")]
    [InlineData("hadi@toko .id")]
    [InlineData("hadi@192.168.1.1")]
    [InlineData("hadi@toko.id\n")]
    [InlineData("hadi@to_ko.id")]
    [InlineData("a@b@toko.id")]
    public void AnythingElse_IsNot(string email) => Assert.False(EmailAddress.IsValid(email));

    [Fact]
    public void TheLocalPart_HasAtMost64Characters()
    {
        Assert.True(EmailAddress.IsValid(new string('a', 64) + "@toko.id"));
        Assert.False(EmailAddress.IsValid(new string('a', 65) + "@toko.id"));
    }
}
