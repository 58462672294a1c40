namespace KelolaPesan.Web;

/// <summary>Marker for the privacy feature's strings (Resources/PrivacyText*.resx): legal pages' frame, export, deletion.</summary>
public sealed class PrivacyText;
