using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Tenancy;

/// <summary>A reseller holding an agency licence; it creates tenants within that licence's quota.</summary>
public class Agency : Entity
{
    public const int NameMaxLength = 100;

    public string Name { get; set; } = "";
    public Guid LicenceId { get; set; }
    public Licence? Licence { get; set; }
}
