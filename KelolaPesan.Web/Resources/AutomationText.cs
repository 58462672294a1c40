namespace KelolaPesan.Web;

/// <summary>Marker for the Automation feature's strings (Resources/AutomationText.resx, .en.resx).</summary>
public sealed class AutomationText;
