using System.Security.Cryptography;

namespace KelolaPesan.Core.Security;

/// <summary>Random codes in Crockford base32 (no I, L, O, U): easy to read aloud and type.</summary>
public static class RandomCode
{
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A code of <paramref name="length"/> characters carrying 5 bits each.</summary>
    public static string Create(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
