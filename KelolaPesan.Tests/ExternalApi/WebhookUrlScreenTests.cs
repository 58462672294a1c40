using System.Net;
using KelolaPesan.Core.ExternalApi;

namespace KelolaPesan.Tests.ExternalApi;

/// <summary>The address screen of outgoing webhooks (docs/adr/0005), address by address.</summary>
public sealed class WebhookUrlScreenTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("192.0.2.10")] // documentation TEST-NET-1
    [InlineData("198.51.100.7")] // documentation TEST-NET-2
    [InlineData("203.0.113.9")] // documentation TEST-NET-3
    [InlineData("192.88.99.1")] // 6to4 relay anycast
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::127.0.0.1")] // IPv4-compatible loopback
    [InlineData("::7f00:1")] // the same, in hex
    [InlineData("::10.0.0.1")] // IPv4-compatible private
    [InlineData("::8.8.8.8")] // IPv4-compatible is deprecated: never deliverable
    [InlineData("::ffff:127.0.0.1")] // IPv4-mapped loopback
    [InlineData("::ffff:192.168.1.1")]
    [InlineData("2002:7f00:1::1")] // 6to4 of 127.0.0.1
    [InlineData("2002:a00:1::1")] // 6to4 of 10.0.0.1
    [InlineData("2002:c0a8:101::1")] // 6to4 of 192.168.1.1
    [InlineData("64:ff9b::7f00:1")] // NAT64 of 127.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 of the metadata address
    [InlineData("64:ff9b:1::808:808")] // local-use NAT64
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")] // Teredo
    [InlineData("2001:db8::1")] // documentation
    [InlineData("3fff::1")] // documentation (RFC 9637)
    [InlineData("100::1")] // discard-only
    [InlineData("fd00::1")]
    [InlineData("fe80::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    public void NonPublicAddresses_AreRefused(string address) =>
        Assert.False(WebhookUrlScreen.IsPublic(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.216.34")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("2002:808:808::1")] // 6to4 of a public address
    [InlineData("64:ff9b::808:808")] // NAT64 of a public address
    [InlineData("2606:4700:4700::1111")]
    public void PublicAddresses_Pass(string address) =>
        Assert.True(WebhookUrlScreen.IsPublic(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("http://[::127.0.0.1]/hook")]
    [InlineData("http://[::7f00:1]/hook")]
    [InlineData("http://[2002:7f00:1::1]/hook")]
    [InlineData("http://[64:ff9b::7f00:1]/hook")]
    [InlineData("http://[::ffff:7f00:1]/hook")]
    [InlineData("http://192.0.2.1/hook")]
    [InlineData("http://198.51.100.1/hook")]
    [InlineData("http://203.0.113.1/hook")]
    [InlineData("http://[2001:db8::1]/hook")]
    [InlineData("http://intranet/hook")] // a single-label name is completed by search domains
    public void TheSaveCheck_RefusesTheseUrls(string url) =>
        Assert.NotNull(new WebhookUrlScreen(new OutgoingWebhookOptions()).Check(url));

    [Fact]
    public void TheMachinesOwnHostName_IsRefusedWhenSaved() =>
        Assert.NotNull(new WebhookUrlScreen(new OutgoingWebhookOptions()).Check($"http://{Dns.GetHostName()}/hook"));

    [Fact]
    public void TheMachinesOwnAddresses_AreItsOwn()
    {
        var own = OwnAddresses.NonLoopback();
        Assert.NotEmpty(own);
        Assert.All(own, a => Assert.True(WebhookUrlScreen.IsOwnAddress(a), a.ToString()));
        Assert.False(WebhookUrlScreen.IsOwnAddress(IPAddress.Parse("8.8.8.8")));
    }
}

/// <summary>This machine's own interface addresses (a delivery must never reach them).</summary>
public static class OwnAddresses
{
    public static IReadOnlyList<IPAddress> NonLoopback() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            .ToList();
}
