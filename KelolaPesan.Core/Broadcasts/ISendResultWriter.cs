using KelolaPesan.Core.Contacts;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>
/// Where the provider has one (PostgreSQL, SQLite): what a send step learns, written by one prepared command each
/// instead of EF's statements one by one. Elsewhere (SQL Server) the dispatcher writes the same rows with EF.
/// </summary>
public interface ISendResultWriter
{
    /// <summary>
    /// A number check's answer with its date, on every contact of the workspace with that number and in the workspace's
    /// number cache (inserted or updated). Committed without waiting for the disk: a lost answer is asked again.
    /// </summary>
    Task RememberRegistrationAsync(Guid tenantId, Guid workspaceId, string phone, ValidationStatus status, DateTimeOffset checkedAt, CancellationToken ct);

    /// <summary>
    /// The recipient becomes Sent and its broadcast counts it, only while the recipient is still Sending (a run that
    /// stalled past a crash verdict finds it reconciled by another node); the budget is written either way. Idempotent:
    /// a retry after a lost answer counts nothing twice. The write may be committed without waiting for the disk: a lost
    /// result leaves the row Sending, which recovery reconciles from the chat history like any interrupted send.
    /// </summary>
    Task RecordSentAsync(SentResult result, CancellationToken ct);
}

public sealed record SentResult(Guid TenantId, Guid RecipientId, string ExternalId, DateTimeOffset SentAt, WorkspaceSendBudget Budget);
