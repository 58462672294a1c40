namespace KelolaPesan.Web;

/// <summary>Marker (file named apart from the .resx so MSBuild keeps the resource name Resources.ContactsText) for the Contacts feature's strings (Resources/ContactsText.resx, .en.resx).</summary>
public sealed class ContactsText;
