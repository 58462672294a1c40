using System.Globalization;
using FluentValidation;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Team;
using KelolaPesan.Core.Tenancy;

namespace KelolaPesan.Tests.Accounts;

/// <summary>The one password policy: each rule refuses with its own message, in Bahasa Indonesia and in English, in every validator that sets a password.</summary>
public sealed class PasswordRuleTests
{
    private sealed record Case(string Username, string Password);

    private sealed class CaseValidator : AbstractValidator<Case>
    {
        public CaseValidator() => RuleFor(x => x.Password).Password(x => [x.Username]);
    }

    private static string? Error(string culture, string username, string password)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        var result = new CaseValidator().Validate(new Case(username, password));
        return result.Errors.SingleOrDefault()?.ErrorMessage;
    }

    [Theory]
    [InlineData("id", "Kata sandi minimal 10 karakter.")]
    [InlineData("en", "The password needs at least 10 characters.")]
    public void AShortPassword_IsRefused(string culture, string message) =>
        Assert.Equal(message, Error(culture, "sinta", "Zq8#pLm2x"));

    [Theory]
    [InlineData("id", "Isi kata sandi.")]
    [InlineData("en", "Enter a password.")]
    public void AnEmptyPassword_IsRefused(string culture, string message) =>
        Assert.Equal(message, Error(culture, "sinta", ""));

    [Theory]
    [InlineData("id", "tokosinta01", "TokoSinta01", "Kata sandi tidak boleh sama dengan atau memuat nama pengguna atau email.")]
    [InlineData("en", "tokosinta01", "TokoSinta01", "The password must not be or contain the username or email.")]
    [InlineData("en", "sinta", "my-Sinta-2026", "The password must not be or contain the username or email.")]
    [InlineData("id", "ops.team@kelola.test", "ops.team-2026!", "Kata sandi tidak boleh sama dengan atau memuat nama pengguna atau email.")]
    public void APasswordThatIsOrContainsTheNameOrEmail_IsRefused(string culture, string username, string password, string message) =>
        Assert.Equal(message, Error(culture, username, password));

    [Theory]
    [InlineData("id", "password123", "Kata sandi ini termasuk yang paling umum dan mudah ditebak; pilih yang lain.")]
    [InlineData("en", "Qwertyuiop", "This password is one of the most common and easy to guess; choose another.")]
    [InlineData("en", "bismillah123", "This password is one of the most common and easy to guess; choose another.")]
    public void ACommonPassword_IsRefused(string culture, string password, string message) =>
        Assert.Equal(message, Error(culture, "sinta", password));

    [Fact]
    public void AGoodPassword_Passes_AndAOneLetterNameDoesNotForbidItsLetter()
    {
        Assert.Null(Error("en", "sinta", "Kelola-Tim-2026"));
        Assert.Null(Error("en", "a", "Kelola-Tim-2026"));
        Assert.Equal("The password must not be or contain the username or email.", Error("en", "kelola-tim-2026", "Kelola-Tim-2026"));
    }

    [Fact]
    public void TheShippedList_IsEmbedded_AndRefusesWhatItHolds()
    {
        Assert.Contains("KelolaPesan.Core.Accounts.CommonPasswords.txt", typeof(PasswordRule).Assembly.GetManifestResourceNames());
        Assert.True(PasswordRule.IsCommon("1234567890"));
        Assert.False(PasswordRule.IsCommon("Kelola-Tim-2026"));
    }

    /// <summary>Every place a password is set uses the same rule: create-admin and the admins page, licence owners, team members, own password.</summary>
    [Theory]
    [InlineData("id", "Kata sandi ini termasuk yang paling umum dan mudah ditebak; pilih yang lain.")]
    [InlineData("en", "This password is one of the most common and easy to guess; choose another.")]
    public void EveryValidatorThatSetsAPassword_UsesTheRule(string culture, string message)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        const string common = "iloveyou123";
        IEnumerable<string> Messages(FluentValidation.Results.ValidationResult r) => r.Errors.Select(e => e.ErrorMessage);

        Assert.Contains(message, Messages(new CreateAdminRequestValidator().Validate(new CreateAdminRequest { Email = "ops@kelola.test", Name = "Ops", Password = common })));
        Assert.Contains(message, Messages(new IssueLicenceRequestValidator().Validate(new IssueLicenceRequest
        {
            Name = "Toko", OwnerUsername = "budi", OwnerDisplayName = "Budi", OwnerPassword = common,
        })));
        Assert.Contains(message, Messages(new NewMemberInputValidator().Validate(new NewMemberInput
        {
            Username = "sinta", DisplayName = "Sinta", GeneratePassword = false, Password = common,
        })));
        Assert.Contains(message, Messages(new ChangePasswordRequestValidator().Validate(new ChangePasswordRequest
        {
            CurrentPassword = "Lama-Sandi-2025", NewPassword = common, ConfirmPassword = common,
        })));
    }

    [Fact]
    public void ChangingToAPasswordWithTheOwnUsername_IsRefused_AndTheOtherChangeRulesSpeakEnglishToo()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
        var result = new ChangePasswordRequestValidator().Validate(new ChangePasswordRequest
        {
            CurrentPassword = "Lama-Sandi-2025", NewPassword = "budi-baru-2026", ConfirmPassword = "different-2026x", AccountNames = ["budi"],
        });
        Assert.Equal(["The password must not be or contain the username or email.", "The passwords do not match."], result.Errors.Select(e => e.ErrorMessage));
    }
}
