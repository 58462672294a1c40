using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Tenancy;

/// <summary>One business: the root of tenancy. Every tenant-owned row carries its id.</summary>
public class Tenant : Entity, ISoftDeletable
{
    public const int NameMaxLength = 100;
    public const string DefaultTimeZone = "Asia/Jakarta";
    public const string DefaultRegion = "ID";

    public string Name { get; set; } = "";
    public Guid LicenceId { get; set; }
    public Licence? Licence { get; set; }
    public Guid? AgencyId { get; set; }
    public Agency? Agency { get; set; }

    /// <summary>IANA time zone for schedules and bot hours.</summary>
    public string TimeZone { get; set; } = DefaultTimeZone;

    /// <summary>Default region for phone normalisation (ISO 3166 alpha-2).</summary>
    public string PhoneRegion { get; set; } = DefaultRegion;

    /// <summary>An agent's reply to an unassigned chat assigns it to that agent (on by default, as in Chatwoot/Qontak).</summary>
    public bool AssignOnReply { get; set; } = true;

    /// <summary>The platform's own tenant, holding the admin WhatsApp connection.</summary>
    public bool IsPlatform { get; set; }

    public DateTimeOffset? LastActivityAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}
