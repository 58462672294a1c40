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

    protected override string RegistrationSql(ModelCommand<NumberCheck> checks, StoreNames<Contact> contacts) =>
        $"{AsynchronousCommit}WITH validated AS ({ContactsValidated(contacts)}) {NumberCheckUpserted(checks)}";

    /// <summary>For this statement's transaction only: the commit returns before the log reaches the disk.</summary>
    private const string AsynchronousCommit = "SELECT set_config('synchronous_commit', 'off', true); ";

    protected override string SentSql(ModelCommand<BroadcastRecipient> recipients, StoreNames<Broadcast> broadcasts, StoreNames<WorkspaceSendBudget> budgets)
    {
        var broadcastId = recipients.Column(nameof(BroadcastRecipient.BroadcastId));
        return $"{AsynchronousCommit}WITH sent AS ({RecipientSent(recipients)} RETURNING {broadcastId}), " +
               $"counted AS ({BroadcastCounted(broadcasts, id => $"{id} IN (SELECT {broadcastId} FROM sent)")}) " +
               BudgetWritten(budgets);
    }
}
