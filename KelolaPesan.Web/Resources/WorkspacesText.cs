namespace KelolaPesan.Web;

/// <summary>Marker for the workspaces and simulator pages' strings (Resources/WorkspacesText*.resx).</summary>
public sealed class WorkspacesText;
