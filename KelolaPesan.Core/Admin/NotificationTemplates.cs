using System.Text.RegularExpressions;
using FluentValidation;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Admin;

/// <summary>The notification templates: editing (admin), placeholders per event, and rendering with values.</summary>
public sealed partial class NotificationTemplates(IKelolaDbFactory dbFactory, AuditLog audit)
{
    public const int MaxDaysBefore = 90;

    private static readonly string[] Common = ["owner", "tenant"];

    public static IReadOnlyDictionary<NotificationEvent, string[]> Placeholders { get; } = new Dictionary<NotificationEvent, string[]>
    {
        [NotificationEvent.LicenceExpiring] = [.. Common, "expiry", "days"],
        [NotificationEvent.LicenceExpired] = [.. Common, "expiry"],
        [NotificationEvent.WorkspaceDisconnected] = [.. Common, "workspace"],
        [NotificationEvent.BroadcastFinished] = [.. Common, "broadcast", "sent", "failed"],
        [NotificationEvent.BroadcastPaused] = [.. Common, "broadcast", "reason"],
        [NotificationEvent.DailyCapReached] = [.. Common, "workspace", "cap"],
        [NotificationEvent.InstagramDisconnected] = [.. Common, "workspace", "account"],
    };

    /// <summary>Values the editor's live preview renders with.</summary>
    public static IReadOnlyDictionary<string, string> SampleValues { get; } = new Dictionary<string, string>
    {
        ["owner"] = "Sari", ["tenant"] = "Toko Demo", ["expiry"] = "31 Des 2026", ["days"] = "7", ["workspace"] = "Toko Utama", ["account"] = "tokodemo",
        ["broadcast"] = "Promo Akhir Tahun", ["sent"] = "950", ["failed"] = "12", ["reason"] = "WhatsApp terputus", ["cap"] = "1000",
    };

    /// <summary>Replaces each known <c>{name}</c>; unknown ones are left as typed so a mistake stays visible.</summary>
    public static string Render(string body, IReadOnlyDictionary<string, string> values) =>
        PlaceholderPattern().Replace(body, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    public static IEnumerable<string> UnknownPlaceholders(NotificationEvent evt, string body) =>
        PlaceholderPattern().Matches(body).Select(m => m.Groups[1].Value).Where(n => !Placeholders[evt].Contains(n)).Distinct();

    public async Task<IReadOnlyList<NotificationTemplate>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = dbFactory.CreateSystem();
        return await db.NotificationTemplates.AsNoTracking().OrderBy(t => t.Event).ToListAsync(cancellationToken);
    }

    public async Task<bool> SaveAsync(NotificationTemplate template, AuditActor actor, CancellationToken cancellationToken = default)
    {
        template.Body = template.Body.Trim();
        new NotificationTemplateValidator().ValidateAndThrow(template);
        await using var db = dbFactory.CreateSystem();
        var row = await db.NotificationTemplates.FirstOrDefaultAsync(t => t.Id == template.Id, cancellationToken);
        if (row is null)
            return false;
        row.Body = template.Body;
        row.IsActive = template.IsActive;
        row.DaysBefore = template.DaysBefore;
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(AuditActions.NotificationTemplateChanged, actor, targetType: nameof(NotificationTemplate), targetId: row.Id.ToString(),
            details: $"{row.Event} ({(row.IsActive ? "on" : "off")})", cancellationToken: cancellationToken);
        return true;
    }

    [GeneratedRegex(@"\{([a-z]+)\}")]
    private static partial Regex PlaceholderPattern();
}

public sealed class NotificationTemplateValidator : AbstractValidator<NotificationTemplate>
{
    public NotificationTemplateValidator()
    {
        RuleFor(x => x.Body).NotEmpty().MaximumLength(NotificationTemplate.BodyMaxLength);
        // "{tenant" without its brace went out to owners as written, as the broadcast and sequence editors refuse.
        RuleFor(x => x.Body).Must(b => MessageTemplate.HasBalancedBraces(b ?? "")).WithProblem("Template_UnbalancedBraces");
        RuleFor(x => x.Body).Must((t, body) => !NotificationTemplates.UnknownPlaceholders(t.Event, body).Any())
            .WithErrorCode("Template_UnknownPlaceholder")
            .WithMessage(t => ProblemText.Format("Template_UnknownPlaceholder", string.Join(", ", NotificationTemplates.UnknownPlaceholders(t.Event, t.Body).Select(n => "{" + n + "}"))));
        RuleFor(x => x.DaysBefore).InclusiveBetween(1, NotificationTemplates.MaxDaysBefore).When(x => x.Event == NotificationEvent.LicenceExpiring);
    }
}
