using FluentValidation;
using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Broadcasts;

public sealed record BroadcastCreated(Guid? BroadcastId, IReadOnlyList<string> Errors, int Recipients = 0, int Skipped = 0, int DuplicatesRemoved = 0)
{
    public bool Succeeded => BroadcastId is not null;

    /// <summary>The same errors keyed by the request property they concern (the API's problem details name the field).</summary>
    public IReadOnlyDictionary<string, string[]> ErrorsByField { get; init; } = new Dictionary<string, string[]>();

    /// <summary>The workspace is not the tenant's (the API answers 404).</summary>
    public bool IsNotFound { get; init; }

    public static BroadcastCreated Fail(params string[] errors) => new(null, errors);

    public static BroadcastCreated FailOn(string field, string error) =>
        new(null, [error]) { ErrorsByField = new Dictionary<string, string[]> { [field] = [error] } };
}

public sealed record BroadcastAttachment(Guid Id, string FileName, string MimeType, long SizeBytes);

public sealed record PreviewSample(string Phone, string? Name, string Text, string? SkipReason);

public sealed record BroadcastPreview(IReadOnlyList<PreviewSample> Samples, int Recipients, int Skipped, int DuplicatesRemoved, IReadOnlyList<string> UnknownPlaceholders);

/// <summary>
/// Creates broadcasts (audience resolved, pacing clamped by policy, watermark fixed, recipients materialised with their
/// rendered text and idempotency key) and the manager's actions on them. Sending is <see cref="BroadcastDispatcher"/>'s.
/// </summary>
public sealed partial class BroadcastService(
    IKelolaDbFactory dbFactory,
    PolicyService policies,
    WatermarkService watermark,
    IBroadcastScheduler scheduler,
    IBulkInserter inserter,
    IAttachmentStore attachmentStore,
    IRealtimeBus bus,
    TimeProvider clock)
{
    private static readonly CreateBroadcastRequestValidator Validator = new();

    public async Task<BroadcastPreview?> PreviewAsync(CreateBroadcastRequest request, int samples = 3, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var ws = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == request.WorkspaceId, ct);
        if (ws is null)
            return null;
        var tenant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == ws.TenantId, ct);
        var audience = await BroadcastAudience.OpenAsync(db, ws.Id, tenant.PhoneRegion, request, ct);
        var footer = await FooterAsync(db, tenant, ct);
        // The whole audience is read to count it, holding only the samples.
        var tally = new AudienceTally();
        var sendable = new List<AudienceMember>(samples);
        var skippedSamples = new List<AudienceMember>(samples);
        await foreach (var m in audience.ReadAsync(db, tally, ct))
        {
            var into = m.SkipReason is null ? sendable : skippedSamples;
            if (into.Count < samples)
                into.Add(m);
        }
        var list = sendable.Concat(skippedSamples)
            .Select(m => new PreviewSample(m.Phone, m.Name, WatermarkService.Append(MessageTemplate.Render(request.MessageTemplate, m.Values, Random.Shared), footer), m.SkipReason))
            .ToList();
        return new BroadcastPreview(list, tally.Members - tally.Skipped, tally.Skipped, tally.DuplicatesRemoved,
            MessageTemplate.UnknownPlaceholders(request.MessageTemplate, audience.KnownKeys));
    }

    /// <summary>The upload limit for the workspace's tenant; null when the workspace is not the current tenant's.</summary>
    public async Task<long?> MaxAttachmentBytesAsync(Guid workspaceId, CancellationToken ct = default)
    {
        Guid? tenantId;
        await using (var db = await dbFactory.CreateAsync(ct))
            tenantId = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => (Guid?)w.TenantId).FirstOrDefaultAsync(ct);
        return tenantId is { } id ? await AttachmentUploads.MaxBytesAsync(policies, id, ct) : null;
    }

    /// <summary>
    /// Stores a file for a broadcast of the workspace through the inbox's upload path (policy limit, type from the bytes).
    /// Null when the workspace is not the tenant's; <see cref="AttachmentTooLargeException"/> past the limit.
    /// </summary>
    public async Task<BroadcastAttachment?> UploadAttachmentAsync(Guid workspaceId, Stream content, string? fileName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var ws = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId, ct);
        if (ws is null)
            return null;
        var (attachment, _) = await AttachmentUploads.StoreAsync(attachmentStore, ws.TenantId, ws.Id, content, fileName, await AttachmentUploads.MaxBytesAsync(policies, ws.TenantId, ct), ct);
        db.Attachments.Add(attachment);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            await attachmentStore.DeleteAsync(attachment.StorageKey, CancellationToken.None);
            throw;
        }
        return new BroadcastAttachment(attachment.Id, attachment.OriginalFileName, attachment.MimeType, attachment.SizeBytes);
    }

    public Task<BroadcastCreated> CreateAsync(CreateBroadcastRequest request, Guid? userId, CancellationToken ct = default) =>
        CreateAsync(request, userId, () => dbFactory.CreateAsync(ct), ct);

    /// <summary>
    /// Platform work (the admin broadcast): a broadcast in the given tenant's workspace, whoever the scope's user is.
    /// The caller is trusted to act for that tenant.
    /// </summary>
    public Task<BroadcastCreated> CreateInTenantAsync(Guid tenantId, CreateBroadcastRequest request, Guid? userId, CancellationToken ct = default) =>
        CreateAsync(request, userId, () => Task.FromResult(dbFactory.CreateForTenant(tenantId)), ct);

    private async Task<BroadcastCreated> CreateAsync(CreateBroadcastRequest request, Guid? userId, Func<Task<IKelolaDb>> open, CancellationToken ct)
    {
        request.Name = NulText.Name(request.Name) ?? "";
        var validation = await Validator.ValidateAsync(request, ct);
        if (!validation.IsValid)
            return new BroadcastCreated(null, validation.Errors.Select(e => e.ErrorMessage).ToList()) { ErrorsByField = validation.ToDictionary().AsReadOnly() };

        await using var db = await open();
        var ws = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == request.WorkspaceId, ct);
        if (ws is null)
            return BroadcastCreated.Fail(ProblemText.Get("NotFound")) with { IsNotFound = true };
        var tenant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == ws.TenantId, ct);
        if (request.AttachmentId is { } attachmentId && !await db.Attachments.AnyAsync(a => a.Id == attachmentId && a.WorkspaceId == ws.Id, ct))
            return BroadcastCreated.FailOn(nameof(request.AttachmentId), ProblemText.Get("Attachment_NotFound"));

        var now = clock.GetUtcNow();
        DateTimeOffset? scheduledAt = null;
        if (request.ScheduledLocal is { } local)
        {
            scheduledAt = BroadcastClock.ToUtc(local, tenant.TimeZone);
            if (scheduledAt < now.AddMinutes(-1))
                return BroadcastCreated.FailOn(nameof(request.ScheduledLocal), ProblemText.Get("Broadcast_ScheduleInPast"));
        }

        var policy = await policies.GetEffectiveAsync(ws.TenantId, ct);
        var pacing = PolicyService.ClampPacing(new BroadcastPacing(request.MinDelaySeconds, request.MaxDelaySeconds, request.BatchSize, request.BatchRestSeconds, request.DailyCap), policy);
        var audience = await BroadcastAudience.OpenAsync(db, ws.Id, tenant.PhoneRegion, request, ct);
        if (!await audience.AnyAsync(db, ct))
            return BroadcastCreated.FailOn(CreateBroadcastRequestValidator.AudienceField, ProblemText.Get("Broadcast_AudienceEmpty"));

        var broadcast = new Broadcast
        {
            TenantId = ws.TenantId, WorkspaceId = ws.Id, Name = request.Name.Trim(), MessageTemplate = request.MessageTemplate,
            AttachmentId = request.AttachmentId, AudienceJson = System.Text.Json.JsonSerializer.Serialize(new { request.ListIds, request.SegmentIds, request.LabelIds, Pasted = BroadcastAudience.SplitNumbers(request.PastedNumbers).Count() }),
            Status = scheduledAt is null ? BroadcastStatus.Running : BroadcastStatus.Scheduled,
            ScheduledAt = scheduledAt ?? now, StartedAt = scheduledAt is null ? now : null,
            MinDelaySeconds = pacing.MinDelaySeconds, MaxDelaySeconds = pacing.MaxDelaySeconds, BatchSize = pacing.BatchSize,
            BatchRestSeconds = pacing.BatchRestSeconds, DailyCap = pacing.DailyCap,
            // The window is the tenant's when it lies inside the policy's, else the policy's; the dispatcher checks both anyway.
            WindowStart = request.WindowStart ?? policy.SendWindowStart, WindowEnd = request.WindowEnd ?? policy.SendWindowEnd,
            WatermarkFooter = await FooterAsync(db, tenant, ct),
            CreatedByUserId = userId,
        };
        db.Broadcasts.Add(broadcast);
        await db.SaveChangesAsync(ct);

        var tally = await MaterialiseAsync(broadcast, audience, ct);
        await scheduler.WakeAsync(broadcast.TenantId, broadcast.WorkspaceId, broadcast.ScheduledAt ?? now, ct);
        await PublishAsync(broadcast.TenantId, broadcast.WorkspaceId, broadcast.Id);
        return new BroadcastCreated(broadcast.Id, [], tally.Members - tally.Skipped, tally.Skipped, tally.DuplicatesRemoved);
    }

    public async Task<IReadOnlyList<BroadcastSummary>> ListAsync(Guid? workspaceId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var rows = await db.Broadcasts.AsNoTracking().Where(b => b.SequenceStepId == null && (workspaceId == null || b.WorkspaceId == workspaceId))
            .Join(db.Workspaces, b => b.WorkspaceId, w => w.Id, (b, w) => new { b, w.Name }).ToListAsync(ct);
        // Newest send time first: scheduled ones by the time they go, the others by when they started.
        return rows.Select(r => BroadcastSummary.From(r.b, r.Name)).OrderByDescending(r => r.SendAt).ThenByDescending(r => r.CreatedAt).ToList();
    }

    public async Task<Broadcast?> GetAsync(Guid broadcastId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.Broadcasts.AsNoTracking().FirstOrDefaultAsync(b => b.Id == broadcastId, ct);
    }

    /// <summary>
    /// Counts per state straight from the rows (delivered and read move by acks, outside the dispatcher), with the
    /// recipients a cancel took out of the queue apart from the skipped ones: the page's numbers and the API's.
    /// </summary>
    public async Task<RecipientCounts> CountAsync(Guid broadcastId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var groups = await db.BroadcastRecipients.Where(r => r.BroadcastId == broadcastId)
            .GroupBy(r => new { r.Status, Cancelled = r.Status == RecipientStatus.Skipped && r.SkipReason == BroadcastAudience.ReasonCancelled })
            .Select(g => new { g.Key.Status, g.Key.Cancelled, Count = g.Count() }).ToListAsync(ct);
        return new RecipientCounts(
            groups.Where(g => !g.Cancelled).GroupBy(g => g.Status).ToDictionary(g => g.Key, g => g.Sum(x => x.Count)),
            groups.Where(g => g.Cancelled).Sum(g => g.Count));
    }

    public async Task<IReadOnlyList<BroadcastRecipient>> RecipientsAsync(Guid broadcastId, RecipientStatus? status, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.BroadcastRecipients.AsNoTracking().Where(r => r.BroadcastId == broadcastId && (status == null || r.Status == status))
            .OrderBy(r => r.Sequence).Skip(skip).Take(take).ToListAsync(ct);
    }

    /// <summary>The latest failures, newest first, for the broadcast page.</summary>
    public async Task<IReadOnlyList<BroadcastRecipient>> LatestErrorsAsync(Guid broadcastId, int take = 5, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.BroadcastRecipients.AsNoTracking().Where(r => r.BroadcastId == broadcastId && (r.Status == RecipientStatus.Failed || r.Status == RecipientStatus.Uncertain))
            .OrderByDescending(r => r.Sequence).Take(take).ToListAsync(ct);
    }

    /// <summary>Starts now: a scheduled broadcast runs at once, a paused one resumes. False when it is in neither state.</summary>
    public async Task<bool> StartAsync(Guid broadcastId, CancellationToken ct = default)
    {
        if (await ResumeAsync(broadcastId, ct))
            return true;
        await using var db = await dbFactory.CreateAsync(ct);
        var now = clock.GetUtcNow();
        if (await db.Broadcasts.Where(b => b.Id == broadcastId && b.Status == BroadcastStatus.Scheduled)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, BroadcastStatus.Running).SetProperty(b => b.ScheduledAt, now)
                    .SetProperty(b => b.StartedAt, now).SetProperty(b => b.StatusReason, (string?)null), ct) == 0)
            return false;
        await WakeAsync(broadcastId, recover: false, ct);
        return true;
    }

    /// <summary>The stored reason of a pause by a person (a problem code, shown in the reader's language).</summary>
    public const string PausedByManagerReason = "Broadcast_PausedByManager";

    public Task<bool> PauseAsync(Guid broadcastId, CancellationToken ct = default) => PauseAsync(broadcastId, (Guid?)null, ct);

    /// <summary>Paused by a person; <paramref name="byUserId"/> is named on the progress view when given.</summary>
    public Task<bool> PauseAsync(Guid broadcastId, Guid? byUserId, CancellationToken ct = default) =>
        MoveAsync(broadcastId, [BroadcastStatus.Running, BroadcastStatus.Scheduled], BroadcastStatus.Paused, PausedByManagerReason, ct, byUserId);

    /// <summary>The stored reason of a pause through the REST API: the code with the key's name, named on the progress view.</summary>
    public const string PausedByApiKeyReason = "Broadcast_PausedByApiKey";

    /// <summary>Paused by a client of the REST API; the key's name is kept with the reason, as a manager's pause keeps the user.</summary>
    public Task<bool> PauseAsync(Guid broadcastId, string apiKeyName, CancellationToken ct = default) =>
        MoveAsync(broadcastId, [BroadcastStatus.Running, BroadcastStatus.Scheduled], BroadcastStatus.Paused,
            ProblemText.Store(Problem.Of(PausedByApiKeyReason, apiKeyName)), ct);

    /// <summary>True for the stored reason of a pause by a person or an API client, which the outlook names instead.</summary>
    public static bool IsPauseByPersonReason(string? reason) =>
        reason == PausedByManagerReason || ProblemText.Parse(reason)?.Code == PausedByApiKeyReason;

    public async Task<bool> ResumeAsync(Guid broadcastId, CancellationToken ct = default)
    {
        var moved = await MoveAsync(broadcastId, [BroadcastStatus.Paused], BroadcastStatus.Running, null, ct);
        if (moved)
            await WakeAsync(broadcastId, recover: true, ct);
        return moved;
    }

    /// <summary>The stored reason of a cancel by a person: the code with their name, as they were called when they cancelled.</summary>
    public const string CancelledByReason = "Broadcast_CancelledBy";

    /// <summary>Cancelled by a person; <paramref name="byUserId"/> is named in the reason when given (as a pause names who paused).</summary>
    public async Task<bool> CancelAsync(Guid broadcastId, Guid? byUserId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var name = byUserId is { } userId ? await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) : null;
        var reason = string.IsNullOrWhiteSpace(name) ? "Broadcast_CancelledByManager" : ProblemText.Store(Problem.Of(CancelledByReason, name));
        if (!await MoveAsync(broadcastId, [BroadcastStatus.Running, BroadcastStatus.Scheduled, BroadcastStatus.Paused, BroadcastStatus.Draft], BroadcastStatus.Cancelled, reason, ct))
            return false;
        var skipped = await db.BroadcastRecipients.Where(r => r.BroadcastId == broadcastId && r.Status == RecipientStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecipientStatus.Skipped).SetProperty(r => r.SkipReason, BroadcastAudience.ReasonCancelled), ct);
        await db.Broadcasts.Where(b => b.Id == broadcastId).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.PendingCount, b => b.PendingCount - skipped).SetProperty(b => b.SkippedCount, b => b.SkippedCount + skipped)
            .SetProperty(b => b.CancelledCount, b => b.CancelledCount + skipped)
            .SetProperty(b => b.FinishedAt, clock.GetUtcNow()), ct);
        await PublishAsync(broadcastId, ct);
        return true;
    }

    /// <summary>Failed recipients go back to Pending and the broadcast runs again.</summary>
    public Task<int> RetryFailedAsync(Guid broadcastId, CancellationToken ct = default) =>
        RequeueAsync(broadcastId, RecipientStatus.Failed, ct);

    /// <summary>The manager's "resend anyway" for recipients the reconciliation could not settle: they may receive it twice.</summary>
    public Task<int> ResendUncertainAsync(Guid broadcastId, CancellationToken ct = default) =>
        RequeueAsync(broadcastId, RecipientStatus.Uncertain, ct);

    private async Task<int> RequeueAsync(Guid broadcastId, RecipientStatus from, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var broadcast = await db.Broadcasts.FirstOrDefaultAsync(b => b.Id == broadcastId, ct);
        if (broadcast is null || broadcast.Status == BroadcastStatus.Cancelled)
            return 0;
        var moved = await db.BroadcastRecipients.Where(r => r.BroadcastId == broadcastId && r.Status == from)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecipientStatus.Pending).SetProperty(r => r.Error, (string?)null), ct);
        if (moved == 0)
            return 0;
        var failed = from == RecipientStatus.Failed ? moved : 0;
        var uncertain = from == RecipientStatus.Uncertain ? moved : 0;
        await db.Broadcasts.Where(b => b.Id == broadcastId).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.PendingCount, b => b.PendingCount + moved)
            .SetProperty(b => b.FailedCount, b => b.FailedCount - failed)
            .SetProperty(b => b.UncertainCount, b => b.UncertainCount - uncertain)
            .SetProperty(b => b.Status, b => b.Status == BroadcastStatus.Completed ? BroadcastStatus.Running : b.Status)
            .SetProperty(b => b.FinishedAt, (DateTimeOffset?)null), ct);
        await WakeAsync(broadcastId, recover: false, ct);
        return moved;
    }

    private async Task<bool> MoveAsync(Guid broadcastId, BroadcastStatus[] from, BroadcastStatus to, string? reason, CancellationToken ct, Guid? byUserId = null)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var now = clock.GetUtcNow();
        var moved = await db.Broadcasts.Where(b => b.Id == broadcastId && from.Contains(b.Status)).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Status, to).SetProperty(b => b.StatusReason, reason)
            .SetProperty(b => b.PauseCause, to == BroadcastStatus.Paused ? BroadcastPauseCause.Person : BroadcastPauseCause.None)
            .SetProperty(b => b.PausedByUserId, to == BroadcastStatus.Paused ? byUserId : null)
            .SetProperty(b => b.StartedAt, b => to == BroadcastStatus.Running && b.StartedAt == null ? now : b.StartedAt), ct) == 1;
        if (moved)
            await PublishAsync(broadcastId, ct);
        return moved;
    }

    private async Task WakeAsync(Guid broadcastId, bool recover, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var b = await db.Broadcasts.AsNoTracking().Select(b => new { b.Id, b.TenantId, b.WorkspaceId }).FirstOrDefaultAsync(b => b.Id == broadcastId, ct);
        if (b is null)
            return;
        if (recover)
            await db.SendBudgets.Where(x => x.WorkspaceId == b.WorkspaceId).ExecuteUpdateAsync(s => s.SetProperty(x => x.NeedsRecovery, true), ct);
        await scheduler.WakeAsync(b.TenantId, b.WorkspaceId, clock.GetUtcNow(), ct);
        await PublishAsync(b.TenantId, b.WorkspaceId, b.Id);
    }

    private async Task PublishAsync(Guid broadcastId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (await db.Broadcasts.AsNoTracking().Where(b => b.Id == broadcastId).Select(b => new { b.TenantId, b.WorkspaceId }).FirstOrDefaultAsync(ct) is { } b)
            await PublishAsync(b.TenantId, b.WorkspaceId, broadcastId);
    }

    private async Task PublishAsync(Guid tenantId, Guid workspaceId, Guid broadcastId)
    {
        var evt = new BroadcastProgressChanged(tenantId, workspaceId, broadcastId);
        await bus.PublishAsync(Topics.Broadcast(broadcastId), evt);
        await bus.PublishAsync(BroadcastTopics.List(tenantId), evt);
    }

    private async Task<string?> FooterAsync(IKelolaDb db, Tenant tenant, CancellationToken ct)
    {
        var tier = await db.Licences.AsNoTracking().IgnoreQueryFilters([QueryFilters.Tenant]).Where(l => l.Id == tenant.LicenceId).Select(l => (PolicyTier?)l.Tier).FirstOrDefaultAsync(ct);
        return await watermark.FooterForAsync(tier ?? PolicyTier.Basic, ct);
    }
}

