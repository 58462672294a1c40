using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KelolaPesan.Core.ExternalApi;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.ExternalApi;

/// <summary>
/// An <c>Idempotency-Key</c> stands for one request (IETF draft "The Idempotency-Key HTTP Header Field"): the same
/// request again answers the first result, the key sent with another body answers 422 and sends nothing.
/// </summary>
public sealed class ApiIdempotencyTests
{
    [Theory, Providers]
    public async Task AKeyReusedWithAnotherBody_Answers422WithItsCode_WhileTheSameBodyStillAnswersTheFirstResult(DatabaseProvider provider)
    {
        var host = new ExternalApiHost { Provider = provider };
        await host.InitializeAsync();
        try
        {
            var (_, key) = await host.CreateKeyAsync();
            using var client = host.Client(key);
            var first = $$"""{"workspaceId":"{{host.ShopId}}","to":"081234567811","text":"Pesanan 1001 dikirim {{Guid.NewGuid():N}}"}""";
            var other = first.Replace("1001", "1002");

            using var sent = await PostAsync(client, first, "order-1001");
            using var reused = await PostAsync(client, other, "order-1001");
            using var reusedInIndonesian = await PostAsync(client, other, "order-1001", language: "id");
            using var repeated = await PostAsync(client, first, "order-1001");

            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
            Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
            var problem = await reused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Api_IdempotencyKeyReused", problem.GetProperty("code").GetString());
            Assert.StartsWith("This Idempotency-Key was already used for a different request", problem.GetProperty("detail").GetString());
            var indonesian = await reusedInIndonesian.Content.ReadFromJsonAsync<JsonElement>();
            Assert.StartsWith("Idempotency-Key ini sudah dipakai untuk permintaan lain", indonesian.GetProperty("detail").GetString());
            Assert.Equal(HttpStatusCode.Accepted, repeated.StatusCode);
            Assert.True(repeated.Headers.Contains("Idempotent-Replayed"));
            var firstId = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            Assert.Equal(firstId, (await repeated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());

            // The other body was never sent, nor stored.
            Assert.Single(host.Waha.RequestsTo("POST", "/api/sendText"), r => r.Body.Contains("Pesanan 100"));
            await using var db = host.System();
            Assert.Equal(1, await db.Messages.CountAsync(m => m.Body.StartsWith("Pesanan 100")));
            var record = await db.ApiIdempotencyRecords.SingleAsync(r => r.Key == "order-1001");
            Assert.Equal(ApiIdempotencyRecord.FingerprintLength, record.Fingerprint?.Length);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheFingerprint_TellsMethodsPathsAndBodiesApart_ButNotACaseOrAFinalSlash()
    {
        static Task<byte[]> Of(string method, string path, string body) =>
            ApiIdempotencyRecord.FingerprintAsync(method, path, new MemoryStream(Encoding.UTF8.GetBytes(body)));
        var post = await Of("POST", "/api/v1/messages", """{"text":"a"}""");

        Assert.Equal(post, await Of("post", "/API/v1/messages/", """{"text":"a"}"""));
        Assert.NotEqual(post, await Of("PUT", "/api/v1/messages", """{"text":"a"}"""));
        Assert.NotEqual(post, await Of("POST", "/api/v1/broadcasts", """{"text":"a"}"""));
        Assert.NotEqual(post, await Of("POST", "/api/v1/messages", """{"text":"b"}"""));
        Assert.Equal(32, post.Length);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string json, string idempotencyKey, string? language = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (language is not null)
            request.Headers.AcceptLanguage.ParseAdd(language);
        return client.SendAsync(request);
    }

    /// <summary>
    /// QA (2026-12-06): a send whose Pending message was never stored (the client went away, the database failed) kept
    /// its key "in progress" (409) for the record's 24 hours, and the client's correct retry could never send.
    /// </summary>
    [Theory, Providers]
    public async Task AFirstAttemptThatStoredNothing_ReleasesItsKey_SoTheRetrySends(DatabaseProvider provider)
    {
        var fault = new FailingMessageInsert();
        await using var host = await Workspaces.CoreServiceHost.CreateAsync(provider: provider, interceptors: [fault]);
        var workspace = await host.AddWorkspaceAsync();
        var caller = new ApiCaller(Guid.CreateVersion7(), host.TenantId, null, "Toko Online", "abc", LicenceAllowsApi: true);
        var request = new SendMessageRequest { WorkspaceId = workspace.Id, To = "081234567812", Text = "Pesanan 2001 dikirim" };
        var key = new ApiIdempotencyKey("order-2001", new byte[ApiIdempotencyRecord.FingerprintLength]);

        fault.Armed = true;
        await Assert.ThrowsAnyAsync<Exception>(() => host.InScopeAsync(sp => sp.GetRequiredService<ApiMessageService>().SendAsync(caller, request, key)));
        fault.Armed = false;
        var retry = await host.InScopeAsync(sp => sp.GetRequiredService<ApiMessageService>().SendAsync(caller, request, key));

        Assert.Equal(ApiSendKind.Sent, retry.Kind);
        await using var db = host.Database.CreateSystem();
        Assert.Equal(1, await db.Messages.CountAsync(m => m.Body == "Pesanan 2001 dikirim"));
        Assert.Equal(202, (await db.ApiIdempotencyRecords.SingleAsync(r => r.Key == "order-2001")).StatusCode);
    }

    /// <summary>Refuses storing a message while armed: a failure after the key's record was written.</summary>
    private sealed class FailingMessageInsert : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public volatile bool Armed;

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default) =>
            Armed && command.CommandText.Contains("INSERT INTO \"Messages\"", StringComparison.Ordinal)
                ? throw new InvalidOperationException("the database refused the write")
                : base.ReaderExecutingAsync(command, eventData, result, cancellationToken);

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> NonQueryExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            Armed && command.CommandText.Contains("INSERT INTO \"Messages\"", StringComparison.Ordinal)
                ? throw new InvalidOperationException("the database refused the write")
                : base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }
}
