namespace KelolaPesan.Web;

/// <summary>Marker for the inbox's and the home dashboard's strings (Resources/InboxText*.resx). The file is not named
/// InboxText.cs on purpose: a .cs next to a .resx of the same name makes MSBuild name the resource after the class
/// (KelolaPesan.Web.InboxText) instead of the folder, and the localizer (ResourcesPath "Resources") would not find it.</summary>
public sealed class InboxText;
