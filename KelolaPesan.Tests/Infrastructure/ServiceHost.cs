using KelolaPesan.Core;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Data;
using KelolaPesan.Data.Security;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Web.Realtime;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>
/// The base of the in-process hosts: Core's real services over a <see cref="TestDatabase"/> of the test's provider, the
/// in-process realtime bus, a recording gateway event sink, an attachment folder of the test's own, the simulator gateway
/// (unless the settings name another) and the test's clock. Every node (<see cref="AddNode"/>) is its own service
/// provider over the same database, configuration and key ring, as a second app process would be.
/// </summary>
public abstract class ServiceHost : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Gateway:Kind"] = "Simulator",
        ["Gateway:PublicBaseUrl"] = "http://127.0.0.1:5999",
    };
    private readonly List<ServiceProvider> _nodes = [];
    private readonly List<AsyncServiceScope> _scopes = [];
    // One key ring for every node, as the app's keys persisted in the database are.
    private readonly ISecretProtector _protector = new DataProtectionSecretProtector(new EphemeralDataProtectionProvider());
    private ServiceProvider? _services;

    /// <param name="settings">Configuration over the simulator defaults.</param>
    /// <param name="clock">The services' clock (a FakeTimeProvider to move days); the system clock when null.</param>
    protected ServiceHost(TestDatabase database, IEnumerable<KeyValuePair<string, string?>>? settings = null, TimeProvider? clock = null)
    {
        Database = database;
        Time = clock;
        foreach (var (key, value) in settings ?? [])
            _settings[key] = value;
    }

    public TestDatabase Database { get; }
    public ServiceProvider Services => _services ??= BuildNode(FirstNode);
    private protected TimeProvider? Time { get; }

    /// <summary>Registrations of the first node only (<see cref="Services"/>), after <see cref="Configure"/>.</summary>
    private protected Action<IServiceCollection>? FirstNode { get; init; }

    /// <summary>The tenant a new scope is signed in to; null leaves the scope's <see cref="TenantContext"/> for the test to set.</summary>
    protected virtual Guid? ScopeTenant => null;

    /// <summary>Registrations after the defaults (they win): a wrapped gateway, another attachment store.</summary>
    protected virtual void Configure(IServiceCollection services) { }

    /// <summary>Registrations that put <paramref name="wrapWith"/> around the node's gateway (a lost answer, a frozen call); null when none.</summary>
    private protected static Action<IServiceCollection>? WrapGateway(Func<IWhatsAppGateway, IWhatsAppGateway>? wrapWith) => wrapWith is null ? null : services =>
    {
        var inner = services.Last(d => d.ServiceType == typeof(IWhatsAppGateway));
        services.AddSingleton(sp => wrapWith((IWhatsAppGateway)(inner.ImplementationFactory?.Invoke(sp) ?? sp.GetRequiredService(inner.ImplementationType!))));
    };

    /// <summary>Another node over the same database, clock and key ring (its own singletons). Disposed with the host.</summary>
    public ServiceProvider AddNode() => AddNode(null);

    private protected ServiceProvider AddNode(Action<IServiceCollection>? configure)
    {
        var node = BuildNode(configure);
        _nodes.Add(node);
        return node;
    }

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    /// <summary>
    /// A scope of the first node signed in to <paramref name="tenantId"/>, as a request of that tenant's user gets, kept
    /// until the host is disposed: for harnesses that hand a test a service to hold (<c>h.Inbox(tenant).ListChatsAsync(...)</c>).
    /// </summary>
    public IServiceProvider TenantScope(Guid tenantId)
    {
        var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(tenantId);
        lock (_scopes)
            _scopes.Add(scope);
        return scope.ServiceProvider;
    }

    private ServiceProvider BuildNode(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (Time is not null)
            services.AddSingleton(Time);
        services.AddCoreServices(new ConfigurationBuilder().AddInMemoryCollection(_settings).Build());
        KelolaPesan.Data.DependencyInjection.AddRelationalWriters(services);
        services.AddSingleton(Database.Activator);
        services.AddScoped(_ =>
        {
            var context = new TenantContext();
            if (ScopeTenant is { } tenantId)
                context.SetTenant(tenantId);
            return context;
        });
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddScoped<IKelolaDbFactory, KelolaDbFactory>();
        services.AddSingleton(_protector);
        services.AddSingleton<IRealtimeBus, InProcessRealtimeBus>();
        services.AddSingleton<RecordingEventSink>();
        services.AddSingleton<IGatewayEventSink>(sp => sp.GetRequiredService<RecordingEventSink>());
        services.AddSingleton<IAttachmentStore>(new LocalAttachmentStore(Path.Combine(Database.Folder, "attachments")));
        Configure(services);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var scope in _scopes)
            await scope.DisposeAsync();
        foreach (var node in _nodes)
            await node.DisposeAsync();
        if (_services is not null)
            await _services.DisposeAsync();
        await Database.DisposeAsync();
    }
}
