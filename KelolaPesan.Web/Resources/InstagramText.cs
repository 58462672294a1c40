namespace KelolaPesan.Web;

/// <summary>Marker for the Instagram connect feature's strings (Resources/InstagramText*.resx): account card, media browser, disconnect.</summary>
public sealed class InstagramText;
