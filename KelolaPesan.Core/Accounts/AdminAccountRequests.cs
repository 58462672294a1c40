using FluentValidation;
using KelolaPesan.Core.Team;

namespace KelolaPesan.Core.Accounts;

/// <summary>A new platform administrator, as typed on the admins page or given to the create-admin command.</summary>
public sealed class CreateAdminRequest
{
    public string Email { get; set; } = "";
    public string Name { get; set; } = "";
    public string Password { get; set; } = "";
}

public sealed class CreateAdminRequestValidator : AbstractValidator<CreateAdminRequest>
{
    public CreateAdminRequestValidator()
    {
        RuleFor(x => x.Email).NotEmpty().EmailAddress().MaximumLength(AdminUser.EmailMaxLength);
        RuleFor(x => x.Name).NotEmpty().MaximumLength(AdminUser.NameMaxLength);
        RuleFor(x => x.Password).Password(x => [x.Email]);
    }
}

/// <summary>Any account (admin, agency owner, tenant user) changing its own password: the current one proves it is them.</summary>
public sealed class ChangePasswordRequest
{
    public string CurrentPassword { get; set; } = "";
    public string NewPassword { get; set; } = "";
    public string ConfirmPassword { get; set; } = "";

    /// <summary>The account's username or email, which the new password may not contain; the service fills it from the account.</summary>
    public IReadOnlyList<string> AccountNames { get; set; } = [];
}

public sealed class ChangePasswordRequestValidator : AbstractValidator<ChangePasswordRequest>
{
    public ChangePasswordRequestValidator()
    {
        RuleFor(x => x.CurrentPassword).NotEmpty().WithMessage(_ => AccountText.Get("Password_CurrentRequired"));
        RuleFor(x => x.NewPassword).Password(x => x.AccountNames)
            .NotEqual(x => x.CurrentPassword).WithMessage(_ => AccountText.Get("Password_SameAsCurrent"));
        RuleFor(x => x.ConfirmPassword).Equal(x => x.NewPassword).WithMessage(_ => AccountText.Get("Password_Mismatch"));
    }
}

/// <summary>What anyone may change about their own account besides the password.</summary>
public sealed class ProfileInput
{
    public string DisplayName { get; set; } = "";
    public UiLanguage Language { get; set; }
    public UiTheme Theme { get; set; }
}

public sealed class ProfileInputValidator : AbstractValidator<ProfileInput>
{
    public ProfileInputValidator()
    {
        RuleFor(x => x.DisplayName).DisplayNameRule();
        RuleFor(x => x.Language).IsInEnum();
        RuleFor(x => x.Theme).IsInEnum();
    }
}

public sealed record OwnAccount(string SignInName, string DisplayName, UiLanguage Language, UiTheme Theme);

public sealed record AdminSummary(Guid Id, string Email, string Name, DateTimeOffset? LastLoginAt, bool IsActive);

public enum AdminChangeResult { Done, NotFound, CannotDisableSelf, WrongCurrentPassword }
