using FluentValidation;
using KelolaPesan.Core.Common;
using PhoneNumbers;

namespace KelolaPesan.Core.Tenancy;

/// <summary>What the settings form and any API submit: the tenant's own name, time zone and phone region.</summary>
public sealed class TenantSettingsInput
{
    public string Name { get; set; } = "";
    public string TimeZone { get; set; } = Tenant.DefaultTimeZone;
    public string PhoneRegion { get; set; } = Tenant.DefaultRegion;
}

/// <summary>The tenant's settings with, read-only, its licence (name, expiry, workspace quota and use).</summary>
public sealed record TenantSettingsView(
    string Name, string TimeZone, string PhoneRegion,
    string LicenceName, DateTimeOffset? LicenceExpiresAt, int MaxWorkspaces, int WorkspaceCount);

public sealed class TenantSettingsValidator : AbstractValidator<TenantSettingsInput>
{
    public TenantSettingsValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(Tenant.NameMaxLength);
        RuleFor(x => x.TimeZone).NotEmpty().Must(TenantSettingsOptions.IsKnownTimeZone)
            .WithProblem("Settings_TimeZoneUnknown");
        RuleFor(x => x.PhoneRegion).NotEmpty().Must(TenantSettingsOptions.IsSupportedRegion)
            .WithProblem("Settings_PhoneRegionUnknown");
    }
}

/// <summary>The choices the settings form offers, and the checks the validator makes against them.</summary>
public static class TenantSettingsOptions
{
    private static readonly Lazy<IReadOnlyList<string>> Zones = new(() => TimeZoneInfo.GetSystemTimeZones()
        .Where(z => z.HasIanaId).Select(z => z.Id).Order(StringComparer.Ordinal).ToList());

    private static readonly Lazy<IReadOnlyList<string>> Regions = new(() =>
        PhoneNumberUtil.GetInstance().GetSupportedRegions().Order(StringComparer.Ordinal).ToList());

    /// <summary>IANA ids only: schedules and bot hours store them, and Windows ids would not resolve on Linux servers.</summary>
    public static IReadOnlyList<string> TimeZones => Zones.Value;

    public static IReadOnlyList<string> PhoneRegions => Regions.Value;

    public static bool IsKnownTimeZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
            return false;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id).HasIanaId;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    // Case-sensitive on purpose: libphonenumber's region codes are upper-case, and the service upper-cases input first.
    public static bool IsSupportedRegion(string? region) =>
        !string.IsNullOrWhiteSpace(region) && PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(region);
}
