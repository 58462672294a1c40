using KelolaPesan.Core;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Data.Security;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Realtime;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Instagram;

/// <summary>
/// The comment reply services over a migrated SQLite file with a fake clock, two tenants, a connected account and
/// the real Graph adapter talking HTTP to a <see cref="FakeGraphServer"/>.
/// </summary>
public sealed class CommentReplyHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 2, 0, 0, TimeSpan.Zero);

    private CommentReplyHarness(SqliteTestDatabase database, FakeTimeProvider clock, FakeGraphServer graph, ServiceProvider services)
    {
        Database = database;
        Clock = clock;
        Graph = graph;
        Services = services;
    }

    public SqliteTestDatabase Database { get; }
    public FakeTimeProvider Clock { get; }
    public FakeGraphServer Graph { get; }
    public ServiceProvider Services { get; }
    public Guid TenantId { get; } = Guid.CreateVersion7();
    public Guid OtherTenantId { get; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; private set; }
    public Guid OtherWorkspaceId { get; private set; }
    public Guid AccountId { get; private set; }
    public string InstagramUserId => FakeGraphServer.UserId;

    public static async Task<CommentReplyHarness> CreateAsync()
    {
        var clock = new FakeTimeProvider(Start);
        var database = await SqliteTestDatabase.CreateAsync(clock);
        var graph = await FakeGraphServer.StartAsync();
        var settings = graph.Settings.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        settings["Instagram:MaxRetries"] = "0";
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        settings["Gateway:Kind"] = "Simulator";
        services.AddCoreServices(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<IBulkInserter, KelolaPesan.Data.Common.RelationalBulkInserter>();
        services.AddSingleton(database.Activator);
        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddScoped<IKelolaDbFactory, KelolaDbFactory>();
        services.AddSingleton<ISecretProtector>(new DataProtectionSecretProtector(new EphemeralDataProtectionProvider()));
        services.AddSingleton<IRealtimeBus, InProcessRealtimeBus>();
        services.AddSingleton<IGatewayEventSink, Gateways.RecordingEventSink>();
        services.AddSingleton<IAttachmentStore>(new LocalAttachmentStore(Path.Combine(database.Folder, "attachments")));
        var harness = new CommentReplyHarness(database, clock, graph, services.BuildServiceProvider());
        await harness.SeedAsync();
        return harness;
    }

    private async Task SeedAsync()
    {
        await using var db = Database.CreateSystem();
        foreach (var tenantId in new[] { TenantId, OtherTenantId })
        {
            var licence = new Licence { Name = "T", CodePrefix = "IG" + tenantId.ToString("N")[^8..], CodeHash = [1], ExpiresAt = Start.AddYears(1) };
            db.Licences.Add(licence);
            db.Tenants.Add(new Tenant { Id = tenantId, Name = "T", LicenceId = licence.Id });
        }
        var workspace = new Workspace { TenantId = TenantId, Name = "Toko" };
        var other = new Workspace { TenantId = OtherTenantId, Name = "Toko Lain" };
        db.Workspaces.AddRange(workspace, other);
        var protector = Services.GetRequiredService<ISecretProtector>();
        var account = new InstagramAccount
        {
            TenantId = TenantId, WorkspaceId = workspace.Id, InstagramUserId = InstagramUserId, Username = FakeGraphServer.Username,
            AccessTokenEncrypted = protector.Protect(InstagramAccountService.TokenPurpose, Graph.IssueToken()), Status = InstagramConnectionStatus.Connected,
            ConnectedAt = Start,
        };
        db.InstagramAccounts.Add(account);
        await db.SaveChangesAsync();
        (WorkspaceId, OtherWorkspaceId, AccountId) = (workspace.Id, other.Id, account.Id);
    }

    /// <summary>Runs a service in a scope signed in to <paramref name="tenantId"/> (default: the account's tenant).</summary>
    public async Task<T> InTenantAsync<T>(Func<IServiceProvider, Task<T>> action, Guid? tenantId = null)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(tenantId ?? TenantId);
        return await action(scope.ServiceProvider);
    }

    public Task InTenantAsync(Func<IServiceProvider, Task> action, Guid? tenantId = null) =>
        InTenantAsync(async sp => { await action(sp); return 0; }, tenantId);

    public Task<Guid> AutomationAsync(CommentAutomationInput input) =>
        InTenantAsync(sp => sp.GetRequiredService<CommentAutomationService>().CreateAsync(WorkspaceId, input));

    /// <summary>Stores a comment as the webhook processor does and hands it to the automations.</summary>
    public async Task CommentAsync(string commentId, string text, string mediaId = "m-1", DateTimeOffset? at = null, string? parentId = null, string username = "andi")
    {
        await using (var db = Database.CreateForTenant(TenantId))
        {
            db.InstagramComments.Add(new InstagramComment
            {
                TenantId = TenantId, WorkspaceId = WorkspaceId, CommentId = commentId, MediaId = mediaId, CommenterId = "9" + commentId.GetHashCode(),
                CommenterUsername = username, Text = text, CommentedAt = at ?? Clock.GetUtcNow(), ParentCommentId = parentId, WebhookPayload = "{}",
            });
            await db.SaveChangesAsync();
        }
        await InTenantAsync(sp => sp.GetRequiredService<CommentReplyService>().OnCommentAsync(TenantId, WorkspaceId, commentId));
    }

    public Task<int> SendDueAsync() => InTenantAsync(sp => sp.GetRequiredService<CommentReplyService>().SendDueAsync());

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Graph.DisposeAsync();
        await Database.DisposeAsync();
    }
}
