using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using FluentValidation;
using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.ExternalApi;

/// <summary>
/// Where outgoing webhooks may go (SSRF screen, docs/adr/0005): public http(s) addresses only, never loopback, private,
/// link-local (cloud metadata), shared or reserved ranges. Checked on the URL when it is saved and again on every
/// address a name resolves to when a delivery connects, because a public-looking name can resolve to a private address.
/// <see cref="OutgoingWebhookOptions.AllowPrivateAddresses"/> turns the address checks off (tests, local receivers).
/// </summary>
public sealed class WebhookUrlScreen(OutgoingWebhookOptions options)
{
    private static readonly string[] InternalNames = ["localhost", "metadata", "metadata.google.internal", "instance-data"];

    public bool AllowPrivateAddresses => options.AllowPrivateAddresses;

    /// <summary>Null when the URL may be saved; otherwise why not.</summary>
    public string? Check(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return ProblemText.Get("Webhook_UrlNotAbsolute");
        if (url.Trim().Length > WebhookSubscription.UrlMaxLength)
            return ProblemText.Format("Webhook_UrlTooLong", WebhookSubscription.UrlMaxLength);
        if (!string.IsNullOrEmpty(uri.UserInfo))
            return ProblemText.Get("Webhook_UrlUserInfo");
        if (options.AllowPrivateAddresses)
            return null;
        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (InternalNames.Contains(host) || host.EndsWith(".localhost", StringComparison.Ordinal) || host.EndsWith(".internal", StringComparison.Ordinal)
            || host.EndsWith(".local", StringComparison.Ordinal))
            return ProblemText.Get("Webhook_UrlInternalHost");
        var isLiteral = IPAddress.TryParse(uri.HostNameType == UriHostNameType.IPv6 ? host.Trim('[', ']') : host, out var address);
        if (isLiteral && !IsDeliverable(address!))
            return ProblemText.Get("Webhook_UrlPrivateAddress");
        // A single-label name ("intranet", this machine's own name) is completed by the resolver's search domains: internal by nature.
        if (!isLiteral && !host.Contains('.'))
            return ProblemText.Get("Webhook_UrlInternalHost");
        // Hosts like "2130706433" or "0x7f.1" are parsed as IPv4 by Uri: it normalises them into dotted form above.
        return null;
    }

    /// <summary>
    /// The <see cref="SocketsHttpHandler.ConnectCallback"/> of the webhook client: resolves the host itself and connects only
    /// to public addresses, so the address checked is the address used (no second lookup an attacker's DNS could answer differently).
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var endpoint = context.DnsEndPoint;
        var resolved = IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        var allowed = options.AllowPrivateAddresses ? resolved : resolved.Where(IsDeliverable).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException($"Refused: {endpoint.Host} resolves only to loopback, private, link-local or reserved addresses.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// True for a globally routable unicast address. IPv6 forms that carry an IPv4 address (mapped, IPv4-compatible,
    /// 6to4, NAT64) are judged by the IPv4 address inside; Teredo, local-use NAT64 and every range outside global
    /// unicast (2000::/3) are refused, as are the documentation ranges of both families.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return IsPublicV4(address.GetAddressBytes());
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        var v6 = address.GetAddressBytes();
        if (v6.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
            return false; // ::/96: unspecified, loopback and the deprecated IPv4-compatible form (::127.0.0.1 = ::7f00:1)
        if (v6[0] == 0 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b)
            return v6.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0 && IsPublicV4(v6[12..]); // NAT64 64:ff9b::/96; 64:ff9b:1::/48 is local use
        if ((v6[0] & 0xe0) != 0x20)
            return false; // outside global unicast: unique local, link-local, site-local, multicast, discard-only, ...
        if (v6[0] == 0x20 && v6[1] == 0x02)
            return IsPublicV4(v6[2..6]); // 6to4 2002::/16 embeds the IPv4 address after the prefix
        return !((v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0 && v6[3] == 0) // Teredo 2001::/32 (its IPv4 is obfuscated)
            || (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8) // documentation 2001:db8::/32
            || (v6[0] == 0x3f && (v6[1] & 0xf0) == 0xf0) // documentation 3fff::/20
            || (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0 && v6[3] < 0x02)); // IETF protocol assignments 2001::/23 (Teredo and ORCHIDs)
    }

    private static bool IsPublicV4(ReadOnlySpan<byte> b) =>
        !(b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224 // this network, private, loopback, multicast and reserved
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) // shared address space (carrier-grade NAT)
            || (b[0] == 169 && b[1] == 254) // link-local, where cloud metadata services answer
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 192 && b[1] == 0 && b[2] == 0) // IETF protocol assignments
            || (b[0] == 192 && b[1] == 0 && b[2] == 2) // documentation TEST-NET-1
            || (b[0] == 198 && b[1] == 51 && b[2] == 100) // documentation TEST-NET-2
            || (b[0] == 203 && b[1] == 0 && b[2] == 113) // documentation TEST-NET-3
            || (b[0] == 192 && b[1] == 88 && b[2] == 99) // the deprecated 6to4 relay anycast
            || (b[0] == 198 && (b[1] == 18 || b[1] == 19))); // benchmarking

    /// <summary>
    /// True when the address belongs to one of this machine's own interfaces: a public address of our own host
    /// still reaches our own services (the gateway, the database), so deliveries never go there.
    /// </summary>
    public static bool IsOwnAddress(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Any(a => a.Address.Equals(address) || (a.Address.IsIPv4MappedToIPv6 && a.Address.MapToIPv4().Equals(address)));
        }
        catch (NetworkInformationException)
        {
            return false;
        }
    }

    private static bool IsDeliverable(IPAddress address) => IsPublic(address) && !IsOwnAddress(address);
}

/// <summary>What a tenant saves as its outgoing webhook (the settings page; any API for it would use the same validator).</summary>
public sealed record WebhookSubscriptionInput(string Url, IReadOnlyCollection<string> Events);

/// <summary>The one validator of a webhook subscription: the URL passes <see cref="WebhookUrlScreen"/>, at least one known event.</summary>
public sealed class WebhookSubscriptionValidator : AbstractValidator<WebhookSubscriptionInput>
{
    public WebhookSubscriptionValidator(WebhookUrlScreen screen)
    {
        RuleFor(x => x.Url).Custom((url, context) =>
        {
            if (screen.Check(url) is { } error)
                context.AddFailure(nameof(WebhookSubscriptionInput.Url), error);
        });
        RuleFor(x => x.Events).Must(e => e.Any(WebhookEvents.All.Contains)).WithProblem("Webhook_EventsRequired");
    }
}
