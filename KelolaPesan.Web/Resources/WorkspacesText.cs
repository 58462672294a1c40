namespace KelolaPesan.Web;

/// <summary>(Kept out of Resources/: a .cs beside the .resx would rename the embedded resource after the class.) Marker for the workspaces and simulator pages' strings (Resources/WorkspacesText*.resx).</summary>
public sealed class WorkspacesText;
