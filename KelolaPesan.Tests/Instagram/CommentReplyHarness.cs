using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Instagram;

/// <summary>
/// The comment reply services (<see cref="ServiceHost"/> over a database of the test's provider) with a fake clock, two
/// tenants, a connected account and the real Graph adapter talking HTTP to a <see cref="FakeGraphServer"/>.
/// </summary>
public sealed class CommentReplyHarness : ServiceHost
{
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 2, 0, 0, TimeSpan.Zero);

    private CommentReplyHarness(TestDatabase database, FakeTimeProvider clock, FakeGraphServer graph)
        : base(database, graph.Settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)).Append(new("Instagram:MaxRetries", "0")), clock)
    {
        Clock = clock;
        Graph = graph;
    }

    public FakeTimeProvider Clock { get; }
    public FakeGraphServer Graph { get; }
    public Guid TenantId { get; private set; }
    public Guid OtherTenantId { get; private set; }
    public Guid WorkspaceId { get; private set; }
    public Guid OtherWorkspaceId { get; private set; }
    public Guid AccountId { get; private set; }
    public string InstagramUserId => FakeGraphServer.UserId;

    public static async Task<CommentReplyHarness> CreateAsync(KelolaPesan.Data.DatabaseProvider provider = KelolaPesan.Data.DatabaseProvider.Sqlite)
    {
        var clock = new FakeTimeProvider(Start);
        var harness = new CommentReplyHarness(await TestDatabase.CreateAsync(provider, clock), clock, await FakeGraphServer.StartAsync());
        var protector = harness.Services.GetRequiredService<ISecretProtector>();
        var account = await harness.Database.SeedAsync(db =>
        {
            var tenant = Seed.Tenant(db, "T", l => l.ExpiresAt = Start.AddYears(1));
            var other = Seed.Tenant(db, "T", l => l.ExpiresAt = Start.AddYears(1));
            var workspace = tenant.Workspace("Toko");
            (harness.OtherTenantId, harness.OtherWorkspaceId) = (other.Id, other.Workspace("Toko Lain").Id);
            var account = new InstagramAccount
            {
                TenantId = tenant.Id, WorkspaceId = workspace.Id, InstagramUserId = harness.InstagramUserId, Username = FakeGraphServer.Username,
                AccessTokenEncrypted = protector.Protect(InstagramAccountService.TokenPurpose, harness.Graph.IssueToken()), Status = InstagramConnectionStatus.Connected,
                ConnectedAt = Start,
            };
            db.InstagramAccounts.Add(account);
            return account;
        });
        (harness.TenantId, harness.WorkspaceId, harness.AccountId) = (account.TenantId, account.WorkspaceId, account.Id);
        return harness;
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

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Graph.DisposeAsync();
    }
}
