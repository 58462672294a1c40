using Microsoft.AspNetCore.Identity;

namespace KelolaPesan.Core.Accounts;

/// <summary>ASP.NET Core's PBKDF2 password hasher, shared by tenant users and admins.</summary>
public static class PasswordHashing
{
    /// <summary>The policy's minimum (<see cref="PasswordRule"/>), kept here for the forms that show it.</summary>
    public const int MinLength = PasswordRule.MinLength;
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object User = new();

    public static string Hash(string password) => Hasher.HashPassword(User, password);

    /// <summary>A hash of a random password, made with today's parameters: verified against when there is no account.</summary>
    public static string DummyHash { get; } = Hash(Guid.NewGuid().ToString("N"));

    public static bool Verify(string hash, string password) =>
        !string.IsNullOrEmpty(hash) && Hasher.VerifyHashedPassword(User, hash, password) != PasswordVerificationResult.Failed;
}
