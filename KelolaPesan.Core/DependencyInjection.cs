using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Contacts.Import;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Validation;
using KelolaPesan.Core.Workspaces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KelolaPesan.Core;

public static class DependencyInjection
{
    public static IServiceCollection AddCoreServices(this IServiceCollection services, IConfiguration config)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddGateways(config);
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<AuditLog>();
        services.AddScoped<SignInService>();
        services.AddScoped<AccountService>();
        services.AddScoped<WorkspaceDirectory>();
        services.AddScoped<PlatformDefaults>();
        services.AddScoped<AdminOverview>();
        services.AddScoped<ContactService>();
        services.AddScoped<ContactCatalogService>();
        services.AddScoped<ContactImportService>();
        services.AddScoped<ContactExportService>();
        services.AddScoped<SegmentService>();
        services.AddScoped<NumberValidationService>();
        return services;
    }
}
