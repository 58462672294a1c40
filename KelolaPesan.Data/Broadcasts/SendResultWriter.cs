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
            await context.Database.CreateExecutionStrategy().ExecuteAsync(state, async (_, s, token) =>
            {
                if (!NeedsTransaction)
                    return await statement(s, token);
                // The command is made inside the transaction, so it joins it.
                await using var transaction = await context.Database.BeginTransactionAsync(token);
                var written = await statement(s, token);
                await transaction.CommitAsync(token);
                return written;
            }, null, ct);
        }
        finally
        {
            if (opened)
                await context.Database.CloseConnectionAsync();
        }
    }
}
