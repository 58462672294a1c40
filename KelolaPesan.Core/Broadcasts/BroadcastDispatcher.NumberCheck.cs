using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>
/// No send to a number that is not on WhatsApp: just before its send, a recipient whose number was never checked, or was
/// checked longer ago than the policy allows, is checked at the gateway (docs/adr/0013). The answer is kept with its date on
/// the workspace's contacts of that number and in the workspace's <see cref="NumberCheck"/> cache (pasted numbers).
/// </summary>
public sealed partial class BroadcastDispatcher
{
    /// <summary>The least time between two checks that did not end in a send (a run of numbers not on WhatsApp), as the validation job pauses.</summary>
    public static readonly TimeSpan NumberCheckGap = NumberValidationService.DefaultPause;

    internal sealed record KnownRegistration(ValidationStatus Status, DateTimeOffset CheckedAt);

    /// <summary>The newest stored answer for each candidate of a page, from its contact and the cache: two queries per page.</summary>
    private static async Task<List<Candidate>> WithKnownRegistrationAsync(IKelolaDb db, DispatchContext context, List<Candidate> page, CancellationToken ct)
    {
        var phones = page.Select(c => c.Phone).Distinct().ToList();
        var cached = (await db.NumberChecks.AsNoTracking().Where(n => n.WorkspaceId == context.WorkspaceId && phones.Contains(n.Phone))
                .Select(n => new { n.Phone, n.Status, n.CheckedAt }).ToListAsync(ct))
            .ToDictionary(n => n.Phone, n => new KnownRegistration(n.Status, n.CheckedAt));
        var contactIds = page.Where(c => c.ContactId != null).Select(c => c.ContactId!.Value).Distinct().ToList();
        var onContacts = contactIds.Count == 0 ? [] : (await db.Contacts.AsNoTracking()
                .Where(c => contactIds.Contains(c.Id) && c.LastValidationStatus != null && c.LastValidatedAt != null)
                .Select(c => new { c.Id, c.LastValidationStatus, c.LastValidatedAt }).ToListAsync(ct))
            .ToDictionary(c => c.Id, c => new KnownRegistration(c.LastValidationStatus!.Value, c.LastValidatedAt!.Value));
        return page.Select(c =>
        {
            var fromCache = cached.GetValueOrDefault(c.Phone);
            var fromContact = c.ContactId is { } id ? onContacts.GetValueOrDefault(id) : null;
            var newest = fromCache is null ? fromContact : fromContact is null || fromCache.CheckedAt >= fromContact.CheckedAt ? fromCache : fromContact;
            return c with { Known = newest };
        }).ToList();
    }

    /// <summary>
    /// Null: send now. Otherwise the claimed recipient is not sent in this step: skipped (not on WhatsApp), or back to
    /// Pending because the check itself could not be made (the queue backs off or pauses as it would for a send).
    /// A check sends nothing, so every way out of it is safe to repeat.
    /// </summary>
    private async Task<StepResult?> CheckRegistrationAsync(IKelolaDb db, DispatchContext context, WorkspaceSendBudget budget, Guid broadcastId,
        Claimed claim, DateTimeOffset now, HashSet<Guid> touched, CancellationToken ct)
    {
        var fresh = claim.Known is { Status: ValidationStatus.Registered or ValidationStatus.NotRegistered } known
                    && known.CheckedAt > now - TimeSpan.FromDays(Math.Max(1, context.Policy.NumberCheckMaxAgeDays));
        ValidationStatus status;
        if (fresh)
        {
            status = claim.Known!.Status;
        }
        else
        {
            try
            {
                var check = await gateway.CheckNumberAsync(context.Session ?? "", claim.Phone, ct);
                status = check.Registration == NumberRegistration.Registered ? ValidationStatus.Registered : ValidationStatus.NotRegistered;
            }
            catch (GatewayException ex) when (IsSessionDown(ex))
            {
                await BackToPendingAsync(db, claim.Id, broadcastId, ex.Message, ct);
                await PauseAllAsync(db, context, $"{DisconnectedReason} ({ex.Message})", touched, ct);
                return new StepResult(null);
            }
            catch (GatewayException ex) when (ex.IsTransient)
            {
                // Throttled, an error answer or no answer: no message went out, the recipient waits for the next attempt.
                await BackToPendingAsync(db, claim.Id, broadcastId, ex.Message, ct);
                return new StepResult(await BackOffAsync(db, budget, (ex as GatewayThrottledException)?.RetryAfter, now, ct));
            }
            catch (GatewayException ex)
            {
                // The gateway refuses to answer for this number (not a throttle, not an outage): the send itself decides.
                logger.LogWarning("Number check of recipient {RecipientId} refused: {Error}", claim.Id, ex.Message);
                return null;
            }
            await RememberRegistrationAsync(db, context, claim.Phone, status, now, ct);
        }
        if (status != ValidationStatus.NotRegistered)
            return null;

        if (await db.BroadcastRecipients.Where(r => r.Id == claim.Id && r.Status == RecipientStatus.Sending).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RecipientStatus.Skipped).SetProperty(r => r.SkipReason, BroadcastAudience.ReasonNotRegistered), ct) == 1)
            await CountAsync(db, broadcastId, pending: -1, skipped: 1, ct: ct);
        if (fresh)
            return new StepResult(now, Skipped: true);
        // A skip spends no pacing, but the next check waits a moment: a list of dead numbers must not become a burst of checks.
        if (budget.NextSendAt is null || budget.NextSendAt < now + NumberCheckGap)
        {
            budget.NextSendAt = now + NumberCheckGap;
            await db.SaveChangesAsync(ct);
        }
        return new StepResult(budget.NextSendAt, Skipped: true);
    }

    /// <summary>
    /// The gateway's answer with its date: on every contact of the workspace with that number, and in the number cache.
    /// On SQLite in the send's write turn (docs/adr/0033), the two updates in one commit: outside it, these writes met the
    /// webhook batches' transactions in SQLite's busy handler (1.3-1.8 ms a statement on average at 500 paced
    /// workspaces, up to half a second) between the claim and the send.
    /// </summary>
    private async Task RememberRegistrationAsync(IKelolaDb db, DispatchContext context, string phone, ValidationStatus status, DateTimeOffset now, CancellationToken ct)
    {
        using var turn = await WriteTurnAsync(db, ct);
        if (db.SendResults is { } writer)
        {
            await writer.RememberRegistrationAsync(context.TenantId, context.WorkspaceId, phone, status, now, ct);
            return;
        }
        var cached = await db.InTransactionAsync(async ct =>
        {
            await db.Contacts.Where(c => c.WorkspaceId == context.WorkspaceId && c.Phone == phone)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastValidationStatus, status).SetProperty(c => c.LastValidatedAt, now), ct);
            return await db.NumberChecks.Where(n => n.WorkspaceId == context.WorkspaceId && n.Phone == phone)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, status).SetProperty(n => n.CheckedAt, now), ct) > 0;
        }, ct);
        if (cached)
            return;
        // A context of its own: a clash with a concurrent insert must not leave a failed row in the run's tracker.
        await using var own = dbFactory.CreateForTenant(context.TenantId);
        own.NumberChecks.Add(new NumberCheck { TenantId = context.TenantId, WorkspaceId = context.WorkspaceId, Phone = phone, Status = status, CheckedAt = now });
        try
        {
            await own.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The validation job or another node wrote the same number meanwhile: its answer is as good as this one.
        }
    }
}
