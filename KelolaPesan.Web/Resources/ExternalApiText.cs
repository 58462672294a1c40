namespace KelolaPesan.Web;

/// <summary>Marker for the API settings page's strings (Resources/ExternalApiText*.resx).</summary>
public sealed class ExternalApiText;
