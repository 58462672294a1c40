using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Security;
using KelolaPesan.Data.Interceptors;
using KelolaPesan.Data.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KelolaPesan.Data;

public static class DependencyInjection
{
    public static IServiceCollection AddDataServices(this IServiceCollection services, IConfiguration config, string contentRoot)
    {
        services.AddSingleton(DatabaseSettings.From(config, contentRoot));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TimestampInterceptor>();
        services.AddSingleton<KelolaDbContextActivator>();
        services.AddSingleton<DatabaseInitializer>();

        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddScoped<RolledBackScope>();
        services.AddScoped<IKelolaDbFactory, KelolaDbFactory>();
        services.AddRelationalWriters();

        // Data Protection keys live in the database so every web node can decrypt tokens and API keys.
        services.AddScoped(sp => sp.GetRequiredService<KelolaDbContextActivator>().Create(SystemTenant.Instance));
        var dataProtection = services.AddDataProtection().SetApplicationName("KelolaPesan").PersistKeysToDbContext<KelolaDbContext>();
        // The key ring is encrypted with a certificate when one is configured (README, Security): a copy of the
        // database alone then decrypts nothing.
        if (DataProtectionCertificate.Load(config, contentRoot) is { } certificate)
            dataProtection.ProtectKeysWithCertificate(certificate);
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        services.AddHealthChecks().AddDbContextCheck<KelolaDbContext>("database");
        return services;
    }

    /// <summary>The prepared-statement writers of the hot paths (also for hosts that build Core without the rest of Data).</summary>
    public static IServiceCollection AddRelationalWriters(this IServiceCollection services)
    {
        services.AddSingleton<Core.Common.IBulkInserter, Common.RelationalBulkInserter>();
        services.AddSingleton<Core.Inbox.IChatCounters, Inbox.RelationalChatCounters>();
        return services;
    }
}
