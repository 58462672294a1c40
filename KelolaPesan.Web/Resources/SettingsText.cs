namespace KelolaPesan.Web;

/// <summary>Marker for the tenant settings page's strings (Resources/SettingsText.resx, .en.resx).</summary>
public sealed class SettingsText;
