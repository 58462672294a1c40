using System.Security.Cryptography;
using KelolaPesan.Core.Security;
using Microsoft.AspNetCore.DataProtection;

namespace KelolaPesan.Data.Security;

/// <summary><see cref="ISecretProtector"/> over ASP.NET Core Data Protection, whose key ring lives in the database.</summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    public string Protect(string purpose, string plaintext) => provider.CreateProtector(purpose).Protect(plaintext);

    public string? Unprotect(string purpose, string ciphertext)
    {
        try
        {
            return provider.CreateProtector(purpose).Unprotect(ciphertext);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
