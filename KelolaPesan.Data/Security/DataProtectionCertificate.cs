using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace KelolaPesan.Data.Security;

/// <summary>
/// The certificate that encrypts the Data Protection key ring at rest (the keys sit in the same database as the
/// tokens and secrets they protect). From <c>DataProtection:CertificatePath</c> (a .pfx, with
/// <c>DataProtection:CertificatePassword</c>) or <c>DataProtection:CertificateThumbprint</c> (the current user's or
/// the machine's personal store). A setting that names a certificate that cannot be loaded stops the start: running on
/// with unprotected keys would be the silent failure.
/// </summary>
public static class DataProtectionCertificate
{
    public const string Section = "DataProtection";

    /// <summary>True when a certificate is configured (whether or not it loads).</summary>
    public static bool IsConfigured(IConfiguration config) =>
        !string.IsNullOrWhiteSpace(config[$"{Section}:CertificatePath"]) || !string.IsNullOrWhiteSpace(config[$"{Section}:CertificateThumbprint"]);

    public static X509Certificate2? Load(IConfiguration config, string contentRoot)
    {
        if (config[$"{Section}:CertificatePath"] is { Length: > 0 } path)
        {
            var full = Path.IsPathRooted(path) ? path : Path.Combine(contentRoot, path);
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(full, config[$"{Section}:CertificatePassword"]);
            return certificate.HasPrivateKey ? certificate
                : throw new InvalidOperationException($"The Data Protection certificate '{full}' has no private key.");
        }
        if (config[$"{Section}:CertificateThumbprint"] is { Length: > 0 } thumbprint)
        {
            foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
            {
                using var store = new X509Store(StoreName.My, location);
                store.Open(OpenFlags.ReadOnly);
                var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint.Replace(" ", "", StringComparison.Ordinal), validOnly: false);
                if (found.FirstOrDefault(c => c.HasPrivateKey) is { } certificate)
                    return certificate;
            }
            throw new InvalidOperationException($"No certificate with a private key and thumbprint {thumbprint} is in the personal store.");
        }
        return null;
    }
}
