using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Broadcasts;

public sealed record SequenceStepInput(int DelayDays, int DelayMinutes, TimeOnly? TimeOfDay, string MessageTemplate, Guid? AttachmentId = null);

public sealed record SequenceProgress(Guid ContactId, string ContactName, string Phone, EnrollmentStatus Status, int NextStepOrder, DateTimeOffset? NextRunAt, string? StopReason,
    SequenceEnrolSource Source = SequenceEnrolSource.None, string? SourceName = null);

/// <summary>
/// Drip sequences. Each step owns a carrier broadcast (never listed, never completing), so a due step becomes one
/// recipient row there and goes out through the workspace's paced queue with the same claim, crash safety and opt-out.
/// </summary>
public sealed partial class SequenceService(IKelolaDbFactory dbFactory, PolicyService policies, WatermarkService watermark, IBroadcastScheduler scheduler, IRealtimeBus bus, TimeProvider clock)
{
    public async Task<Guid?> CreateAsync(Guid workspaceId, string name, IReadOnlyList<SequenceStepInput> steps, Guid? enrolOnListId, bool stopOnReply = true, CancellationToken ct = default)
    {
        name = NulText.Name(name) ?? "";
        if (name.Length is 0 or > Sequence.NameMaxLength || steps.Count == 0 || steps.Any(s => string.IsNullOrWhiteSpace(s.MessageTemplate)
                || s.MessageTemplate.Length > Broadcast.MessageMaxLength || !MessageTemplate.HasBalancedBraces(s.MessageTemplate) || s.DelayDays < 0 || s.DelayMinutes < 0))
            return null;
        await using var db = await dbFactory.CreateAsync(ct);
        var ws = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId, ct);
        if (ws is null)
            return null;
        var (footer, policy) = await CarrierSettingsAsync(db, ws.TenantId, ct);
        var now = clock.GetUtcNow();
        var sequence = new Sequence { TenantId = ws.TenantId, WorkspaceId = ws.Id, Name = name, IsActive = true, EnrolOnListId = enrolOnListId, StopOnReply = stopOnReply };
        db.Sequences.Add(sequence);
        for (var i = 0; i < steps.Count; i++)
        {
            var step = new SequenceStep
            {
                TenantId = ws.TenantId, WorkspaceId = ws.Id, SequenceId = sequence.Id, Order = i, DelayDays = steps[i].DelayDays,
                DelayMinutes = steps[i].DelayMinutes, TimeOfDay = steps[i].TimeOfDay, MessageTemplate = steps[i].MessageTemplate,
                AttachmentId = steps[i].AttachmentId,
            };
            db.SequenceSteps.Add(step);
            db.Broadcasts.Add(Carrier(sequence, step, footer, policy, now));
        }
        await db.SaveChangesAsync(ct);
        return sequence.Id;
    }

    /// <summary>The watermark footer (by the licence) and the pacing (by the policy) a new carrier broadcast gets.</summary>
    private async Task<(string? Footer, PolicySettings Policy)> CarrierSettingsAsync(IKelolaDb db, Guid tenantId, CancellationToken ct)
    {
        var tenant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == tenantId, ct);
        var tier = await db.Licences.AsNoTracking().IgnoreQueryFilters([QueryFilters.Tenant]).Where(l => l.Id == tenant.LicenceId).Select(l => (PolicyTier?)l.Tier).FirstOrDefaultAsync(ct);
        return (await watermark.FooterForAsync(tier ?? PolicyTier.Basic, ct), await policies.GetEffectiveAsync(tenantId, ct));
    }

    /// <summary>The never-listed broadcast that carries one step's messages through the paced queue.</summary>
    private static Broadcast Carrier(Sequence sequence, SequenceStep step, string? footer, PolicySettings policy, DateTimeOffset now) => new()
    {
        TenantId = sequence.TenantId, WorkspaceId = sequence.WorkspaceId, Name = $"{sequence.Name} #{step.Order + 1}", MessageTemplate = step.MessageTemplate,
        AttachmentId = step.AttachmentId,
        Status = BroadcastStatus.Running, StartedAt = now, ScheduledAt = now, SequenceStepId = step.Id, WatermarkFooter = footer,
        MinDelaySeconds = policy.MinDelaySeconds, MaxDelaySeconds = policy.MaxDelaySeconds, BatchSize = policy.BatchSize,
        BatchRestSeconds = policy.BatchRestSeconds, DailyCap = policy.DailyCapPerWorkspace, WindowStart = policy.SendWindowStart, WindowEnd = policy.SendWindowEnd,
    };

    public async Task<IReadOnlyList<Sequence>> ListAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.Sequences.AsNoTracking().Where(s => s.WorkspaceId == workspaceId).OrderBy(s => s.Name).ToListAsync(ct);
    }

    /// <summary>Enrols contacts by hand (once each); their first step is due per its delay from now.</summary>
    public Task<int> EnrolAsync(Guid sequenceId, IEnumerable<Guid> contactIds, CancellationToken ct = default) =>
        EnrolAsync(sequenceId, contactIds, SequenceEnrolSource.None, null, ct);

    private async Task<int> EnrolAsync(Guid sequenceId, IEnumerable<Guid> contactIds, SequenceEnrolSource source, Guid? sourceId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var sequence = await db.Sequences.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sequenceId, ct);
        if (sequence is null)
            return 0;
        var added = await EnrolAsync(db, sequence, contactIds.ToList(), source, sourceId, ct);
        await scheduler.WakeAsync(sequence.TenantId, sequence.WorkspaceId, clock.GetUtcNow(), ct);
        return added;
    }

    /// <summary>Enrols the list's members once; each enrolment remembers the list it came from.</summary>
    public async Task<int> EnrolListAsync(Guid sequenceId, Guid listId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await EnrolAsync(sequenceId, await db.ContactListMembers.Where(m => m.ContactListId == listId).Select(m => m.ContactId).ToListAsync(ct),
            SequenceEnrolSource.List, listId, ct);
    }

    /// <summary>Enrols the segment's contacts as of now, once; each enrolment remembers the segment it came from.</summary>
    public async Task<int> EnrolSegmentAsync(Guid sequenceId, Guid segmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var segment = await db.Segments.AsNoTracking().FirstOrDefaultAsync(s => s.Id == segmentId, ct);
        if (segment is null)
            return 0;
        return await EnrolAsync(sequenceId, await (await SegmentService.QueryContacts(db, segment, ct)).Select(c => c.Id).ToListAsync(ct),
            SequenceEnrolSource.Segment, segmentId, ct);
    }

    public async Task<IReadOnlyList<SequenceProgress>> ProgressAsync(Guid sequenceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var rows = await db.SequenceEnrollments.AsNoTracking().Where(e => e.SequenceId == sequenceId)
            .Join(db.Contacts, e => e.ContactId, c => c.Id, (e, c) => new { e, c.Name, c.Phone }).ToListAsync(ct);
        var sourceIds = rows.Where(r => r.e.SourceId != null).Select(r => r.e.SourceId!.Value).Distinct().ToList();
        var names = await db.ContactLists.Where(l => sourceIds.Contains(l.Id)).Select(l => new { l.Id, l.Name })
            .Concat(db.Segments.Where(s => sourceIds.Contains(s.Id)).Select(s => new { s.Id, s.Name })).ToDictionaryAsync(x => x.Id, x => x.Name, ct);
        return rows.OrderBy(r => r.Name).Select(r => new SequenceProgress(r.e.ContactId, r.Name, r.Phone, r.e.Status, r.e.NextStepOrder, r.e.NextRunAt, r.e.StopReason,
            r.e.Source, r.e.SourceId is { } id ? names.GetValueOrDefault(id) : null)).ToList();
    }

    /// <summary>
    /// Called by the workspace's dispatcher on each run: enrols new members of "enrol on join" lists and turns every due
    /// step into a recipient of its carrier broadcast (idempotent by key). Returns when the next step falls due.
    /// </summary>
    public async Task<DateTimeOffset?> MaterialiseDueAsync(Guid tenantId, Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateForTenant(tenantId);
        var sequences = await db.Sequences.AsNoTracking().Where(s => s.WorkspaceId == workspaceId && s.IsActive).ToListAsync(ct);
        if (sequences.Count == 0)
            return null;
        foreach (var s in sequences.Where(s => s.EnrolOnListId != null))
        {
            var joined = await db.ContactListMembers.Where(m => m.ContactListId == s.EnrolOnListId && m.CreatedAt >= s.CreatedAt
                    && !db.SequenceEnrollments.Any(e => e.SequenceId == s.Id && e.ContactId == m.ContactId))
                .Select(m => m.ContactId).ToListAsync(ct);
            if (joined.Count > 0)
                await EnrolAsync(db, s, joined, SequenceEnrolSource.JoinsList, s.EnrolOnListId, ct);
        }

        var now = clock.GetUtcNow();
        var zone = BroadcastClock.Zone(await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.TimeZone).FirstOrDefaultAsync(ct));
        var ids = sequences.Select(s => s.Id).ToList();
        var due = await db.SequenceEnrollments.Where(e => ids.Contains(e.SequenceId) && e.Status == EnrollmentStatus.Active && e.NextRunAt <= now).Take(500).ToListAsync(ct);
        var moved = due.Select(e => e.SequenceId).ToHashSet();
        foreach (var e in due)
        {
            var steps = await db.SequenceSteps.AsNoTracking().Where(x => x.SequenceId == e.SequenceId).OrderBy(x => x.Order).ToListAsync(ct);
            var step = steps.FirstOrDefault(x => x.Order == e.NextStepOrder);
            var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == e.ContactId, ct);
            if (step is null || contact is null)
            {
                e.Status = step is null ? EnrollmentStatus.Completed : EnrollmentStatus.Stopped;
                e.StopReason = contact is null ? "Contact deleted" : null;
                e.NextRunAt = null;
                continue;
            }
            var carrier = await db.Broadcasts.AsNoTracking().Where(b => b.SequenceStepId == step.Id).Select(b => new { b.Id, b.WatermarkFooter }).FirstAsync(ct);
            var key = $"s:{e.Id}:{step.Order}";
            if (!await db.BroadcastRecipients.AnyAsync(r => r.IdempotencyKey == key, ct))
            {
                var values = await ValuesAsync(db, contact, ct);
                var skip = contact.OptedOut ? BroadcastAudience.ReasonOptedOut : null;
                db.BroadcastRecipients.Add(new BroadcastRecipient
                {
                    TenantId = tenantId, WorkspaceId = workspaceId, BroadcastId = carrier.Id, ContactId = contact.Id, Phone = contact.Phone, Name = contact.Name,
                    RenderedText = WatermarkService.Append(MessageTemplate.Render(step.MessageTemplate, values, new Random(BroadcastService.StableSeed(key))), carrier.WatermarkFooter),
                    IdempotencyKey = key, Sequence = (int)Math.Min(int.MaxValue, now.ToUnixTimeSeconds()),
                    Status = skip is null ? RecipientStatus.Pending : RecipientStatus.Skipped, SkipReason = skip,
                });
                await db.Broadcasts.Where(b => b.Id == carrier.Id).ExecuteUpdateAsync(u => u
                    .SetProperty(b => b.TotalRecipients, b => b.TotalRecipients + 1)
                    .SetProperty(b => b.PendingCount, b => b.PendingCount + (skip == null ? 1 : 0))
                    .SetProperty(b => b.SkippedCount, b => b.SkippedCount + (skip == null ? 0 : 1)), ct);
            }
            var following = steps.FirstOrDefault(x => x.Order > step.Order);
            e.NextStepOrder = following?.Order ?? step.Order + 1;
            e.NextRunAt = following is null ? null : DueAt(following, e.EnrolledAt, now, zone);
            if (following is null)
                e.Status = EnrollmentStatus.Completed;
        }
        await db.SaveChangesAsync(ct);
        foreach (var sequenceId in moved)
            await PublishAsync(tenantId, sequenceId);
        var next = await db.SequenceEnrollments.Where(e => ids.Contains(e.SequenceId) && e.Status == EnrollmentStatus.Active && e.NextRunAt != null)
            .Select(e => e.NextRunAt).ToListAsync(ct);
        return next.Min();
    }

    /// <summary>Stops the contact's active enrolments (all of them on opt-out; those that stop on reply otherwise) and skips its queued steps.</summary>
    /// <returns>The sequences whose enrolment stopped (their progress pages are told).</returns>
    public static async Task<IReadOnlyList<Guid>> StopForContactAsync(IKelolaDb db, Guid contactId, string reason, bool stopOnReplyOnly, CancellationToken ct)
    {
        var enrolments = await db.SequenceEnrollments.Where(e => e.ContactId == contactId && e.Status == EnrollmentStatus.Active
                && (!stopOnReplyOnly || db.Sequences.Any(s => s.Id == e.SequenceId && s.StopOnReply))).ToListAsync(ct);
        if (enrolments.Count == 0)
            return [];
        foreach (var e in enrolments)
        {
            e.Status = EnrollmentStatus.Stopped;
            e.StopReason = reason;
            e.NextRunAt = null;
        }
        await db.SaveChangesAsync(ct);
        var sequenceIds = enrolments.Select(e => e.SequenceId).ToList();
        var carriers = await db.Broadcasts.Where(b => b.SequenceStepId != null && db.SequenceSteps.Any(s => s.Id == b.SequenceStepId && sequenceIds.Contains(s.SequenceId)))
            .Select(b => b.Id).ToListAsync(ct);
        foreach (var carrier in carriers)
        {
            var skipped = await db.BroadcastRecipients.Where(r => r.BroadcastId == carrier && r.ContactId == contactId && r.Status == RecipientStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecipientStatus.Skipped).SetProperty(r => r.SkipReason, reason), ct);
            if (skipped > 0)
                await db.Broadcasts.Where(b => b.Id == carrier).ExecuteUpdateAsync(s => s
                    .SetProperty(b => b.PendingCount, b => b.PendingCount - skipped).SetProperty(b => b.SkippedCount, b => b.SkippedCount + skipped), ct);
        }
        return sequenceIds.Distinct().ToList();
    }

    /// <summary>Day N at the step's time of day (local), or N days and M minutes after enrolment; never before now.</summary>
    public static DateTimeOffset DueAt(SequenceStep step, DateTimeOffset enrolledAt, DateTimeOffset now, TimeZoneInfo zone)
    {
        DateTimeOffset due;
        if (step.TimeOfDay is { } at)
        {
            var local = BroadcastClock.ToLocal(enrolledAt, zone).Date.AddDays(step.DelayDays) + at.ToTimeSpan();
            due = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        }
        else
        {
            due = enrolledAt.AddDays(step.DelayDays).AddMinutes(step.DelayMinutes);
        }
        return due < now ? now : due;
    }

    private async Task<int> EnrolAsync(IKelolaDb db, Sequence sequence, IReadOnlyList<Guid> contactIds, SequenceEnrolSource source, Guid? sourceId, CancellationToken ct)
    {
        var already = (await db.SequenceEnrollments.Where(e => e.SequenceId == sequence.Id).Select(e => e.ContactId).ToListAsync(ct)).ToHashSet();
        var first = await db.SequenceSteps.AsNoTracking().Where(s => s.SequenceId == sequence.Id).OrderBy(s => s.Order).FirstOrDefaultAsync(ct);
        if (first is null)
            return 0;
        var zone = BroadcastClock.Zone(await db.Tenants.AsNoTracking().Where(t => t.Id == sequence.TenantId).Select(t => t.TimeZone).FirstOrDefaultAsync(ct));
        var now = clock.GetUtcNow();
        var added = 0;
        foreach (var id in contactIds.Distinct().Where(id => !already.Contains(id)))
        {
            db.SequenceEnrollments.Add(new SequenceEnrollment
            {
                TenantId = sequence.TenantId, WorkspaceId = sequence.WorkspaceId, SequenceId = sequence.Id, ContactId = id,
                EnrolledAt = now, NextStepOrder = first.Order, NextRunAt = DueAt(first, now, now, zone), Status = EnrollmentStatus.Active,
                Source = source, SourceId = sourceId,
            });
            added++;
        }
        await db.SaveChangesAsync(ct);
        if (added > 0)
            await PublishAsync(sequence.TenantId, sequence.Id);
        return added;
    }

    private Task PublishAsync(Guid tenantId, Guid sequenceId) =>
        bus.PublishAsync(BroadcastTopics.Sequence(sequenceId), new SequenceProgressChanged(tenantId, sequenceId));

    private static async Task<Dictionary<string, string?>> ValuesAsync(IKelolaDb db, Contact contact, CancellationToken ct)
    {
        var fields = await db.ContactFieldValues.AsNoTracking().Where(v => v.ContactId == contact.Id)
            .Join(db.CustomFields, v => v.FieldId, f => f.Id, (v, f) => new { f.Key, v.Value }).ToListAsync(ct);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in await db.CustomFields.Select(f => f.Key).ToListAsync(ct))
            values[key] = null;
        foreach (var f in fields)
            values[f.Key] = f.Value;
        values[MessageTemplate.NameKey] = contact.Name;
        values[MessageTemplate.PhoneKey] = contact.Phone;
        return values;
    }
}
