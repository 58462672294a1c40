using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Automation;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Privacy;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Validation;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Common;

/// <summary>
/// The database as Core's services see it (the Data project implements it with EF Core).
/// Tenant-owned sets are already filtered to the tenant the context was created for.
/// </summary>
public interface IKelolaDb : IAsyncDisposable
{
    DbSet<Licence> Licences { get; }
    DbSet<Agency> Agencies { get; }
    DbSet<Tenant> Tenants { get; }
    DbSet<AppUser> Users { get; }
    DbSet<AdminUser> AdminUsers { get; }
    DbSet<Workspace> Workspaces { get; }
    DbSet<WorkspaceMember> WorkspaceMembers { get; }
    DbSet<WorkspaceEvent> WorkspaceEvents { get; }
    DbSet<LidMapping> LidMappings { get; }
    DbSet<Contact> Contacts { get; }
    DbSet<ContactList> ContactLists { get; }
    DbSet<ContactListMember> ContactListMembers { get; }
    DbSet<CustomFieldDefinition> CustomFields { get; }
    DbSet<ContactFieldValue> ContactFieldValues { get; }
    DbSet<Label> Labels { get; }
    DbSet<ContactLabel> ContactLabels { get; }
    DbSet<ContactImport> ContactImports { get; }
    DbSet<ContactImportError> ContactImportErrors { get; }
    DbSet<Segment> Segments { get; }
    DbSet<Chat> Chats { get; }
    DbSet<ChatLabel> ChatLabels { get; }
    DbSet<Message> Messages { get; }
    DbSet<QuickReply> QuickReplies { get; }
    DbSet<Attachment> Attachments { get; }
    DbSet<Broadcast> Broadcasts { get; }
    DbSet<BroadcastRecipient> BroadcastRecipients { get; }
    DbSet<Sequence> Sequences { get; }
    DbSet<SequenceStep> SequenceSteps { get; }
    DbSet<SequenceEnrollment> SequenceEnrollments { get; }
    DbSet<WorkspaceSendBudget> SendBudgets { get; }
    DbSet<BotRule> BotRules { get; }
    DbSet<BotKeyword> BotKeywords { get; }
    DbSet<BotReply> BotReplies { get; }
    DbSet<BotSettings> BotSettings { get; }
    DbSet<NumberValidationJob> ValidationJobs { get; }
    DbSet<NumberValidationEntry> ValidationEntries { get; }
    DbSet<NumberCheck> NumberChecks { get; }
    DbSet<ApiKey> ApiKeys { get; }
    DbSet<ApiIdempotencyRecord> ApiIdempotencyRecords { get; }
    DbSet<WebhookSubscription> WebhookSubscriptions { get; }
    DbSet<WebhookDelivery> WebhookDeliveries { get; }
    DbSet<InstagramAccount> InstagramAccounts { get; }
    DbSet<InstagramMedia> InstagramMedia { get; }
    DbSet<InstagramComment> InstagramComments { get; }
    DbSet<CommentAutomation> CommentAutomations { get; }
    DbSet<CommentReply> CommentReplies { get; }
    DbSet<PolicySettings> Policies { get; }
    DbSet<PlatformSettings> PlatformSettings { get; }
    DbSet<NotificationTemplate> NotificationTemplates { get; }
    DbSet<NotificationLog> NotificationLogs { get; }
    DbSet<AuditEntry> AuditEntries { get; }
    DbSet<InboundWebhookEvent> InboundWebhookEvents { get; }
    DbSet<DataExport> DataExports { get; }
    DbSet<DeletionRequest> DeletionRequests { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>The context's tracking of an entity: one written by a statement of its own is then let go, so no later save writes it again.</summary>
    Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<TEntity> Entry<TEntity>(TEntity entity) where TEntity : class;

    /// <summary>
    /// The one way to run a transaction: <paramref name="work"/> runs between begin and commit inside the provider's
    /// execution strategy, which refuses hand-opened transactions and retries the whole unit on a transient fault
    /// (docs/adr/0010-transactions-and-sql-server.md). The work may therefore run more than once: it adds, re-reads
    /// or re-attaches inside itself whatever it writes (a retry starts from an empty change tracker) and keeps no
    /// in-memory effect of a failed attempt. Called inside a running transaction, it joins that one.
    /// </summary>
    Task InTransactionAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="InTransactionAsync(Func{CancellationToken, Task}, CancellationToken)"/>
    Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken = default);

    /// <summary>Keeps the connection open until the context is disposed (several statements in a row without reopening it).</summary>
    Task OpenConnectionAsync(CancellationToken cancellationToken = default);

    /// <summary>The provider's full-text index over chat names and message texts, or null where it has none.</summary>
    IChatTextIndex? ChatTextIndex { get; }

    /// <summary>True where LIKE compares case-sensitively (PostgreSQL); callers then compare lower-cased values.</summary>
    bool CaseSensitiveLike { get; }

    /// <summary>The provider's own writes of a broadcast send step (its result, a number check's answer), or null where EF writes them.</summary>
    ISendResultWriter? SendResults { get; }

    /// <summary>
    /// True where the database takes one writer at a time (SQLite): the process's hot writers then take turns in process
    /// (<see cref="Webhooks.IngestGate"/>) instead of meeting in the database's busy handler.
    /// </summary>
    bool SingleWriter { get; }
}

/// <summary>Creates short-lived contexts: one per operation, never one per circuit.</summary>
public interface IKelolaDbFactory
{
    /// <summary>A context for the tenant of the current scope (signed-in user, or what a job set).</summary>
    Task<IKelolaDb> CreateAsync(CancellationToken cancellationToken = default);

    /// <summary>A context that sees exactly one tenant: for jobs and webhooks acting for a workspace.</summary>
    IKelolaDb CreateForTenant(Guid tenantId);

    /// <summary>A context that sees every tenant: platform admin and system work only.</summary>
    IKelolaDb CreateSystem();

    /// <summary>
    /// A context acting for one tenant at a time on one connection, so several tenants' work can share one transaction:
    /// it sees exactly the tenant last set on <paramref name="tenant"/> with <see cref="TenantContext.SetTenant"/> (nothing
    /// before that). For system work that applies many tenants' events together (the webhook ingest, docs/adr/0026); the
    /// caller sets each tenant before that tenant's statements and never tracks one tenant's entities across a switch.
    /// </summary>
    IKelolaDb CreateForTenants(TenantContext tenant);
}
