namespace KelolaPesan.Web;

/// <summary>Marker for the strings of the team page (Components/Pages/Team) (Resources/TeamText.resx, .en.resx).</summary>
public sealed class TeamText;
