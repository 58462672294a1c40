using KelolaPesan.Core.Common;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KelolaPesan.Tests.Nodes;

/// <summary>
/// Issue 18: a node warms the inbound-message path up before it listens, by processing messages for real inside a
/// transaction it rolls back (<see cref="RolledBackScope"/>).
/// </summary>
public sealed class NodeWarmUpTests
{
    [Theory, Providers]
    public async Task TheWarmUp_ProcessesInboundMessagesThroughTheRealServices_AndLeavesNoRow(DatabaseProvider provider)
    {
        await using var app = new KelolaAppFactory().WithSetting("Demo:Disabled", "true").WithSetting(NodeWarmUp.SettingKey, "true");
        await app.UseProviderAsync(provider);
        await app.StartAsync();
        var warmUp = app.Services.GetServices<IHostedService>().OfType<NodeWarmUp>().Single();
        var before = await CountRowsAsync(app);

        var seen = await warmUp.WarmUpMessagesAsync();

        // Three events stored and processed without error, their chat found by the inbox's list query: the path ran.
        Assert.Equal(new MessageWarmUp(ProcessedEvents: 3, ListedChats: 1), seen);
        Assert.Equal(before, await CountRowsAsync(app));
    }

    [Theory, Providers]
    public async Task ARolledBackContext_SharesEFsCompiledQueryCache_WithTheAppsContexts(DatabaseProvider provider)
    {
        // EF keeps compiled queries in its internal service provider's memory cache: a different one would mean the
        // warm-up compiled its queries into a cache the app's own contexts never read.
        await using var app = new KelolaAppFactory().WithSetting("Demo:Disabled", "true");
        await app.UseProviderAsync(provider);
        await app.StartAsync();
        await using var scope = app.Services.CreateAsyncScope();
        await using var rolledBack = scope.ServiceProvider.GetRequiredService<RolledBackScope>();
        await rolledBack.BeginAsync();
        await using var inside = (DbContext)scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        await using var outside = app.Services.GetRequiredService<KelolaDbContextActivator>().Create(SystemTenant.Instance);

        Assert.NotNull(inside.Database.CurrentTransaction);
        Assert.Null(outside.Database.CurrentTransaction);
        Assert.Same(outside.GetService<IMemoryCache>(), inside.GetService<IMemoryCache>());
    }

    private static async Task<string> CountRowsAsync(KelolaAppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<IKelolaDbFactory>().CreateSystem();
        return string.Join(", ",
            $"licences {await db.Licences.CountAsync()}", $"tenants {await db.Tenants.IgnoreQueryFilters([QueryFilters.SoftDelete]).CountAsync()}",
            $"workspaces {await db.Workspaces.IgnoreQueryFilters([QueryFilters.SoftDelete]).CountAsync()}", $"users {await db.Users.CountAsync()}",
            $"chats {await db.Chats.IgnoreQueryFilters([QueryFilters.SoftDelete]).CountAsync()}", $"messages {await db.Messages.CountAsync()}",
            $"contacts {await db.Contacts.IgnoreQueryFilters([QueryFilters.SoftDelete]).CountAsync()}",
            $"webhook events {await db.InboundWebhookEvents.CountAsync()}");
    }
}
