namespace KelolaPesan.Web;

/// <summary>
/// Marker for the UI strings in Resources/SharedResource*.resx. The neutral file is Bahasa Indonesia
/// (the default language); SharedResource.en.resx is English.
/// </summary>
public sealed class SharedResource;
