using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KelolaPesan.Core.Security;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KelolaPesan.Tests.Webhooks.AppWorkspaces;

namespace KelolaPesan.Tests.Security;

/// <summary>With DataProtection:CertificatePath set, the key ring in the database is encrypted with that certificate.</summary>
public sealed class DataProtectionKeyRingTests
{
    [Fact]
    public async Task WithACertificate_TheStoredKeysAreEncrypted_AndSecretsStillRoundTrip()
    {
        var pfx = Path.Combine(Path.GetTempPath(), $"kelola-dp-{Guid.NewGuid():N}.pfx");
        const string password = "uji-sertifikat-1";
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=Kelola Pesan key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, password));
        }
        try
        {
            await using var app = new KelolaAppFactory()
                .WithSetting("DataProtection:CertificatePath", pfx)
                .WithSetting("DataProtection:CertificatePassword", password);
            await app.StartAsync();

            // The demo data's webhook keys were protected at start; one more secret, read back through the key ring.
            var secrets = app.Services.GetRequiredService<ISecretProtector>();
            Assert.Equal("rahasia", secrets.Unprotect("test", secrets.Protect("test", "rahasia")));

            var keys = await QueryAsync(app, db => ((DbContext)db).Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>().Select(k => k.Xml!).ToListAsync());
            Assert.NotEmpty(keys);
            Assert.All(keys, xml =>
            {
                Assert.Contains("<encryptedSecret", xml);
                Assert.Contains("EncryptedData", xml);
                Assert.DoesNotContain("<masterKey", xml);
            });
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    [Fact]
    public async Task WithoutACertificate_TheKeysAreStoredPlain_WhichIsWhatTheSettingChanges()
    {
        await using var app = new KelolaAppFactory();
        await app.StartAsync();
        var secrets = app.Services.GetRequiredService<ISecretProtector>();
        secrets.Protect("test", "rahasia");
        var keys = await QueryAsync(app, db => ((DbContext)db).Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>().Select(k => k.Xml!).ToListAsync());
        Assert.Contains(keys, xml => xml.Contains("<masterKey", StringComparison.Ordinal));
    }
}
