namespace KelolaPesan.Web;

/// <summary>Marker for the Contacts feature's strings (Resources/ContactsText.resx, .en.resx).</summary>
public sealed class ContactsText;
