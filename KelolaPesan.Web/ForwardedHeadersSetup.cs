using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace KelolaPesan.Web;

/// <summary>
/// Behind a reverse proxy the connection comes from the proxy: with <c>ForwardedHeaders:Enabled</c> the client address
/// (<c>X-Forwarded-For</c>) and scheme (<c>X-Forwarded-Proto</c>) are taken from the proxies listed in
/// <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR), and from no one else.
/// Off by default: without a proxy these headers are whatever the client wrote.
/// </summary>
public static class ForwardedHeadersSetup
{
    public const string Section = "ForwardedHeaders";

    public static IServiceCollection AddForwardedHeaders(this IServiceCollection services, IConfiguration config)
    {
        var section = config.GetSection(Section);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = section.GetValue("ForwardLimit", 1);
            var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
            var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
            if (proxies.Length == 0 && networks.Length == 0)
                return; // the framework's default: loopback only
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in networks)
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return services;
    }

    public static WebApplication UseConfiguredForwardedHeaders(this WebApplication app)
    {
        if (app.Configuration.GetValue($"{Section}:Enabled", false))
            app.UseForwardedHeaders();
        return app;
    }
}
