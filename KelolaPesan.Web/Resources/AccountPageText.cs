namespace KelolaPesan.Web;

/// <summary>Marker for the strings of the own account page (/account) (Resources/AccountPageText.resx, .en.resx).</summary>
public sealed class AccountPageText;
