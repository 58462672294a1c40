using System.Linq.Expressions;
using System.Reflection;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Automation;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Privacy;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Validation;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Core.Workspaces;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Data;

/// <summary>
/// The one model for both providers. Each provider has a derived context only so that it can own its
/// migration set (<see cref="SqliteKelolaDbContext"/>, <see cref="SqlServerKelolaDbContext"/>).
/// </summary>
public abstract class KelolaDbContext(DbContextOptions options, ITenantContext tenant)
    : DbContext(options), IKelolaDb, IDataProtectionKeyContext
{
    public const string TenantFilter = QueryFilters.Tenant;
    public const string SoftDeleteFilter = QueryFilters.SoftDelete;

    // Read by the query filters on every query, so each context instance filters by its own tenant.
    internal Guid? CurrentTenantId => tenant.TenantId;
    internal bool IsSystem => tenant.IsSystem;

    public DbSet<Licence> Licences => Set<Licence>();
    public DbSet<Agency> Agencies => Set<Agency>();
    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<AppUser> Users => Set<AppUser>();
    public DbSet<AdminUser> AdminUsers => Set<AdminUser>();
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<WorkspaceMember> WorkspaceMembers => Set<WorkspaceMember>();
    public DbSet<WorkspaceEvent> WorkspaceEvents => Set<WorkspaceEvent>();
    public DbSet<LidMapping> LidMappings => Set<LidMapping>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<ContactList> ContactLists => Set<ContactList>();
    public DbSet<ContactListMember> ContactListMembers => Set<ContactListMember>();
    public DbSet<CustomFieldDefinition> CustomFields => Set<CustomFieldDefinition>();
    public DbSet<ContactFieldValue> ContactFieldValues => Set<ContactFieldValue>();
    public DbSet<Label> Labels => Set<Label>();
    public DbSet<ContactLabel> ContactLabels => Set<ContactLabel>();
    public DbSet<ContactImport> ContactImports => Set<ContactImport>();
    public DbSet<ContactImportError> ContactImportErrors => Set<ContactImportError>();
    public DbSet<Segment> Segments => Set<Segment>();
    public DbSet<Chat> Chats => Set<Chat>();
    public DbSet<ChatLabel> ChatLabels => Set<ChatLabel>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<QuickReply> QuickReplies => Set<QuickReply>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<Broadcast> Broadcasts => Set<Broadcast>();
    public DbSet<BroadcastRecipient> BroadcastRecipients => Set<BroadcastRecipient>();
    public DbSet<Sequence> Sequences => Set<Sequence>();
    public DbSet<SequenceStep> SequenceSteps => Set<SequenceStep>();
    public DbSet<SequenceEnrollment> SequenceEnrollments => Set<SequenceEnrollment>();
    public DbSet<WorkspaceSendBudget> SendBudgets => Set<WorkspaceSendBudget>();
    public DbSet<BotRule> BotRules => Set<BotRule>();
    public DbSet<BotKeyword> BotKeywords => Set<BotKeyword>();
    public DbSet<BotReply> BotReplies => Set<BotReply>();
    public DbSet<BotSettings> BotSettings => Set<BotSettings>();
    public DbSet<NumberValidationJob> ValidationJobs => Set<NumberValidationJob>();
    public DbSet<NumberValidationEntry> ValidationEntries => Set<NumberValidationEntry>();
    public DbSet<NumberCheck> NumberChecks => Set<NumberCheck>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ApiIdempotencyRecord> ApiIdempotencyRecords => Set<ApiIdempotencyRecord>();
    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<InstagramAccount> InstagramAccounts => Set<InstagramAccount>();
    public DbSet<InstagramMedia> InstagramMedia => Set<InstagramMedia>();
    public DbSet<InstagramComment> InstagramComments => Set<InstagramComment>();
    public DbSet<CommentAutomation> CommentAutomations => Set<CommentAutomation>();
    public DbSet<CommentReply> CommentReplies => Set<CommentReply>();
    public DbSet<PolicySettings> Policies => Set<PolicySettings>();
    public DbSet<PlatformSettings> PlatformSettings => Set<PlatformSettings>();
    public DbSet<NotificationTemplate> NotificationTemplates => Set<NotificationTemplate>();
    public DbSet<NotificationLog> NotificationLogs => Set<NotificationLog>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<InboundWebhookEvent> InboundWebhookEvents => Set<InboundWebhookEvent>();
    public DbSet<DataExport> DataExports => Set<DataExport>();
    public DbSet<DeletionRequest> DeletionRequests => Set<DeletionRequest>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public Task InTransactionAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async ct =>
        {
            await work(ct);
            return true;
        }, cancellationToken);

    /// <remarks>
    /// Like dotnet/eShop's ResilientTransaction: the strategy owns the retries, so the begin, the work and the commit
    /// form the unit it repeats. A retry clears the change tracker first: what the failed attempt saved was rolled back
    /// but marked as saved in memory, and would otherwise not be written again.
    /// </remarks>
    public Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken = default) =>
        InTransactionAsync(work, keepTracked: false, cancellationToken);

    /// <param name="keepTracked">
    /// A retry leaves the change tracker as it is: only for work of the provider's own commands (nothing it saves is
    /// tracked) on a context whose tracked entities are its caller's, as the send writers on the dispatcher's context,
    /// which tracks the run's budget.
    /// </param>
    internal async Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, bool keepTracked, CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is not null)
            return await work(cancellationToken);
        var attempt = 0;
        return await Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            if (attempt++ > 0 && !keepTracked)
                ChangeTracker.Clear();
            await using var transaction = await Database.BeginTransactionAsync(ct);
            var result = await work(ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);
    }

    public Task OpenConnectionAsync(CancellationToken cancellationToken = default) => Database.OpenConnectionAsync(cancellationToken);

    /// <summary>None by default; <see cref="SqliteKelolaDbContext"/> has its FTS5 tables.</summary>
    public virtual IChatTextIndex? ChatTextIndex => null;

    public virtual bool CaseSensitiveLike => false;

    public virtual ISendResultWriter? SendResults => null;

    public virtual bool SingleWriter => false;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(KelolaDbContext).Assembly);
        ApplyFilters(modelBuilder);
    }

    /// <summary>
    /// Tenant-owned rows are visible only to their tenant. Platform rows (licences, policies, admin users,
    /// raw webhooks, Data Protection keys...) are visible only to system contexts, so a tenant context can never read them by mistake.
    /// </summary>
    private void ApplyFilters(ModelBuilder modelBuilder)
    {
        foreach (var entityType in modelBuilder.Model.GetEntityTypes().Where(t => t.BaseType is null))
        {
            // Every type gets a filter, including ones that are not our Entity (the Data Protection key ring):
            // a type left out would be readable by every tenant context.
            var clr = entityType.ClrType;
            var filter = clr switch
            {
                _ when typeof(ITenantOwned).IsAssignableFrom(clr) => Invoke(nameof(TenantOwnedFilter), clr),
                _ when clr == typeof(Tenant) => (Expression<Func<Tenant, bool>>)(t => IsSystem || (CurrentTenantId != null && t.Id == CurrentTenantId)),
                _ when clr == typeof(AppUser) => (Expression<Func<AppUser, bool>>)(u => IsSystem || (CurrentTenantId != null && u.TenantId == CurrentTenantId)),
                _ when clr == typeof(AuditEntry) => (Expression<Func<AuditEntry, bool>>)(a => IsSystem || (CurrentTenantId != null && a.TenantId == CurrentTenantId)),
                _ => Invoke(nameof(SystemOnlyFilter), clr),
            };
            modelBuilder.Entity(clr).HasQueryFilter(TenantFilter, filter);

            if (typeof(ISoftDeletable).IsAssignableFrom(clr))
                modelBuilder.Entity(clr).HasQueryFilter(SoftDeleteFilter, Invoke(nameof(NotDeletedFilter), clr));
        }
    }

    private LambdaExpression Invoke(string method, Type clr) =>
        (LambdaExpression)typeof(KelolaDbContext).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Instance)!
            .MakeGenericMethod(clr).Invoke(this, null)!;

    private Expression<Func<T, bool>> TenantOwnedFilter<T>() where T : ITenantOwned =>
        e => IsSystem || (CurrentTenantId != null && e.TenantId == CurrentTenantId);

    private Expression<Func<T, bool>> SystemOnlyFilter<T>() => _ => IsSystem;

    private Expression<Func<T, bool>> NotDeletedFilter<T>() where T : ISoftDeletable => e => e.DeletedAt == null;
}
