namespace KelolaPesan.Web;

/// <summary>Marker for the Instagram automations, comments and DM strings (Resources/InstagramAutomationText*.resx).</summary>
public sealed class InstagramAutomationText;
