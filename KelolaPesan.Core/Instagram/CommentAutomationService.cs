using FluentValidation;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Instagram;

public sealed record CommentAutomationView(
    Guid Id, string Name, bool IsActive, IReadOnlyList<string> MediaIds, IReadOnlyList<string> Keywords,
    Automation.KeywordMatchMode MatchMode, string PrivateReplyTemplate, string? PublicReplyTemplate, int Sent, int Queued, int Failed,
    bool AllComments = false);

/// <summary>
/// Comment-to-DM automations of a workspace. Pages call it in the signed-in tenant's scope, so another tenant's
/// automation or workspace id is not found.
/// </summary>
public sealed class CommentAutomationService(IKelolaDbFactory dbFactory, TimeProvider clock)
{
    private static readonly CommentAutomationInputValidator Validator = new();

    public async Task<IReadOnlyList<CommentAutomationView>> ListAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var rows = await db.CommentAutomations.AsNoTracking().Where(a => a.WorkspaceId == workspaceId)
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var counts = (await db.CommentReplies.AsNoTracking().Where(r => ids.Contains(r.AutomationId))
                .GroupBy(r => new { r.AutomationId, r.Status }).Select(g => new { g.Key.AutomationId, g.Key.Status, Count = g.Count() }).ToListAsync(ct))
            .ToDictionary(c => (c.AutomationId, c.Status), c => c.Count);
        int Count(Guid id, CommentReplyStatus status) => counts.GetValueOrDefault((id, status));
        return rows.Select(a => new CommentAutomationView(a.Id, a.Name, a.IsActive, CommentAutomationLists.Split(a.MediaIds).ToList(),
            CommentAutomationLists.Split(a.Keywords).ToList(), a.MatchMode, a.PrivateReplyTemplate, a.PublicReplyTemplate,
            Count(a.Id, CommentReplyStatus.Sent), Count(a.Id, CommentReplyStatus.Queued), Count(a.Id, CommentReplyStatus.Failed), a.AllComments)).ToList();
    }

    public async Task<CommentAutomationInput> GetAsync(Guid automationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var automation = await db.CommentAutomations.AsNoTracking().FirstOrDefaultAsync(a => a.Id == automationId, ct)
                         ?? throw new KeyNotFoundException("Automation not found.");
        return CommentAutomationInput.From(automation);
    }

    public async Task<Guid> CreateAsync(Guid workspaceId, CommentAutomationInput input, CancellationToken ct = default)
    {
        await Validator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateAsync(ct);
        var tenantId = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => (Guid?)w.TenantId).FirstOrDefaultAsync(ct)
                       ?? throw new KeyNotFoundException("Workspace not found.");
        var automation = new CommentAutomation { TenantId = tenantId, WorkspaceId = workspaceId };
        Apply(automation, input);
        db.CommentAutomations.Add(automation);
        await db.SaveChangesAsync(ct);
        return automation.Id;
    }

    public async Task UpdateAsync(Guid automationId, CommentAutomationInput input, CancellationToken ct = default)
    {
        await Validator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateAsync(ct);
        var automation = await db.CommentAutomations.FirstOrDefaultAsync(a => a.Id == automationId, ct)
                         ?? throw new KeyNotFoundException("Automation not found.");
        Apply(automation, input);
        await db.SaveChangesAsync(ct);
    }

    public async Task SetActiveAsync(Guid automationId, bool active, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (await db.CommentAutomations.Where(a => a.Id == automationId).ExecuteUpdateAsync(s => s.SetProperty(a => a.IsActive, active), ct) == 0)
            throw new KeyNotFoundException("Automation not found.");
    }

    /// <summary>Soft delete: the replies it sent stay in the comments history.</summary>
    public async Task DeleteAsync(Guid automationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var automation = await db.CommentAutomations.FirstOrDefaultAsync(a => a.Id == automationId, ct)
                         ?? throw new KeyNotFoundException("Automation not found.");
        automation.DeletedAt = clock.GetUtcNow();
        automation.IsActive = false;
        await db.SaveChangesAsync(ct);
    }

    private static void Apply(CommentAutomation automation, CommentAutomationInput input)
    {
        automation.Name = input.Name.Trim();
        automation.IsActive = input.IsActive;
        automation.MediaIds = CommentAutomationLists.Join(input.MediaIds);
        automation.AllComments = input.AllComments;
        automation.Keywords = input.AllComments ? "" : CommentAutomationLists.Join(input.Keywords);
        automation.MatchMode = input.MatchMode;
        automation.PrivateReplyTemplate = input.PrivateReplyTemplate.Trim();
        automation.PublicReplyTemplate = string.IsNullOrWhiteSpace(input.PublicReplyTemplate) ? null : input.PublicReplyTemplate.Trim();
    }
}
