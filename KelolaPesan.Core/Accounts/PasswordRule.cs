using System.Reflection;
using FluentValidation;

namespace KelolaPesan.Core.Accounts;

/// <summary>
/// The one password policy of every account (tenant users, agency owners, admins, the create-admin command): at least
/// <see cref="MinLength"/> characters, not the account's username or email (nor containing them), not one of the most
/// common passwords (Accounts/CommonPasswords.txt, embedded). It applies when a password is set; stored hashes keep working.
/// </summary>
public static class PasswordRule
{
    public const int MinLength = 10;

    /// <summary>PBKDF2 over a megabyte would be a cheap way to burn CPU; no real password is this long.</summary>
    public const int MaxLength = 128;

    /// <summary>Names shorter than this are only refused as the whole password: "Ani" must not forbid every "ani" inside a word.</summary>
    public const int MinNameLengthForContains = 3;

    private static readonly Lazy<HashSet<string>> Common = new(LoadCommon);

    /// <summary>
    /// Adds the policy to a password property. <paramref name="accountNames"/> gives the username and/or email of the account
    /// the password is for. Stops at the first broken rule, so the user reads one clear message.
    /// </summary>
    public static IRuleBuilderOptions<T, string> Password<T>(this IRuleBuilderInitial<T, string> rule, Func<T, IEnumerable<string?>> accountNames) =>
        rule.Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(_ => AccountText.Get("Password_Required"))
            .MinimumLength(MinLength).WithMessage(_ => AccountText.Format("Password_TooShort", MinLength))
            .MaximumLength(MaxLength).WithMessage(_ => AccountText.Format("Password_TooLong", MaxLength))
            .Must((x, password) => !ContainsAccountName(password, accountNames(x))).WithMessage(_ => AccountText.Get("Password_ContainsName"))
            .Must(password => !IsCommon(password)).WithMessage(_ => AccountText.Get("Password_Common"));

    public static bool IsCommon(string? password) => password is not null && Common.Value.Contains(password.Trim());

    public static bool ContainsAccountName(string? password, IEnumerable<string?> names)
    {
        if (string.IsNullOrEmpty(password))
            return false;
        foreach (var name in names.SelectMany(Variants))
        {
            if (string.Equals(password, name, StringComparison.OrdinalIgnoreCase))
                return true;
            if (name.Length >= MinNameLengthForContains && password.Contains(name, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>The name itself and, for an email, its part before the @ (the part people reuse).</summary>
    private static IEnumerable<string> Variants(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
            yield break;
        yield return trimmed;
        var at = trimmed.IndexOf('@');
        if (at > 0)
            yield return trimmed[..at];
    }

    private static HashSet<string> LoadCommon()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("KelolaPesan.Core.Accounts.CommonPasswords.txt")
            ?? throw new InvalidOperationException("The common password list is not embedded.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length > 0 && !line.StartsWith('#'))
                set.Add(line);
        }
        return set;
    }
}