/// <summary>Recipients per state; <paramref name="Cancelled"/> (stored as skipped) is not among <paramref name="ByStatus"/>'s skipped: they were never sent because of the cancel.</summary>
public sealed record RecipientCounts(IReadOnlyDictionary<RecipientStatus, int> ByStatus, int Cancelled);

public sealed record BroadcastSummary(Guid Id, string Name, Guid WorkspaceId, string WorkspaceName, BroadcastStatus Status, string? StatusReason,
    DateTimeOffset? ScheduledAt, int Total, int Pending, int Sent, int Failed, int Skipped, int Uncertain, DateTimeOffset CreatedAt, int Cancelled = 0,
    DateTimeOffset? StartedAt = null)
{
    /// <summary>The same numbers as the progress view's, so the list, the card and the page agree on what is progress.</summary>
    public BroadcastTally Tally => new(Total, Pending, Sent, Failed, Skipped, Cancelled, Uncertain);

    /// <summary>When it goes out: its start once it started, until then the time it is scheduled for.</summary>
    public DateTimeOffset SendAt => StartedAt ?? ScheduledAt ?? CreatedAt;

    public static BroadcastSummary From(Broadcast b, string workspaceName) =>
        new(b.Id, b.Name, b.WorkspaceId, workspaceName, b.Status, b.StatusReason, b.ScheduledAt, b.TotalRecipients, b.PendingCount,
            b.SentCount + b.DeliveredCount + b.ReadCount, b.FailedCount, b.SkippedCount, b.UncertainCount, b.CreatedAt, b.CancelledCount, b.StartedAt);
}
