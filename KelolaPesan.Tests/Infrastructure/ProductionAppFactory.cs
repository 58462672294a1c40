using Microsoft.AspNetCore.Hosting;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>
/// The real app as it runs in Production (error pages, HSTS, no demo data), on Kestrel over its own data folder.
/// Only for what differs there; browser tests stay on <see cref="KelolaAppFactory"/> (Development serves static web assets from bin).
/// </summary>
public sealed class ProductionAppFactory : KelolaAppFactory
{
    public ProductionAppFactory() : base(new Dictionary<string, string?>())
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}
