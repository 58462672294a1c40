using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Validation;
using KelolaPesan.Data.Common;

namespace KelolaPesan.Data.Broadcasts;

/// <summary>
/// <see cref="ISendResultWriter"/> for PostgreSQL: data-modifying CTEs put the recipient's result, its broadcast's
/// counters and the budget in one statement (an implicit transaction, one round trip), committed asynchronously
/// (<c>synchronous_commit</c> off for this transaction only). The claim before the send stays durable, and the next
/// claim's commit flushes this one too: a database server that crashes loses at most its last result, which leaves the
/// row Sending for recovery to reconcile from the chat history.
/// </summary>
internal sealed class PostgresSendResultWriter(KelolaDbContext context) : SendResultWriter(context)
{
    protected override bool NeedsTransaction => false;

    protected override string RegistrationSql(ModelCommand<NumberCheck> checks, StoreNames<Contact> contacts)
    {
        string N(string property) => checks.Column(property);
        string C(string property) => contacts.Column(property);
        return $"{AsynchronousCommit}WITH validated AS (UPDATE {contacts.Table} SET {C(nameof(Contact.LastValidationStatus))} = @status, " +
               $"{C(nameof(Contact.LastValidatedAt))} = @at WHERE {C(nameof(Contact.WorkspaceId))} = @workspace AND {C(nameof(Contact.TenantId))} = @tenant " +
               $"AND {C(nameof(Contact.Phone))} = @phone AND {C(nameof(Contact.DeletedAt))} IS NULL) " +
               $"INSERT INTO {checks.Table} ({N(nameof(Entity.Id))}, {N(nameof(NumberCheck.TenantId))}, {N(nameof(NumberCheck.WorkspaceId))}, " +
               $"{N(nameof(NumberCheck.Phone))}, {N(nameof(NumberCheck.Status))}, {N(nameof(NumberCheck.CheckedAt))}, {N(nameof(Entity.CreatedAt))}, {N(nameof(Entity.UpdatedAt))}) " +
               "VALUES (@id, @tenant, @workspace, @phone, @status, @at, @at, @at) " +
               $"ON CONFLICT ({N(nameof(NumberCheck.WorkspaceId))}, {N(nameof(NumberCheck.Phone))}) DO UPDATE SET {N(nameof(NumberCheck.Status))} = EXCLUDED.{N(nameof(NumberCheck.Status))}, " +
               $"{N(nameof(NumberCheck.CheckedAt))} = EXCLUDED.{N(nameof(NumberCheck.CheckedAt))}, {N(nameof(Entity.UpdatedAt))} = EXCLUDED.{N(nameof(Entity.UpdatedAt))}";
    }

    /// <summary>For this statement's transaction only: the commit returns before the log reaches the disk.</summary>
    private const string AsynchronousCommit = "SELECT set_config('synchronous_commit', 'off', true); ";

    protected override string SentSql(ModelCommand<BroadcastRecipient> recipients, StoreNames<Broadcast> broadcasts, StoreNames<WorkspaceSendBudget> budgets)
    {
        string R(string property) => recipients.Column(property);
        string B(string property) => broadcasts.Column(property);
        string S(string property) => budgets.Column(property);
        return $"{AsynchronousCommit}WITH sent AS (UPDATE {recipients.Table} SET {R(nameof(BroadcastRecipient.Status))} = @sent, " +
               $"{R(nameof(BroadcastRecipient.ExternalMessageId))} = @external, {R(nameof(BroadcastRecipient.SentAt))} = @at, {R(nameof(BroadcastRecipient.Error))} = NULL " +
               $"WHERE {R(nameof(Entity.Id))} = @recipient AND {R(nameof(BroadcastRecipient.TenantId))} = @tenant AND {R(nameof(BroadcastRecipient.Status))} = @sending " +
               $"RETURNING {R(nameof(BroadcastRecipient.BroadcastId))}), " +
               $"counted AS (UPDATE {broadcasts.Table} SET {B(nameof(Broadcast.PendingCount))} = {B(nameof(Broadcast.PendingCount))} - 1, " +
               $"{B(nameof(Broadcast.SentCount))} = {B(nameof(Broadcast.SentCount))} + 1 " +
               $"WHERE {B(nameof(Entity.Id))} IN (SELECT {R(nameof(BroadcastRecipient.BroadcastId))} FROM sent) AND {B(nameof(Broadcast.TenantId))} = @tenant) " +
               $"UPDATE {budgets.Table} SET {S(nameof(WorkspaceSendBudget.SentToday))} = @sentToday, {S(nameof(WorkspaceSendBudget.SentInBatch))} = @sentInBatch, " +
               $"{S(nameof(WorkspaceSendBudget.FailureStreak))} = @streak, {S(nameof(WorkspaceSendBudget.NextSendAt))} = @next, {S(nameof(Entity.UpdatedAt))} = @at " +
               $"WHERE {S(nameof(Entity.Id))} = @budget AND {S(nameof(WorkspaceSendBudget.TenantId))} = @tenant";
    }
}
