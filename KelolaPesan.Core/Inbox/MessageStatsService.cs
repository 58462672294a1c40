using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Inbox;

public sealed record DailyMessageCount(DateOnly Day, int Inbound, int Outbound);

/// <param name="Days">Oldest first, one entry per day of the tenant's calendar, today last.</param>
public sealed record WorkspaceActivity(Guid WorkspaceId, IReadOnlyList<DailyMessageCount> Days)
{
    public int InboundToday => Days.Count == 0 ? 0 : Days[^1].Inbound;
    public int OutboundToday => Days.Count == 0 ? 0 : Days[^1].Outbound;
}

/// <summary>
/// Messages per day for the home dashboard, in the tenant's own time zone (a "day" in Jakarta starts at 17:00 UTC).
/// An agent counts only the chats the inbox shows them (their own and unassigned ones), like their unread figures;
/// owners and managers count the whole workspace.
/// </summary>
public sealed class MessageStatsService(IKelolaDbFactory dbFactory, TimeProvider clock)
{
    public const int DefaultDays = 14;

    public async Task<IReadOnlyList<WorkspaceActivity>> GetActivityAsync(InboxViewer viewer, int days = DefaultDays, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var workspaceIds = await (viewer.SeesEverything
            ? db.Workspaces.Select(w => w.Id)
            : db.WorkspaceMembers.Where(m => m.UserId == viewer.UserId && db.Workspaces.Any(w => w.Id == m.WorkspaceId)).Select(m => m.WorkspaceId))
            .ToListAsync(ct);
        if (workspaceIds.Count == 0)
            return [];

        var zone = TenantTime.Zone(await db.Tenants.Select(t => t.TimeZone).FirstOrDefaultAsync(ct));
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);
        var firstDay = today.AddDays(1 - days);
        var startUtc = LocalMidnightUtc(firstDay, zone);

        // SQLite keeps times as UTC ticks, which SQL cannot turn into a local calendar day portably:
        // project the three columns and bucket here.
        var messages = db.Messages.AsNoTracking()
            .Where(m => workspaceIds.Contains(m.WorkspaceId) && m.SentAt >= startUtc && m.Direction != MessageDirection.Note);
        if (!viewer.SeesEverything)
            messages = messages.Where(m => db.Chats.Any(c => c.Id == m.ChatId && (c.AssignedUserId == null || c.AssignedUserId == viewer.UserId)));
        var rows = await messages.Select(m => new { m.WorkspaceId, m.Direction, m.SentAt }).ToListAsync(ct);

        var counts = new Dictionary<(Guid, DateOnly), (int In, int Out)>();
        foreach (var row in rows)
        {
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(row.SentAt, zone).DateTime);
            var key = (row.WorkspaceId, day);
            var (inbound, outbound) = counts.GetValueOrDefault(key);
            counts[key] = row.Direction == MessageDirection.Inbound ? (inbound + 1, outbound) : (inbound, outbound + 1);
        }

        return workspaceIds.Select(id => new WorkspaceActivity(id, Enumerable.Range(0, days).Select(i =>
        {
            var day = firstDay.AddDays(i);
            var (inbound, outbound) = counts.GetValueOrDefault((id, day));
            return new DailyMessageCount(day, inbound, outbound);
        }).ToList())).ToList();
    }

    private static DateTimeOffset LocalMidnightUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
