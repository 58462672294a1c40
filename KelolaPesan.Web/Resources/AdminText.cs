namespace KelolaPesan.Web;

/// <summary>Marker for the admin console's strings (Resources/AdminText.resx, .en.resx).</summary>
public sealed class AdminText;
