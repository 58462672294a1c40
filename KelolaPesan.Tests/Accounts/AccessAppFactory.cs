using KelolaPesan.Tests.Infrastructure;

namespace KelolaPesan.Tests.Accounts;

/// <summary>
/// The app with a short revalidation interval (a change of access shows within seconds, not half a minute) and
/// forwarded headers trusted from loopback, where the tests' clients connect from.
/// </summary>
public sealed class AccessAppFactory() : KelolaAppFactory(new Dictionary<string, string?>
{
    ["Access:RevalidateEvery"] = "00:00:02",
    ["ForwardedHeaders:Enabled"] = "true",
    ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
    ["ForwardedHeaders:KnownProxies:1"] = "::1",
});
