using System.Data;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Validation;
using KelolaPesan.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Data.Broadcasts;

/// <summary>
/// <see cref="ISendResultWriter"/> for PostgreSQL: data-modifying CTEs put the recipient's result, its broadcast's
/// counters and the budget in one statement (an implicit transaction, one round trip), committed asynchronously
/// (<c>synchronous_commit</c> off for this transaction only). The claim before the send stays durable, and the next
/// claim's commit flushes this one too: a database server that crashes loses at most its last result, which leaves the
/// row Sending for recovery to reconcile from the chat history.
/// </summary>
internal sealed class PostgresSendResultWriter(KelolaDbContext context) : ISendResultWriter
{
    private string? _sentSql;
    private string? _registrationSql;

    public Task RecordSentAsync(SentResult result, CancellationToken ct) =>
        // Idempotent: a retry after a lost answer finds the row Sent and counts nothing twice.
        ExecuteAsync(result, async (r, token) =>
        {
            await using var command = new ModelCommand<BroadcastRecipient>(context);
            var budgets = new StoreNames<WorkspaceSendBudget>(context);
            command.Parameter("@tenant", nameof(BroadcastRecipient.TenantId))(r.TenantId);
            command.Parameter("@recipient", nameof(Entity.Id))(r.RecipientId);
            command.Parameter("@sent", nameof(BroadcastRecipient.Status))(RecipientStatus.Sent);
            command.Parameter("@sending", nameof(BroadcastRecipient.Status))(RecipientStatus.Sending);
            command.Parameter("@external", nameof(BroadcastRecipient.ExternalMessageId))(r.ExternalId);
            command.Parameter("@at", nameof(BroadcastRecipient.SentAt))(r.SentAt);
            command.Parameter("@budget", budgets.Property(nameof(Entity.Id)))(r.Budget.Id);
            command.Parameter("@sentToday", budgets.Property(nameof(WorkspaceSendBudget.SentToday)))(r.Budget.SentToday);
            command.Parameter("@sentInBatch", budgets.Property(nameof(WorkspaceSendBudget.SentInBatch)))(r.Budget.SentInBatch);
            command.Parameter("@streak", budgets.Property(nameof(WorkspaceSendBudget.FailureStreak)))(r.Budget.FailureStreak);
            command.Parameter("@next", budgets.Property(nameof(WorkspaceSendBudget.NextSendAt)))(r.Budget.NextSendAt);
            await command.PrepareAsync(_sentSql ??= SentSql(command, new StoreNames<Broadcast>(context), budgets), token);
            return await command.ExecuteAsync(token);
        }, ct);

    public Task RememberRegistrationAsync(Guid tenantId, Guid workspaceId, string phone, ValidationStatus status, DateTimeOffset checkedAt, CancellationToken ct) =>
        // Idempotent: the same answer written again.
        ExecuteAsync((tenantId, workspaceId, phone, status, checkedAt), async (r, token) =>
        {
            await using var command = new ModelCommand<NumberCheck>(context);
            var contacts = new StoreNames<Contact>(context);
            command.Parameter("@id", nameof(Entity.Id))(Guid.CreateVersion7());
            command.Parameter("@tenant", nameof(NumberCheck.TenantId))(r.tenantId);
            command.Parameter("@workspace", nameof(NumberCheck.WorkspaceId))(r.workspaceId);
            command.Parameter("@phone", nameof(NumberCheck.Phone))(r.phone);
            command.Parameter("@status", nameof(NumberCheck.Status))(r.status);
            command.Parameter("@at", nameof(NumberCheck.CheckedAt))(r.checkedAt);
            await command.PrepareAsync(_registrationSql ??= RegistrationSql(command, contacts), token);
            return await command.ExecuteAsync(token);
        }, ct);

    private async Task ExecuteAsync<TState>(TState state, Func<TState, CancellationToken, Task<int>> statement, CancellationToken ct)
    {
        var opened = context.Database.GetDbConnection().State != ConnectionState.Open;
        if (opened)
            await context.Database.OpenConnectionAsync(ct);
        try
        {
            await context.Database.CreateExecutionStrategy().ExecuteAsync(state, (_, s, token) => statement(s, token), null, ct);
        }
        finally
        {
            if (opened)
                await context.Database.CloseConnectionAsync();
        }
    }

    private static string RegistrationSql(ModelCommand<NumberCheck> checks, StoreNames<Contact> contacts)
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

    private static string SentSql(ModelCommand<BroadcastRecipient> recipients, StoreNames<Broadcast> broadcasts, StoreNames<WorkspaceSendBudget> budgets)
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
