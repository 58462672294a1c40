namespace KelolaPesan.Core.Common;

/// <summary>Base of every stored row: a time-ordered id and audit times filled by the Data interceptor.</summary>
public abstract class Entity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A row that belongs to one tenant; the tenant query filter hides it from every other tenant.</summary>
public interface ITenantOwned
{
    Guid TenantId { get; set; }
}

/// <summary>A tenant row that also belongs to one workspace (one WhatsApp number).</summary>
public interface IWorkspaceOwned : ITenantOwned
{
    Guid WorkspaceId { get; set; }
}

/// <summary>Rows that are marked deleted first and purged after the retention period.</summary>
public interface ISoftDeletable
{
    DateTimeOffset? DeletedAt { get; set; }
}
