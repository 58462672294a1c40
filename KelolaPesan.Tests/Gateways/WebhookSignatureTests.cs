using System.Text;
using KelolaPesan.Core.Gateways;

namespace KelolaPesan.Tests.Gateways;

public sealed class WebhookSignatureTests
{
    private const string Key = "hmac-secret";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"event":"message.any","session":"ws_1","payload":{"id":"x"}}""");

    [Fact]
    public void Verify_AcceptsTheGatewaysSignature()
    {
        var signature = FakeWahaServer.Sign(Body, Key);

        Assert.True(WebhookSignature.Verify(Body, Key, signature, "sha512"));
        Assert.True(WebhookSignature.Verify(Body, Key, signature.ToUpperInvariant(), algorithm: null));
        Assert.Equal(signature, WebhookSignature.Compute(Body, Key));
    }

    [Fact]
    public void Verify_RejectsATamperedBody()
    {
        var signature = FakeWahaServer.Sign(Body, Key);
        var tampered = Encoding.UTF8.GetBytes("""{"event":"message.any","session":"ws_2","payload":{"id":"x"}}""");

        Assert.False(WebhookSignature.Verify(tampered, Key, signature));
    }

    [Fact]
    public void Verify_RejectsTheWrongKey() =>
        Assert.False(WebhookSignature.Verify(Body, "other-key", FakeWahaServer.Sign(Body, Key)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-hex")]
    [InlineData("abcd")]
    public void Verify_RejectsAMissingOrMalformedSignature(string? signature) =>
        Assert.False(WebhookSignature.Verify(Body, Key, signature));

    [Fact]
    public void Verify_RejectsAnotherAlgorithm() =>
        Assert.False(WebhookSignature.Verify(Body, Key, FakeWahaServer.Sign(Body, Key), "sha256"));

    [Fact]
    public void HeaderNames_MatchWaha()
    {
        Assert.Equal("X-Webhook-Hmac", WebhookSignature.HmacHeader);
        Assert.Equal("X-Webhook-Hmac-Algorithm", WebhookSignature.AlgorithmHeader);
    }
}
