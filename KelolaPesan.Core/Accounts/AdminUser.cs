using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Accounts;

/// <summary>A platform administrator: signs in with email and password (stored as a PBKDF2 hash).</summary>
public class AdminUser : Entity
{
    public const int EmailMaxLength = 254;
    public const int NameMaxLength = 100;

    public string Email { get; set; } = "";
    public string Name { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public bool IsActive { get; set; } = true;
    public DateTimeOffset? LastLoginAt { get; set; }
    public UiLanguage Language { get; set; } = UiLanguage.Indonesian;
    public UiTheme Theme { get; set; } = UiTheme.Light;

    /// <inheritdoc cref="AppUser.SecurityStamp"/>
    public string SecurityStamp { get; set; } = Accounts.SecurityStamp.New();
}
