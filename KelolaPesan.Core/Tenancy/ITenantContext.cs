namespace KelolaPesan.Core.Tenancy;

/// <summary>
/// Whose data the current operation may see. The Data layer's query filters read it on every query.
/// Web requests and circuits fill it from the signed-in user; background jobs and webhooks set it
/// explicitly from the workspace they act for.
/// </summary>
public interface ITenantContext
{
    Guid? TenantId { get; }

    /// <summary>True only for platform admins and system work that must see every tenant.</summary>
    bool IsSystem { get; }
}

/// <summary>The mutable scoped implementation; one per DI scope (request, circuit or job).</summary>
public sealed class TenantContext : ITenantContext
{
    public Guid? TenantId { get; private set; }
    public bool IsSystem { get; private set; }

    public void SetTenant(Guid tenantId)
    {
        TenantId = tenantId;
        IsSystem = false;
    }

    public void SetSystem()
    {
        TenantId = null;
        IsSystem = true;
    }

    public void Clear()
    {
        TenantId = null;
        IsSystem = false;
    }
}
