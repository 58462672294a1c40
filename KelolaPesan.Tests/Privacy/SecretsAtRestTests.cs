using System.Text;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Privacy;

/// <summary>
/// The policy's storage promise, checked on the bytes of the SQLite files: licence codes and passwords are hashed,
/// the workspace webhook key and the Instagram token are encrypted, so none of their plain values is anywhere on disk.
/// (API keys are not built on this branch; the Instagram token goes through ISecretProtector as the OAuth flow will.)
/// </summary>
public sealed class SecretsAtRestTests
{
    [Fact]
    public async Task TheDatabaseFiles_HoldNoPlainLicenceCodePasswordWebhookKeyOrInstagramToken()
    {
        await using var host = await PrivacyHost.CreateAsync();
        const string password = "Rahasia-Sandi-8271!";
        var issued = await host.Run<LicenceService, IssuedLicence>(s => s.IssueAsync(new IssueLicenceRequest
        {
            Name = "Toko Rahasia", OwnerUsername = "pemilikrahasia", OwnerDisplayName = "Pemilik", OwnerPassword = password, MaxWorkspaces = 2,
        }, AuditActor.System));
        host.CurrentTenant = issued.HolderId;

        var created = await host.Run<WorkspaceService, WorkspaceResult>(s => s.CreateAsync(new WorkspaceInput { Name = "Toko" }));
        var workspaceId = created.WorkspaceId!.Value;
        Assert.True((await host.Run<WorkspaceService, WorkspaceResult>(s => s.ConnectAsync(workspaceId))).Succeeded);
        string webhookKey;
        await using (var db = host.Database.CreateForTenant(issued.HolderId))
        {
            var encrypted = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.WebhookSecretEncrypted).SingleAsync();
            webhookKey = host.Secrets.Unprotect(WorkspaceService.WebhookSecretPurpose, encrypted!)!;
            Assert.NotEqual(encrypted, webhookKey);
        }
        const string token = "IGQVJ-plain-instagram-token-5c1e8b7d";
        await using (var db = host.Database.CreateForTenant(issued.HolderId))
        {
            db.InstagramAccounts.Add(new Core.Instagram.InstagramAccount
            {
                TenantId = issued.HolderId, WorkspaceId = workspaceId, InstagramUserId = "17841", Username = "toko",
                AccessTokenEncrypted = host.Secrets.Protect("KelolaPesan.Instagram.Token", token),
            });
            await db.SaveChangesAsync();
        }
        // The values really are usable, so a miss below means "stored protected", not "never stored".
        await using (var db = host.Database.CreateSystem())
        {
            var user = await db.Users.SingleAsync(u => u.Username == "pemilikrahasia");
            Assert.True(PasswordHashing.Verify(user.PasswordHash, password));
        }

        using (var connection = new SqliteConnection(host.Database.ConnectionString))
            SqliteConnection.ClearPool(connection);
        var files = Directory.GetFiles(host.Database.Folder).Where(f => Path.GetFileName(f).StartsWith(Path.GetFileName(host.Database.FilePath), StringComparison.Ordinal)).ToList();
        Assert.Contains(host.Database.FilePath, files);
        var bytes = files.SelectMany(File.ReadAllBytes).ToArray();
        Assert.True(Contains.Find(bytes, "pemilikrahasia"u8.ToArray()), "sanity: the files hold the user's row");
        foreach (var secret in new[] { issued.Code, issued.Code.Replace("-", "", StringComparison.Ordinal), password, webhookKey, token })
        {
            Assert.False(Contains.Find(bytes, Encoding.UTF8.GetBytes(secret)), $"plain value found on disk: {secret[..4]}...");
            Assert.False(Contains.Find(bytes, Encoding.Unicode.GetBytes(secret)), $"plain UTF-16 value found on disk: {secret[..4]}...");
        }
    }

    private static class Contains
    {
        public static bool Find(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
    }
}
