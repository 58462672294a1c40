namespace KelolaPesan.Core.Accounts;

/// <summary>Who signed in, as the Web layer needs it to build the cookie.</summary>
public sealed record SignedInUser(
    Guid UserId,
    string DisplayName,
    string Role,
    Guid? TenantId,
    Guid? AgencyId,
    UiLanguage Language,
    UiTheme Theme)
{
    /// <summary>The account's stamp at sign-in, carried in the cookie and compared at every revalidation.</summary>
    public string SecurityStamp { get; init; } = "";
}

public enum SignInFailure
{
    None,
    InvalidCredentials,
    LicenceSuspended,
    LicenceExpired,
    AccountDisabled,
    TooManyAttempts,
}

public sealed record SignInResult(SignedInUser? User, SignInFailure Failure, TimeSpan? RetryAfter = null)
{
    public bool Succeeded => User is not null;

    public static SignInResult Success(SignedInUser user) => new(user, SignInFailure.None);
    public static SignInResult Fail(SignInFailure failure, TimeSpan? retryAfter = null) => new(null, failure, retryAfter);
}

/// <summary>Role names used in claims and authorization policies.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string AgencyOwner = nameof(UserRole.AgencyOwner);
    public const string Owner = nameof(UserRole.Owner);
    public const string Manager = nameof(UserRole.Manager);
    public const string Agent = nameof(UserRole.Agent);

    public const string TenantUsers = Owner + "," + Manager + "," + Agent;
    public const string Managers = Owner + "," + Manager;
}
