using FluentValidation;

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
        RuleFor(x => x.Password).NotEmpty().MinimumLength(PasswordHashing.MinLength);
    }
}

/// <summary>An admin changing their own password: the current one proves it is them.</summary>
public sealed class ChangePasswordRequest
{
    public string CurrentPassword { get; set; } = "";
    public string NewPassword { get; set; } = "";
    public string ConfirmPassword { get; set; } = "";
}

public sealed class ChangePasswordRequestValidator : AbstractValidator<ChangePasswordRequest>
{
    public ChangePasswordRequestValidator()
    {
        RuleFor(x => x.CurrentPassword).NotEmpty();
        RuleFor(x => x.NewPassword).NotEmpty().MinimumLength(PasswordHashing.MinLength)
            .NotEqual(x => x.CurrentPassword).WithMessage("The new password must differ from the current one.");
        RuleFor(x => x.ConfirmPassword).Equal(x => x.NewPassword).WithMessage("The passwords do not match.");
    }
}

public sealed record AdminSummary(Guid Id, string Email, string Name, DateTimeOffset? LastLoginAt, bool IsActive);

public enum AdminChangeResult { Done, NotFound, CannotDisableSelf, WrongCurrentPassword }
