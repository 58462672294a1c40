using FluentValidation;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Inbox;

public sealed record QuickReplyView(Guid Id, Guid WorkspaceId, string Shortcut, string Text);

/// <summary>What the quick-reply form and any API submit.</summary>
public sealed class QuickReplyInput
{
    public string Shortcut { get; set; } = "";
    public string Text { get; set; } = "";
}

public sealed class QuickReplyInputValidator : AbstractValidator<QuickReplyInput>
{
    public QuickReplyInputValidator()
    {
        RuleFor(x => x.Shortcut).NotEmpty().MaximumLength(QuickReply.ShortcutMaxLength)
            .Matches("^[a-z0-9_-]+$").WithProblem("QuickReply_ShortcutFormat");
        RuleFor(x => x.Text).NotEmpty().MaximumLength(QuickReply.TextMaxLength);
    }
}

/// <summary>Canned responses per workspace: every member uses them, owners and managers maintain them.</summary>
public sealed class QuickReplyService(IKelolaDbFactory dbFactory)
{
    private static readonly QuickReplyInputValidator Validator = new();

    public async Task<IReadOnlyList<QuickReplyView>> ListAsync(InboxViewer viewer, Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (!await MayUseAsync(db, viewer, workspaceId, ct))
            return [];
        return await db.QuickReplies.AsNoTracking().Where(q => q.WorkspaceId == workspaceId).OrderBy(q => q.Shortcut)
            .Select(q => new QuickReplyView(q.Id, q.WorkspaceId, q.Shortcut, q.Text)).ToListAsync(ct);
    }

    /// <summary>Creates (<paramref name="id"/> null) or updates a quick reply; a shortcut is unique in its workspace.</summary>
    public async Task<QuickReplyView> SaveAsync(InboxViewer viewer, Guid workspaceId, Guid? id, QuickReplyInput input, CancellationToken ct = default)
    {
        input.Shortcut = input.Shortcut.Trim().TrimStart('/').ToLowerInvariant();
        await Validator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateAsync(ct);
        if (!viewer.SeesEverything || !await MayUseAsync(db, viewer, workspaceId, ct))
            throw new UnauthorizedAccessException("Only owners and managers maintain quick replies.");
        if (await db.QuickReplies.AnyAsync(q => q.WorkspaceId == workspaceId && q.Shortcut == input.Shortcut && q.Id != id, ct))
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(input.Shortcut), ProblemText.Get("QuickReply_ShortcutTaken")) { ErrorCode = "QuickReply_ShortcutTaken" }]);

        QuickReply reply;
        if (id is { } existing)
        {
            reply = await db.QuickReplies.FirstOrDefaultAsync(q => q.Id == existing && q.WorkspaceId == workspaceId, ct)
                    ?? throw new KeyNotFoundException("Quick reply not found.");
        }
        else
        {
            var tenantId = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.TenantId).FirstAsync(ct);
            reply = new QuickReply { TenantId = tenantId, WorkspaceId = workspaceId };
            db.QuickReplies.Add(reply);
        }
        reply.Shortcut = input.Shortcut;
        reply.Text = input.Text;
        await db.SaveChangesAsync(ct);
        return new QuickReplyView(reply.Id, reply.WorkspaceId, reply.Shortcut, reply.Text);
    }

    public async Task DeleteAsync(InboxViewer viewer, Guid id, CancellationToken ct = default)
    {
        if (!viewer.SeesEverything)
            throw new UnauthorizedAccessException("Only owners and managers maintain quick replies.");
        await using var db = await dbFactory.CreateAsync(ct);
        if (await db.QuickReplies.Where(q => q.Id == id).ExecuteDeleteAsync(ct) == 0)
            throw new KeyNotFoundException("Quick reply not found.");
    }

    private static Task<bool> MayUseAsync(IKelolaDb db, InboxViewer viewer, Guid workspaceId, CancellationToken ct) =>
        viewer.SeesEverything
            ? db.Workspaces.AnyAsync(w => w.Id == workspaceId, ct)
            : db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == workspaceId && m.UserId == viewer.UserId, ct);
}
