using FluentValidation;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Inbox;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Automation;

/// <summary>What the test console shows: the rule that would fire and its rendered reply, or nothing.</summary>
public sealed record BotTestResult(Guid? RuleId, string? RuleName, BotTrigger? Trigger, bool OutsideHours, string? Reply);

public sealed record BotOption(Guid Id, string Name);

public sealed partial class AutomationService
{
    private static readonly BotRuleInputValidator RuleValidator = new();
    private static readonly BotSettingsValidator SettingsValidator = new();

    /// <summary>The workspace's rules in firing order (pages run in the signed-in tenant's scope).</summary>
    public async Task<IReadOnlyList<BotRule>> ListRulesAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.BotRules.AsNoTracking().Include(r => r.Keywords).Where(r => r.WorkspaceId == workspaceId)
            .OrderBy(r => r.Priority).ThenBy(r => r.CreatedAt).ToListAsync(ct);
    }

    public async Task<BotRule> SaveRuleAsync(Guid workspaceId, BotRuleInput input, CancellationToken ct = default)
    {
        await RuleValidator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateAsync(ct);
        var workspace = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => new { w.Id, w.TenantId }).FirstOrDefaultAsync(ct)
            ?? throw new KeyNotFoundException("Workspace not found.");
        BotRule rule;
        if (input.Id is { } id)
        {
            rule = await db.BotRules.Include(r => r.Keywords).FirstOrDefaultAsync(r => r.Id == id && r.WorkspaceId == workspaceId, ct)
                   ?? throw new KeyNotFoundException("Rule not found.");
            db.BotKeywords.RemoveRange(rule.Keywords);
            rule.Keywords.Clear();
        }
        else
        {
            var last = await db.BotRules.Where(r => r.WorkspaceId == workspaceId).MaxAsync(r => (int?)r.Priority, ct) ?? 0;
            rule = new BotRule { TenantId = workspace.TenantId, WorkspaceId = workspaceId, Priority = last + 1 };
            db.BotRules.Add(rule);
        }
        rule.Name = input.Name.Trim();
        rule.Trigger = input.Trigger;
        rule.MatchMode = input.MatchMode;
        rule.IsActive = input.IsActive;
        rule.ReplyTemplate = input.ReplyTemplate.Trim();
        if (input.AttachmentId is { } attachmentId && !await db.Attachments.AnyAsync(a => a.Id == attachmentId && a.WorkspaceId == workspaceId, ct))
            throw new ValidationException("The attachment was not found; pick the file again.");
        if (rule.AttachmentId is { } previous && previous != input.AttachmentId)
        {
            // The replaced file is marked deleted; the retention job removes it with its bytes.
            await db.Attachments.Where(a => a.Id == previous).ExecuteUpdateAsync(s => s.SetProperty(a => a.DeletedAt, clock.GetUtcNow()), ct);
        }
        rule.AttachmentId = input.AttachmentId;
        rule.DelaySeconds = input.DelaySeconds;
        rule.ActiveDays = input.ActiveDays;
        (rule.ActiveFrom, rule.ActiveTo) = (input.ActiveFrom, input.ActiveTo);
        rule.OutsideHoursReply = string.IsNullOrWhiteSpace(input.OutsideHoursReply) ? null : input.OutsideHoursReply.Trim();
        rule.AddLabelId = input.AddLabelId;
        rule.AddToListId = input.AddToListId;
        var keywords = input.Trigger == BotTrigger.Keyword
            ? input.Keywords.Select(k => k.Trim()).Where(k => k.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)
            : [];
        // Added through the set: a new child with its Guid already set, found only through an existing rule's
        // collection, would be taken for an existing row and updated (0 rows affected) when editing a rule.
        foreach (var keyword in keywords)
            db.BotKeywords.Add(new BotKeyword { TenantId = workspace.TenantId, WorkspaceId = workspaceId, RuleId = rule.Id, Keyword = keyword });
        await db.SaveChangesAsync(ct);
        return rule;
    }

    public async Task DeleteRuleAsync(Guid ruleId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var rule = await db.BotRules.FirstOrDefaultAsync(r => r.Id == ruleId, ct) ?? throw new KeyNotFoundException("Rule not found.");
        rule.DeletedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Moves a rule one place up (earlier) or down in the firing order; priorities are renumbered 1..n.</summary>
    public async Task MoveRuleAsync(Guid ruleId, int direction, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var rule = await db.BotRules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == ruleId, ct) ?? throw new KeyNotFoundException("Rule not found.");
        var rules = await db.BotRules.Where(r => r.WorkspaceId == rule.WorkspaceId).OrderBy(r => r.Priority).ThenBy(r => r.CreatedAt).ToListAsync(ct);
        var index = rules.FindIndex(r => r.Id == ruleId);
        var target = index + Math.Sign(direction);
        if (target < 0 || target >= rules.Count)
            return;
        (rules[index], rules[target]) = (rules[target], rules[index]);
        for (var i = 0; i < rules.Count; i++)
            rules[i].Priority = i + 1;
        await db.SaveChangesAsync(ct);
    }

    public async Task<BotSettings> GetSettingsAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.BotSettings.AsNoTracking().FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId, ct)
               ?? new BotSettings { WorkspaceId = workspaceId };
    }

    public async Task SaveSettingsAsync(Guid workspaceId, BotSettings input, CancellationToken ct = default)
    {
        await SettingsValidator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateAsync(ct);
        var tenantId = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => (Guid?)w.TenantId).FirstOrDefaultAsync(ct)
                       ?? throw new KeyNotFoundException("Workspace not found.");
        var row = await db.BotSettings.FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId, ct);
        if (row is null)
            db.BotSettings.Add(row = new BotSettings { TenantId = tenantId, WorkspaceId = workspaceId });
        row.Enabled = input.Enabled;
        row.HumanTakeoverMinutes = input.HumanTakeoverMinutes;
        row.CooldownSeconds = input.CooldownSeconds;
        row.MaxRepliesPerHour = input.MaxRepliesPerHour;
        row.OptOutKeywords = string.Join(',', input.OptOutKeywords.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The conversation's "pause bot" switch.</summary>
    public async Task SetBotPausedAsync(Guid chatId, bool paused, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (await db.Chats.Where(c => c.Id == chatId).ExecuteUpdateAsync(s => s.SetProperty(c => c.BotPaused, paused), ct) == 0)
            throw new ChatNotFoundException(chatId);
    }

    /// <summary>
    /// The test console: which rule would answer <paramref name="text"/> at <paramref name="localTime"/> (the tenant's
    /// local time) and the rendered reply, with sample values. Nothing is sent or stored; takeover and cooldown are not applied.
    /// </summary>
    public async Task<BotTestResult> TestAsync(Guid workspaceId, string text, DateTime localTime, bool firstMessage, CancellationToken ct = default)
    {
        var rules = await ListRulesAsync(workspaceId, ct);
        var match = KeywordMatcher.Select(rules, text, firstMessage, localTime, logger);
        if (match is null)
            return new BotTestResult(null, null, null, false, null);
        var reply = MessageTemplate.Render(match.Template, MessageTemplate.Values("Budi", "+6281234567890"), Random.Shared);
        return new BotTestResult(match.Rule.Id, match.Rule.Name, match.Rule.Trigger, match.OutsideHours, reply);
    }

    /// <summary>The tenant's local time now, for the test console's default.</summary>
    public async Task<DateTime> LocalNowAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var zone = await db.Tenants.Select(t => t.TimeZone).FirstOrDefaultAsync(ct);
        return BotHours.ToLocal(clock.GetUtcNow(), zone);
    }

    public async Task<IReadOnlyList<BotOption>> ListLabelsAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.Labels.Where(l => l.WorkspaceId == workspaceId).OrderBy(l => l.Name).Select(l => new BotOption(l.Id, l.Name)).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<BotOption>> ListContactListsAsync(Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.ContactLists.Where(l => l.WorkspaceId == workspaceId).OrderBy(l => l.Name).Select(l => new BotOption(l.Id, l.Name)).ToListAsync(ct);
    }
}
