namespace KelolaPesan.Web.Components.Pages.Team;

/// <summary>A password the service just generated, with the name of the member it belongs to; held only while its dialog is open.</summary>
public sealed record ShownPassword(string Name, string Password);
