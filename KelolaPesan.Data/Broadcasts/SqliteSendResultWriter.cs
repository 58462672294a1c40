using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Validation;
using KelolaPesan.Data.Common;

namespace KelolaPesan.Data.Broadcasts;

/// <summary>
/// <see cref="ISendResultWriter"/> for SQLite: a send step's writes as one prepared command of several statements in one
/// transaction, instead of EF's statements one by one (five for a result, four and a context of its own for a number
/// check), whose per-statement work (expression translation, change tracking) was most of a paced send's CPU. SQLite has
/// no data-modifying CTEs: the broadcast's counters follow the recipient's UPDATE through <c>changes()</c> (the rows the
/// statement before changed), and the number cache is an upsert.
/// </summary>
internal sealed class SqliteSendResultWriter(KelolaDbContext context) : SendResultWriter(context)
{
    protected override bool NeedsTransaction => true;

    protected override string RegistrationSql(ModelCommand<NumberCheck> checks, StoreNames<Contact> contacts)
    {
        string N(string property) => checks.Column(property);
        string C(string property) => contacts.Column(property);
        return $"UPDATE {contacts.Table} SET {C(nameof(Contact.LastValidationStatus))} = @status, {C(nameof(Contact.LastValidatedAt))} = @at " +
               $"WHERE {C(nameof(Contact.WorkspaceId))} = @workspace AND {C(nameof(Contact.TenantId))} = @tenant " +
               $"AND {C(nameof(Contact.Phone))} = @phone AND {C(nameof(Contact.DeletedAt))} IS NULL; " +
               $"INSERT INTO {checks.Table} ({N(nameof(Entity.Id))}, {N(nameof(NumberCheck.TenantId))}, {N(nameof(NumberCheck.WorkspaceId))}, " +
               $"{N(nameof(NumberCheck.Phone))}, {N(nameof(NumberCheck.Status))}, {N(nameof(NumberCheck.CheckedAt))}, {N(nameof(Entity.CreatedAt))}, {N(nameof(Entity.UpdatedAt))}) " +
               "VALUES (@id, @tenant, @workspace, @phone, @status, @at, @at, @at) " +
               $"ON CONFLICT ({N(nameof(NumberCheck.WorkspaceId))}, {N(nameof(NumberCheck.Phone))}) DO UPDATE SET {N(nameof(NumberCheck.Status))} = excluded.{N(nameof(NumberCheck.Status))}, " +
               $"{N(nameof(NumberCheck.CheckedAt))} = excluded.{N(nameof(NumberCheck.CheckedAt))}, {N(nameof(Entity.UpdatedAt))} = excluded.{N(nameof(Entity.UpdatedAt))};";
    }

    protected override string SentSql(ModelCommand<BroadcastRecipient> recipients, StoreNames<Broadcast> broadcasts, StoreNames<WorkspaceSendBudget> budgets)
    {
        string R(string property) => recipients.Column(property);
        string B(string property) => broadcasts.Column(property);
        string S(string property) => budgets.Column(property);
        return $"UPDATE {recipients.Table} SET {R(nameof(BroadcastRecipient.Status))} = @sent, " +
               $"{R(nameof(BroadcastRecipient.ExternalMessageId))} = @external, {R(nameof(BroadcastRecipient.SentAt))} = @at, {R(nameof(BroadcastRecipient.Error))} = NULL " +
               $"WHERE {R(nameof(Entity.Id))} = @recipient AND {R(nameof(BroadcastRecipient.TenantId))} = @tenant AND {R(nameof(BroadcastRecipient.Status))} = @sending; " +
               // changes(): the recipient's row above, so a recipient no longer Sending counts nothing.
               $"UPDATE {broadcasts.Table} SET {B(nameof(Broadcast.PendingCount))} = {B(nameof(Broadcast.PendingCount))} - 1, " +
               $"{B(nameof(Broadcast.SentCount))} = {B(nameof(Broadcast.SentCount))} + 1 " +
               $"WHERE changes() = 1 AND {B(nameof(Broadcast.TenantId))} = @tenant " +
               $"AND {B(nameof(Entity.Id))} = (SELECT {R(nameof(BroadcastRecipient.BroadcastId))} FROM {recipients.Table} WHERE {R(nameof(Entity.Id))} = @recipient); " +
               $"UPDATE {budgets.Table} SET {S(nameof(WorkspaceSendBudget.SentToday))} = @sentToday, {S(nameof(WorkspaceSendBudget.SentInBatch))} = @sentInBatch, " +
               $"{S(nameof(WorkspaceSendBudget.FailureStreak))} = @streak, {S(nameof(WorkspaceSendBudget.NextSendAt))} = @next, {S(nameof(Entity.UpdatedAt))} = @at " +
               $"WHERE {S(nameof(Entity.Id))} = @budget AND {S(nameof(WorkspaceSendBudget.TenantId))} = @tenant;";
    }
}
