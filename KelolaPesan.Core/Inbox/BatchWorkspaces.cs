namespace KelolaPesan.Core.Inbox;

/// <summary>
/// The (tenant, workspace) pairs of a batch of webhook events, each bound when its webhook was verified, for reads
/// through a system context (docs/adr/0026 addendum): rows are asked by <see cref="Ids"/>, and a row read is taken only
/// when it <see cref="Owns"/> its tenant and workspace together, so no row of another tenant ever joins a batch.
/// </summary>
internal sealed class BatchWorkspaces
{
    private readonly HashSet<(Guid TenantId, Guid WorkspaceId)> _pairs;

    public BatchWorkspaces(IEnumerable<(Guid TenantId, Guid WorkspaceId)> pairs)
    {
        _pairs = pairs.ToHashSet();
        Ids = _pairs.Select(p => p.WorkspaceId).Distinct().ToList();
    }

    /// <summary>The workspaces to ask rows of.</summary>
    public List<Guid> Ids { get; }

    public bool Owns(Guid tenantId, Guid workspaceId) => _pairs.Contains((tenantId, workspaceId));
}
