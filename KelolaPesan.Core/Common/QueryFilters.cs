namespace KelolaPesan.Core.Common;

/// <summary>
/// The names of the model's query filters. <c>IgnoreQueryFilters</c> always names the one it lifts, so lifting the
/// soft-delete filter never lifts tenant separation by accident (docs/adr/0001; a test rejects an unnamed call).
/// </summary>
public static class QueryFilters
{
    /// <summary>Rows of other tenants (and platform rows in a tenant context) are invisible.</summary>
    public const string Tenant = "Tenant";

    /// <summary>Soft-deleted rows are invisible.</summary>
    public const string SoftDelete = "SoftDelete";
}
