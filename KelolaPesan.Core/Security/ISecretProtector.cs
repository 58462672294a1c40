namespace KelolaPesan.Core.Security;

/// <summary>
/// Encrypts secrets that must be read back (webhook HMAC keys, tokens). Core cannot reference ASP.NET Core
/// Data Protection cleanly, so the Data project implements this port with it (keys in the database).
/// </summary>
public interface ISecretProtector
{
    string Protect(string purpose, string plaintext);

    /// <summary>The plaintext, or null when the ciphertext cannot be read (tampered, or the key ring lost it).</summary>
    string? Unprotect(string purpose, string ciphertext);
}
