using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Accounts;

/// <summary>
/// A tenant user (owner, manager, agent) or an agency owner. Signs in with the licence code of its
/// tenant or agency plus username and password. Agency owners have an <see cref="AgencyId"/> and no tenant.
/// </summary>
public class AppUser : Entity
{
    public const int UsernameMaxLength = 50;
    public const int DisplayNameMaxLength = 100;
    public const int PhoneMaxLength = 20;

    public Guid? TenantId { get; set; }
    public Guid? AgencyId { get; set; }
    /// <summary>
    /// Setting the username (object initialisers included) also sets <see cref="NormalizedUsername"/>: the one place
    /// both are set, so every path that creates or renames a user keeps them in step.
    /// </summary>
    public string Username
    {
        get => _username;
        set
        {
            _username = value;
            NormalizedUsername = NormalizeUsername(value);
        }
    }
    private string _username = "";

    /// <summary>Sign-in and the unique index per tenant compare this, never <see cref="Username"/>: case does not matter on any provider.</summary>
    public string NormalizedUsername { get; private set; } = "";

    /// <summary>How a typed username is looked up: <c>u.NormalizedUsername == AppUser.NormalizeUsername(typed)</c>.</summary>
    public static string NormalizeUsername(string? username) => NormalizedText.Of(username);
    public string DisplayName { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public UserRole Role { get; set; }

    /// <summary>Owner's WhatsApp number for platform notifications (E.164).</summary>
    public string? Phone { get; set; }

    public UiLanguage Language { get; set; } = UiLanguage.Indonesian;
    public UiTheme Theme { get; set; } = UiTheme.Light;
    /// <summary>Inbox alerts for new inbound messages, off until the user turns them on at /account.</summary>
    public bool AlertSound { get; set; }
    public bool AlertDesktop { get; set; }

    public bool IsActive { get; set; } = true;
    public DateTimeOffset? LastLoginAt { get; set; }

    /// <summary>
    /// Changes whenever this account's access changes (password, deactivation, role, workspaces, sign-out):
    /// a cookie or an open circuit carrying an older stamp stops working at its next revalidation.
    /// </summary>
    public string SecurityStamp { get; set; } = Accounts.SecurityStamp.New();
}

public enum UserRole { Agent = 0, Manager = 1, Owner = 2, AgencyOwner = 3 }

public enum UiLanguage { Indonesian = 0, English = 1 }

public enum UiTheme { Light = 0, Dark = 1 }
