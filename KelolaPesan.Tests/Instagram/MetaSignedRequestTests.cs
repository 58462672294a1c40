using System.Text;
using KelolaPesan.Core.Instagram;

namespace KelolaPesan.Tests.Instagram;

public sealed class MetaSignedRequestTests
{
    [Fact]
    public void AValidRequest_GivesItsUserId()
    {
        var result = MetaSignedRequest.Verify(FakeGraphServer.SignedRequest("17841400000000001", issuedAt: 1_764_000_000), FakeGraphServer.AppSecret);

        Assert.Equal(MetaSignedRequest.Status.Valid, result.Status);
        Assert.Equal(new MetaSignedRequest.Payload("17841400000000001", "HMAC-SHA256", 1_764_000_000), result.Payload);
    }

    [Fact]
    public void ASignatureMadeWithAnotherSecret_IsABadSignature() =>
        Assert.Equal(MetaSignedRequest.Status.BadSignature,
            MetaSignedRequest.Verify(FakeGraphServer.SignedRequest("17841400000000001", appSecret: "other-secret"), FakeGraphServer.AppSecret).Status);

    [Fact]
    public void APayloadChangedAfterSigning_IsABadSignature()
    {
        var signature = FakeGraphServer.SignedRequest("17841400000000001").Split('.')[0];
        var forged = FakeGraphServer.B64Url(Encoding.UTF8.GetBytes("""{"algorithm":"HMAC-SHA256","issued_at":1,"user_id":"17841400000000002"}"""));

        var result = MetaSignedRequest.Verify(signature + "." + forged, FakeGraphServer.AppSecret);

        Assert.Equal(MetaSignedRequest.Status.BadSignature, result.Status);
        Assert.Null(result.Payload);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-dot-at-all")]
    [InlineData("a.b.c")]
    [InlineData(".payload")]
    [InlineData("sig.")]
    [InlineData("!!!.@@@")]
    public void AMalformedRequest_IsMalformed(string? signedRequest) =>
        Assert.Equal(MetaSignedRequest.Status.Malformed, MetaSignedRequest.Verify(signedRequest, FakeGraphServer.AppSecret).Status);

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"algorithm":"HMAC-SHA256"}""")]
    [InlineData("""{"algorithm":"MD5","user_id":"1"}""")]
    public void ACorrectlySignedButUnexpectedPayload_IsMalformed(string payload)
    {
        var segment = FakeGraphServer.B64Url(Encoding.UTF8.GetBytes(payload));
        var signature = FakeGraphServer.B64Url(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(FakeGraphServer.AppSecret), Encoding.ASCII.GetBytes(segment)));

        Assert.Equal(MetaSignedRequest.Status.Malformed, MetaSignedRequest.Verify(signature + "." + segment, FakeGraphServer.AppSecret).Status);
    }
}
