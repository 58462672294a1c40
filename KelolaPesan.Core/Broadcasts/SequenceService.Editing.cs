using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Broadcasts;

public sealed record SequenceSummary(Guid Id, string Name, Guid WorkspaceId, string WorkspaceName, bool IsActive, int Steps, int Active, int Completed, int Stopped);

public sealed record SequenceSaved(Guid? SequenceId, IReadOnlyList<string> Errors, int Enrolled = 0)
{
    public bool Succeeded => SequenceId is not null;
    public static SequenceSaved Fail(params string[] errors) => new(null, errors);
}

/// <summary>The sequence editor's operations: list, load, save (create or change) and switch on or off.</summary>
public sealed partial class SequenceService
{
    public const string FeatureOff = "Sequence_FeatureOff";
    private static readonly SequenceRequestValidator Validator = new();

    /// <summary>The tenant's sequences with their enrolment counts by state.</summary>
    public async Task<IReadOnlyList<SequenceSummary>> ListAllAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.Sequences.AsNoTracking().OrderBy(s => s.Name)
            .Select(s => new SequenceSummary(s.Id, s.Name, s.WorkspaceId,
                db.Workspaces.Where(w => w.Id == s.WorkspaceId).Select(w => w.Name).FirstOrDefault() ?? "", s.IsActive,
                db.SequenceSteps.Count(x => x.SequenceId == s.Id),
                db.SequenceEnrollments.Count(e => e.SequenceId == s.Id && e.Status == EnrollmentStatus.Active),
                db.SequenceEnrollments.Count(e => e.SequenceId == s.Id && e.Status == EnrollmentStatus.Completed),
                db.SequenceEnrollments.Count(e => e.SequenceId == s.Id && e.Status == EnrollmentStatus.Stopped)))
            .ToListAsync(ct);
    }

    /// <summary>The sequence as the editor shows it; null for an unknown id or another tenant's.</summary>
    public async Task<SequenceRequest?> GetAsync(Guid sequenceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var sequence = await db.Sequences.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sequenceId, ct);
        if (sequence is null)
            return null;
        var steps = await db.SequenceSteps.AsNoTracking().Where(s => s.SequenceId == sequenceId).OrderBy(s => s.Order).ToListAsync(ct);
        var attachmentIds = steps.Where(s => s.AttachmentId != null).Select(s => s.AttachmentId!.Value).ToList();
        var files = await db.Attachments.AsNoTracking().Where(a => attachmentIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.OriginalFileName, ct);
        // Sequences saved before the source was stored know only the "joins a list" list.
        var (source, sourceId) = sequence.EnrolSource != SequenceEnrolSource.None ? (sequence.EnrolSource, sequence.EnrolSourceId)
            : sequence.EnrolOnListId is null ? (SequenceEnrolSource.None, null) : (SequenceEnrolSource.JoinsList, sequence.EnrolOnListId);
        return new SequenceRequest
        {
            Name = sequence.Name, WorkspaceId = sequence.WorkspaceId, StopOnReply = sequence.StopOnReply, IsActive = sequence.IsActive,
            EnrolSource = source, EnrolSourceId = sourceId,
            Steps = steps.Select(s => new SequenceStepRequest
            {
                DelayDays = s.DelayDays, DelayMinutes = s.DelayMinutes, TimeOfDay = s.TimeOfDay, MessageTemplate = s.MessageTemplate,
                AttachmentId = s.AttachmentId, AttachmentName = s.AttachmentId is { } a ? files.GetValueOrDefault(a) : null,
            }).ToList(),
        };
    }

    /// <summary>
    /// Creates (<paramref name="sequenceId"/> null) or changes a sequence. Changed steps apply to messages not yet queued;
    /// removed steps end the enrolments waiting for them. A list or segment source enrols its contacts now (once each).
    /// </summary>
    public async Task<SequenceSaved> SaveAsync(Guid? sequenceId, SequenceRequest request, CancellationToken ct = default)
    {
        var validation = await Validator.ValidateAsync(request, ct);
        if (!validation.IsValid)
            return new SequenceSaved(null, validation.Errors.Select(e => e.ErrorMessage).Distinct().ToList());

        Sequence? sequence;
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var tenantId = await db.Workspaces.Where(w => w.Id == request.WorkspaceId).Select(w => (Guid?)w.TenantId).FirstOrDefaultAsync(ct);
            if (tenantId is null)
                return SequenceSaved.Fail(ProblemText.Get("NotFound"));
            if (!await policies.IsFeatureEnabledAsync(tenantId.Value, LicenceFeatures.Sequences, ct))
                return SequenceSaved.Fail(ProblemText.Get(FeatureOff));
            if (request.EnrolSourceId is { } sourceId && !(request.EnrolSource == SequenceEnrolSource.Segment
                    ? await db.Segments.AnyAsync(s => s.Id == sourceId && s.WorkspaceId == request.WorkspaceId, ct)
                    : await db.ContactLists.AnyAsync(l => l.Id == sourceId && l.WorkspaceId == request.WorkspaceId, ct)))
                return SequenceSaved.Fail(ProblemText.Get("Sequence_SourceNotFound"));
            var attachmentIds = request.Steps.Where(s => s.AttachmentId != null).Select(s => s.AttachmentId!.Value).Distinct().ToList();
            if (attachmentIds.Count > 0 && await db.Attachments.CountAsync(a => attachmentIds.Contains(a.Id) && a.WorkspaceId == request.WorkspaceId, ct) != attachmentIds.Count)
                return SequenceSaved.Fail(ProblemText.Get("Attachment_NotFound"));
        }

        var joinsList = request.EnrolSource == SequenceEnrolSource.JoinsList ? request.EnrolSourceId : null;
        if (sequenceId is null)
        {
            var created = await CreateAsync(request.WorkspaceId, request.Name, request.Steps.Select(s => s.ToInput()).ToList(), joinsList, request.StopOnReply, ct);
            if (created is null)
                return SequenceSaved.Fail(ProblemText.Get("NotFound"));
            sequenceId = created;
        }
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            sequence = await db.Sequences.FirstOrDefaultAsync(s => s.Id == sequenceId, ct);
            if (sequence is null)
                return SequenceSaved.Fail(ProblemText.Get("NotFound"));
            if (sequence.WorkspaceId != request.WorkspaceId)
                return SequenceSaved.Fail(ProblemText.Get("Sequence_WorkspaceFixed"));
            sequence.Name = request.Name.Trim();
            sequence.StopOnReply = request.StopOnReply;
            sequence.IsActive = request.IsActive;
            sequence.EnrolOnListId = joinsList;
            sequence.EnrolSource = request.EnrolSource;
            sequence.EnrolSourceId = request.EnrolSource == SequenceEnrolSource.None ? null : request.EnrolSourceId;
            await ApplyStepsAsync(db, sequence, request.Steps, ct);
            await db.SaveChangesAsync(ct);
        }
        // Removed steps may have completed enrolments.
        await PublishAsync(sequence.TenantId, sequence.Id);

        var enrolled = request.EnrolSource switch
        {
            SequenceEnrolSource.List => await EnrolListAsync(sequence.Id, request.EnrolSourceId!.Value, ct),
            SequenceEnrolSource.Segment => await EnrolSegmentAsync(sequence.Id, request.EnrolSourceId!.Value, ct),
            _ => 0,
        };
        if (sequence.IsActive)
            await scheduler.WakeAsync(sequence.TenantId, sequence.WorkspaceId, clock.GetUtcNow(), ct);
        return new SequenceSaved(sequence.Id, [], enrolled);
    }

    /// <summary>Switches a sequence on or off; off, due steps wait (nothing is lost) until it is on again.</summary>
    public async Task<bool> SetActiveAsync(Guid sequenceId, bool active, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var sequence = await db.Sequences.FirstOrDefaultAsync(s => s.Id == sequenceId, ct);
        if (sequence is null)
            return false;
        sequence.IsActive = active;
        await db.SaveChangesAsync(ct);
        if (active)
            await scheduler.WakeAsync(sequence.TenantId, sequence.WorkspaceId, clock.GetUtcNow(), ct);
        return true;
    }

    // Steps keep their order numbers (enrolments point at them); each step's carrier broadcast follows its text.
    private async Task ApplyStepsAsync(IKelolaDb db, Sequence sequence, IReadOnlyList<SequenceStepRequest> wanted, CancellationToken ct)
    {
        var steps = await db.SequenceSteps.Where(s => s.SequenceId == sequence.Id).OrderBy(s => s.Order).ToListAsync(ct);
        var stepIds = steps.Select(s => (Guid?)s.Id).ToList();
        var carriers = await db.Broadcasts.Where(b => stepIds.Contains(b.SequenceStepId)).ToListAsync(ct);
        (string? Footer, Admin.PolicySettings Policy)? settings = null;
        var now = clock.GetUtcNow();
        for (var i = 0; i < wanted.Count; i++)
        {
            var input = wanted[i].ToInput();
            var step = steps.FirstOrDefault(s => s.Order == i);
            if (step is null)
            {
                step = new SequenceStep { TenantId = sequence.TenantId, WorkspaceId = sequence.WorkspaceId, SequenceId = sequence.Id, Order = i };
                db.SequenceSteps.Add(step);
                settings ??= await CarrierSettingsAsync(db, sequence.TenantId, ct);
                carriers.Add(db.Broadcasts.Add(Carrier(sequence, step, settings.Value.Footer, settings.Value.Policy, now)).Entity);
            }
            (step.DelayDays, step.DelayMinutes, step.TimeOfDay, step.MessageTemplate, step.AttachmentId) =
                (input.DelayDays, input.DelayMinutes, input.TimeOfDay, input.MessageTemplate, input.AttachmentId);
            // The carrier sends the file with every message it sends from now on (queued ones too), the step text as caption.
            foreach (var carrier in carriers.Where(c => c.SequenceStepId == step.Id))
                (carrier.Name, carrier.MessageTemplate, carrier.AttachmentId) = ($"{sequence.Name} #{i + 1}", step.MessageTemplate, step.AttachmentId);
        }
        var removed = steps.Where(s => s.Order >= wanted.Count).ToList();
        db.SequenceSteps.RemoveRange(removed);
        foreach (var e in await db.SequenceEnrollments.Where(e => e.SequenceId == sequence.Id && e.Status == EnrollmentStatus.Active && e.NextStepOrder >= wanted.Count).ToListAsync(ct))
            (e.Status, e.NextRunAt) = (EnrollmentStatus.Completed, null);
    }
}
