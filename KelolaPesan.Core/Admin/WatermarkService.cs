using FluentValidation;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Admin;

/// <summary>
/// The platform watermark: a footer appended to paced outgoing messages (broadcast, sequence, bot, API) of licences
/// whose tier is in <see cref="PlatformSettings.WatermarkTiers"/>, decided by the tier when the message is created.
/// Never for an agent's inbox reply. Inbox and bots use <see cref="EndsWithWatermark(string)"/> to recognise echoes.
/// </summary>
public sealed class WatermarkService(IKelolaDbFactory dbFactory, AuditLog audit)
{
    public const string Separator = "\n\n";
    private static readonly WatermarkSettingsValidator Validator = new();

    public async Task<WatermarkSettings> GetAsync(CancellationToken cancellationToken = default)
    {
        var s = await LoadAsync(cancellationToken);
        return new WatermarkSettings { Enabled = s.WatermarkEnabled, Text = s.WatermarkText, Tiers = s.WatermarkTiers };
    }

    public async Task SaveAsync(WatermarkSettings settings, AuditActor actor, CancellationToken cancellationToken = default)
    {
        settings.Text = settings.Text.Trim();
        Validator.ValidateAndThrow(settings);
        await using var db = dbFactory.CreateSystem();
        var row = await db.PlatformSettings.FirstOrDefaultAsync(cancellationToken);
        if (row is null)
            db.PlatformSettings.Add(row = new PlatformSettings());
        row.WatermarkEnabled = settings.Enabled;
        row.WatermarkText = settings.Text;
        row.WatermarkTiers = settings.Tiers;
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(AuditActions.WatermarkChanged, actor, targetType: nameof(PlatformSettings), targetId: row.Id.ToString(),
            details: $"{(settings.Enabled ? "on" : "off")}, tiers {settings.Tiers}: {settings.Text}", cancellationToken: cancellationToken);
    }

    /// <summary>The footer for a message created under a licence of <paramref name="tierAtCreation"/>, or null.</summary>
    public async Task<string?> FooterForAsync(PolicyTier tierAtCreation, CancellationToken cancellationToken = default) =>
        FooterFor(await GetAsync(cancellationToken), tierAtCreation);

    /// <summary>True when the text ends with the current footer (an echo of a watermarked message).</summary>
    public async Task<bool> EndsWithWatermarkAsync(string text, CancellationToken cancellationToken = default) =>
        EndsWithWatermark(text, (await GetAsync(cancellationToken)).Text);

    public static string? FooterFor(WatermarkSettings settings, PolicyTier tierAtCreation) =>
        settings.Enabled && !string.IsNullOrWhiteSpace(settings.Text) && settings.Tiers.HasFlag(ToSet(tierAtCreation))
            ? settings.Text.Trim()
            : null;

    /// <summary>The body with the footer after a blank line; unchanged when there is no footer.</summary>
    public static string Append(string body, string? footer) =>
        footer is null ? body : body.TrimEnd() + Separator + footer;

    public static bool EndsWithWatermark(string text, string footer) =>
        !string.IsNullOrWhiteSpace(footer) && text.TrimEnd().EndsWith(footer.Trim(), StringComparison.Ordinal);

    public static PolicyTierSet ToSet(PolicyTier tier) => tier switch
    {
        PolicyTier.Basic => PolicyTierSet.Basic,
        PolicyTier.Standard => PolicyTierSet.Standard,
        PolicyTier.Premium => PolicyTierSet.Premium,
        _ => PolicyTierSet.None,
    };

    private async Task<PlatformSettings> LoadAsync(CancellationToken ct)
    {
        await using var db = dbFactory.CreateSystem();
        return await db.PlatformSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new PlatformSettings();
    }
}

public sealed class WatermarkSettings
{
    public bool Enabled { get; set; }
    public string Text { get; set; } = "";
    public PolicyTierSet Tiers { get; set; }
}

public sealed class WatermarkSettingsValidator : AbstractValidator<WatermarkSettings>
{
    public WatermarkSettingsValidator()
    {
        RuleFor(x => x.Text).MaximumLength(PlatformSettings.WatermarkMaxLength);
        RuleFor(x => x.Text).NotEmpty().When(x => x.Enabled).WithProblem("Watermark_TextRequired");
        RuleFor(x => x.Tiers).Must(t => (t & ~(PolicyTierSet.Basic | PolicyTierSet.Standard | PolicyTierSet.Premium)) == 0).WithProblem("Tier_Unknown");
    }
}
