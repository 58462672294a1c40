using System.Net;
using System.Text;
using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.ExternalApi;

[Collection(ExternalApiCollection.Name)]
public sealed class ApiKeyStorageTests(ExternalApiHost host)
{
    [Fact]
    public async Task TheDatabaseFile_HoldsNoPlainKey_OnlyItsHash()
    {
        var (id, key) = await host.CreateKeyAsync();
        var secret = ApiKeyService.Parse(key)!.Value.Secret;
        await using (var db = host.System())
        {
            var row = await db.ApiKeys.SingleAsync(k => k.Id == id);
            Assert.Equal(Core.Security.SecretHash.Compute(secret), row.SecretHash);
            await ((DbContext)db).Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }

        foreach (var file in Directory.GetFiles(host.App.DataDirectory, DatabaseSettings.SqliteFileName + "*"))
        {
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var buffer = new MemoryStream())
            {
                await stream.CopyToAsync(buffer);
                bytes = buffer.ToArray();
            }
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{Path.GetFileName(file)} holds the secret");
            Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)) < 0, $"{Path.GetFileName(file)} holds the secret (UTF-16)");
        }
    }

    [Fact]
    public async Task LastUsed_IsWrittenOnceAMinute_NotPerRequest()
    {
        var (id, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        using (var first = await client.GetAsync("/api/v1/workspaces"))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        DateTimeOffset? stamped;
        await using (var db = host.System())
            stamped = (await db.ApiKeys.SingleAsync(k => k.Id == id)).LastUsedAt;
        Assert.NotNull(stamped);
        await Task.Delay(20);
        using (var second = await client.GetAsync("/api/v1/workspaces"))
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await using (var db = host.System())
            Assert.Equal(stamped, (await db.ApiKeys.SingleAsync(k => k.Id == id)).LastUsedAt);
    }

    [Fact]
    public async Task PastTheRateLimit_Answers429WithRetryAfter()
    {
        var (_, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        HttpResponseMessage? limited = null;
        for (var i = 0; i <= ExternalApiHost.PermitsPerMinute && limited is null; i++)
        {
            var response = await client.GetAsync("/api/v1/workspaces");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                limited = response;
            else
                response.Dispose();
        }
        Assert.NotNull(limited);
        using (limited)
        {
            Assert.True(limited!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        }
        // Another key of the same tenant has its own bucket.
        var (_, other) = await host.CreateKeyAsync();
        using var fine = await host.Client(other).GetAsync("/api/v1/workspaces");
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task TheReference_IsServedWithTheBearerScheme()
    {
        using var client = host.Client(null);
        var document = await client.GetStringAsync("/api/openapi/v1.json");
        Assert.Contains("/api/v1/messages", document);
        Assert.Contains("\"bearer\"", document);
        using var docs = await client.GetAsync("/api/docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
    }
}
