namespace KelolaPesan.Web;

/// <summary>Marker (file named apart from the .resx so MSBuild keeps the resource name Resources.BroadcastsText) for the Broadcasts feature's strings.</summary>
public sealed class BroadcastsText;
