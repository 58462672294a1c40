namespace KelolaPesan.Web.Components.Pages.Accounts;

public sealed class LoginInput
{
    public string? LicenceCode { get; set; }
    public string? Username { get; set; }
    public string? Email { get; set; }
    public string? Password { get; set; }
}
