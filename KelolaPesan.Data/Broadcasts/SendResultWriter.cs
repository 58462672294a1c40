using System.Data;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Validation;
using KelolaPesan.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Data.Broadcasts;

/// <summary>
/// <see cref="ISendResultWriter"/>'s parameters, bound once per provider's command from the EF model
/// (<see cref="ModelCommand{T}"/>), and its execution inside the provider's execution strategy; each provider writes
/// its own SQL (<see cref="PostgresSendResultWriter"/>, <see cref="SqliteSendResultWriter"/>).
/// </summary>
internal abstract class SendResultWriter(KelolaDbContext context) : ISendResultWriter
{
    private string? _sentSql;
    private string? _registrationSql;

    /// <summary>True where the SQL is several statements that must commit together (no data-modifying CTEs).</summary>
    protected abstract bool NeedsTransaction { get; }

    protected abstract string SentSql(ModelCommand<BroadcastRecipient> recipients, StoreNames<Broadcast> broadcasts, StoreNames<WorkspaceSendBudget> budgets);

    protected abstract string RegistrationSql(ModelCommand<NumberCheck> checks, StoreNames<Contact> contacts);

    /// <summary>The recipient Sent with its gateway id, only while it is Sending.</summary>
    protected static string RecipientSent(ModelCommand<BroadcastRecipient> recipients)
    {
        string R(string property) => recipients.Column(property);
        return $"UPDATE {recipients.Table} SET {R(nameof(BroadcastRecipient.Status))} = @sent, " +
               $"{R(nameof(BroadcastRecipient.ExternalMessageId))} = @external, {R(nameof(BroadcastRecipient.SentAt))} = @at, {R(nameof(BroadcastRecipient.Error))} = NULL " +
               $"WHERE {R(nameof(Entity.Id))} = @recipient AND {R(nameof(BroadcastRecipient.TenantId))} = @tenant AND {R(nameof(BroadcastRecipient.Status))} = @sending";
    }

    /// <summary>One send counted on the broadcast <paramref name="which"/> names (a condition on its id column).</summary>
    protected static string BroadcastCounted(StoreNames<Broadcast> broadcasts, Func<string, string> which)
    {
        string B(string property) => broadcasts.Column(property);
        return $"UPDATE {broadcasts.Table} SET {B(nameof(Broadcast.PendingCount))} = {B(nameof(Broadcast.PendingCount))} - 1, " +
               $"{B(nameof(Broadcast.SentCount))} = {B(nameof(Broadcast.SentCount))} + 1 " +
               $"WHERE {which(B(nameof(Entity.Id)))} AND {B(nameof(Broadcast.TenantId))} = @tenant";
    }

    protected static string BudgetWritten(StoreNames<WorkspaceSendBudget> budgets)
    {
        string S(string property) => budgets.Column(property);
        return $"UPDATE {budgets.Table} SET {S(nameof(WorkspaceSendBudget.SentToday))} = @sentToday, {S(nameof(WorkspaceSendBudget.SentInBatch))} = @sentInBatch, " +
               $"{S(nameof(WorkspaceSendBudget.FailureStreak))} = @streak, {S(nameof(WorkspaceSendBudget.NextSendAt))} = @next, {S(nameof(Entity.UpdatedAt))} = @at " +
               $"WHERE {S(nameof(Entity.Id))} = @budget AND {S(nameof(WorkspaceSendBudget.TenantId))} = @tenant";
    }

    /// <summary>The answer on the workspace's live contacts of that number.</summary>
    protected static string ContactsValidated(StoreNames<Contact> contacts)
    {
        string C(string property) => contacts.Column(property);
        return $"UPDATE {contacts.Table} SET {C(nameof(Contact.LastValidationStatus))} = @status, {C(nameof(Contact.LastValidatedAt))} = @at " +
               $"WHERE {C(nameof(Contact.WorkspaceId))} = @workspace AND {C(nameof(Contact.TenantId))} = @tenant " +
               $"AND {C(nameof(Contact.Phone))} = @phone AND {C(nameof(Contact.DeletedAt))} IS NULL";
    }

    /// <summary>The answer in the number cache: inserted, or the row of that number updated (the same upsert on both providers).</summary>
    protected static string NumberCheckUpserted(ModelCommand<NumberCheck> checks)
    {
        string N(string property) => checks.Column(property);
        return $"INSERT INTO {checks.Table} ({N(nameof(Entity.Id))}, {N(nameof(NumberCheck.TenantId))}, {N(nameof(NumberCheck.WorkspaceId))}, " +
               $"{N(nameof(NumberCheck.Phone))}, {N(nameof(NumberCheck.Status))}, {N(nameof(NumberCheck.CheckedAt))}, {N(nameof(Entity.CreatedAt))}, {N(nameof(Entity.UpdatedAt))}) " +
               "VALUES (@id, @tenant, @workspace, @phone, @status, @at, @at, @at) " +
               $"ON CONFLICT ({N(nameof(NumberCheck.WorkspaceId))}, {N(nameof(NumberCheck.Phone))}) DO UPDATE SET {N(nameof(NumberCheck.Status))} = EXCLUDED.{N(nameof(NumberCheck.Status))}, " +
               $"{N(nameof(NumberCheck.CheckedAt))} = EXCLUDED.{N(nameof(NumberCheck.CheckedAt))}, {N(nameof(Entity.UpdatedAt))} = EXCLUDED.{N(nameof(Entity.UpdatedAt))}";
    }

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
            // Several statements commit together; the command is made inside the transaction, so it joins it. This context
            // is the dispatcher's own and tracks the run's budget: a retry must not clear it.
            if (NeedsTransaction)
                await context.InTransactionAsync(token => statement(state, token), keepTracked: true, ct);
            else
                await context.Database.CreateExecutionStrategy().ExecuteAsync(state, (_, s, token) => statement(s, token), null, ct);
        }
        finally
        {
            if (opened)
                await context.Database.CloseConnectionAsync();
        }
    }
}
