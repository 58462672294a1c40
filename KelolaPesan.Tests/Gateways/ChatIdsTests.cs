using KelolaPesan.Core.Gateways;

namespace KelolaPesan.Tests.Gateways;

public sealed class ChatIdsTests
{
    [Theory]
    [InlineData("628123456789", "628123456789@c.us")]
    [InlineData("+62 812-3456-789", "628123456789@c.us")]
    public void FromPhone_KeepsOnlyDigits(string phone, string expected) =>
        Assert.Equal(expected, ChatIds.FromPhone(phone));

    [Fact]
    public void FromPhone_RejectsTextWithoutDigits() =>
        Assert.Throws<ArgumentException>(() => ChatIds.FromPhone("abc"));

    [Theory]
    [InlineData("628123456789@c.us", "628123456789")]
    [InlineData("628123456789@s.whatsapp.net", "628123456789")]
    [InlineData("628123456789:12@c.us", "628123456789")]
    [InlineData("123456789012345@lid", null)]
    [InlineData("120363025555555555@g.us", null)]
    [InlineData("status@broadcast", null)]
    [InlineData(null, null)]
    public void ToPhone_GivesDigitsOnlyForPersonChats(string? chatId, string? expected) =>
        Assert.Equal(expected, ChatIds.ToPhone(chatId));

    [Fact]
    public void Kinds_AreTold_BySuffix()
    {
        Assert.True(ChatIds.IsLid("123456789012345@lid"));
        Assert.False(ChatIds.IsLid("628123456789@c.us"));
        Assert.True(ChatIds.IsGroup("120363025555555555@g.us"));
        Assert.False(ChatIds.IsGroup("628123456789@c.us"));
        Assert.True(ChatIds.IsPerson("628123456789@c.us"));
        Assert.False(ChatIds.IsPerson("123456789012345@lid"));
    }

    [Theory]
    [InlineData("0812 345", "0812345@c.us")]
    [InlineData("123@lid", "123@lid")]
    [InlineData("120363@g.us", "120363@g.us")]
    public void Normalize_KeepsChatIds_AndConvertsPhones(string value, string expected) =>
        Assert.Equal(expected, ChatIds.Normalize(value));
}
