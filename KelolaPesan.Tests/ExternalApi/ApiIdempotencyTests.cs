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

    /// <summary>QA (2026-12-06): the same JSON serialised again (another library, another key order) answered 422.</summary>
    [Fact]
    public async Task TheFingerprint_CountsAJsonBodyByItsMeaning_NotItsWhitespaceKeyOrderOrEscapes()
    {
        static Task<byte[]> Of(string body) =>
            ApiIdempotencyRecord.FingerprintAsync("POST", "/api/v1/broadcasts", new MemoryStream(Encoding.UTF8.GetBytes(body)));
        var compact = await Of("""{"name":"Promo","to":["0812","0813"],"pacing":{"min":30,"max":60},"note":null}""");

        Assert.Equal(compact, await Of("""
            {
              "pacing": { "max": 60, "min": 30 },
              "note": null,
              "to": [ "0812", "0813" ],
              "name": "Pr\u006fmo"
            }
            """));
        // What a value is still counts: another value, another order of a list, another type.
        Assert.NotEqual(compact, await Of("""{"name":"Promo","to":["0813","0812"],"pacing":{"min":30,"max":60},"note":null}"""));
        Assert.NotEqual(compact, await Of("""{"name":"Promo","to":["0812","0813"],"pacing":{"min":"30","max":60},"note":null}"""));
        Assert.NotEqual(compact, await Of("""{"name":"promo","to":["0812","0813"],"pacing":{"min":30,"max":60},"note":null}"""));
        // A body that is not JSON counts by its bytes.
        Assert.Equal(await Of("{not json"), await Of("{not json"));
        Assert.NotEqual(await Of("{not json"), await Of("{not  json"));
    }

    /// <summary>
    /// QA (2026-12-06): only POST /api/v1/messages honoured the key; a client retrying a contact or a broadcast after a
    /// lost answer created it twice.
    /// </summary>
    [Theory, Providers]
    public async Task EveryCreatingPost_HonoursTheKey_ARepeatAnswersTheFirstAnswerAndCreatesNothing(DatabaseProvider provider)
    {
        var host = new ExternalApiHost { Provider = provider };
        await host.InitializeAsync();
        try
        {
            var (_, key) = await host.CreateKeyAsync();
            using var client = host.Client(key);
            var contactsPath = $"/api/v1/workspaces/{host.ShopId}/contacts";
            var contact = """{"name":"Ani Idem","phone":"081234567821","email":"ani@example.com","optedOut":false,"listIds":[]}""";
            var sameContactAgain = """

                { "listIds": [ ], "email": "ani@example.com", "optedOut": false,
                  "phone": "081234567821", "name": "Ani Idem" }
                """;

            using var created = await PostToAsync(client, contactsPath, contact, "contact-1");
            using var repeated = await PostToAsync(client, contactsPath, sameContactAgain, "contact-1");
            using var reused = await PostToAsync(client, contactsPath, contact.Replace("Ani Idem", "Budi Idem"), "contact-1");

            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal(HttpStatusCode.Created, repeated.StatusCode);
            Assert.True(repeated.Headers.Contains("Idempotent-Replayed"));
            Assert.False(created.Headers.Contains("Idempotent-Replayed"));
            Assert.Equal(created.Headers.Location, repeated.Headers.Location);
            var first = await created.Content.ReadFromJsonAsync<JsonElement>();
            var again = await repeated.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(first.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());
            Assert.Equal("ani@example.com", again.GetProperty("email").GetString());
            Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
            Assert.Equal("Api_IdempotencyKeyReused", (await reused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

            var broadcast = $$"""{"name":"Idem {{Guid.NewGuid():N}}","workspaceId":"{{host.ShopId}}","pastedNumbers":"081234567822","messageTemplate":"Halo","scheduledLocal":"{{DateTime.UtcNow.AddDays(2):yyyy-MM-ddTHH:mm:ss}}"}""";
            using var broadcastCreated = await PostToAsync(client, "/api/v1/broadcasts", broadcast, "broadcast-1");
            using var broadcastRepeated = await PostToAsync(client, "/api/v1/broadcasts", broadcast, "broadcast-1");
            Assert.Equal(HttpStatusCode.Created, broadcastCreated.StatusCode);
            Assert.Equal(HttpStatusCode.Created, broadcastRepeated.StatusCode);
            var broadcastId = (await broadcastCreated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            Assert.Equal(broadcastId, (await broadcastRepeated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
            Assert.Equal($"/api/v1/broadcasts/{broadcastId}", broadcastRepeated.Headers.Location?.ToString());

            // A pause sent again with its key answers the first pause, not "a paused broadcast cannot be paused".
            using var paused = await PostToAsync(client, $"/api/v1/broadcasts/{broadcastId}/pause", "", "pause-1");
            using var pausedAgain = await PostToAsync(client, $"/api/v1/broadcasts/{broadcastId}/pause", "", "pause-1");
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
            Assert.Equal(HttpStatusCode.OK, pausedAgain.StatusCode);
            Assert.Equal("Paused", (await pausedAgain.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

            await using var db = host.System();
            Assert.Equal(1, await db.Contacts.CountAsync(c => c.Phone == "+6281234567821"));
            Assert.Equal(0, await db.Contacts.CountAsync(c => c.Name == "Budi Idem"));
            Assert.Equal(1, await db.Broadcasts.CountAsync(b => b.Name == JsonDocument.Parse(broadcast).RootElement.GetProperty("name").GetString()));
            var audited = await db.AuditEntries.Where(a => a.TargetId == first.GetProperty("id").GetGuid().ToString() || a.TargetId == broadcastId.ToString())
                .Select(a => a.Action).ToListAsync();
            Assert.Equal([ApiAuditActions.BroadcastCreated, ApiAuditActions.BroadcastPaused, ApiAuditActions.ContactCreated], audited.Order());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Theory, Providers]
    public async Task ARefusedRequest_ReleasesItsKey_SoTheCorrectedRequestActs_AndATooLongKeyIsRefused(DatabaseProvider provider)
    {
        var host = new ExternalApiHost { Provider = provider };
        await host.InitializeAsync();
        try
        {
            var (_, key) = await host.CreateKeyAsync();
            using var client = host.Client(key);
            var path = $"/api/v1/workspaces/{host.ShopId}/contacts";

            using var refused = await PostToAsync(client, path, """{"name":"Citra Idem","phone":"081234567831","email":"citra@x"}""", "contact-2");
            using var corrected = await PostToAsync(client, path, """{"name":"Citra Idem","phone":"081234567831","email":"citra@example.com"}""", "contact-2");
            using var tooLong = await PostToAsync(client, path, """{"name":"Dewi Idem","phone":"081234567832"}""", new string('k', ApiIdempotencyRecord.KeyMaxLength + 1), "id");

            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
            Assert.False(corrected.Headers.Contains("Idempotent-Replayed"));
            Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
            var problem = await tooLong.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains("Api_IdempotencyKeyTooLong", problem.GetRawText());
            Assert.Contains("Idempotency-Key paling banyak 200 karakter", problem.GetRawText());
            await using var db = host.System();
            Assert.Equal(0, await db.Contacts.CountAsync(c => c.Name == "Dewi Idem"));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Theory, Providers]
    public async Task AKeyWhoseFirstRequestStillRuns_IsInProgress_AndOneKeyIsClaimedOnceEvenAtOnce(DatabaseProvider provider)
    {
        await using var host = await Workspaces.CoreServiceHost.CreateAsync(provider: provider);
        var caller = new ApiCaller(Guid.CreateVersion7(), host.TenantId, null, "Toko Online", "abc", LicenceAllowsApi: true);
        var key = new ApiIdempotencyKey("order-3001", Enumerable.Repeat((byte)7, ApiIdempotencyRecord.FingerprintLength).ToArray());

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            host.InScopeAsync(sp => sp.GetRequiredService<ApiIdempotencyService>().ClaimAsync(caller, key))));
        var claimed = Assert.Single(claims, c => c.Kind == ApiIdempotencyClaimKind.Claimed);
        Assert.All(claims.Where(c => c != claimed), c => Assert.Equal(ApiIdempotencyClaimKind.InProgress, c.Kind));

        await host.InScopeAsync(async sp =>
        {
            var keys = sp.GetRequiredService<ApiIdempotencyService>();
            await keys.CompleteAsync(claimed.Record, 201, "{}");
            Assert.Equal(ApiIdempotencyClaimKind.Repeat, (await keys.ClaimAsync(caller, key)).Kind);
            Assert.Equal(ApiIdempotencyClaimKind.KeyReused, (await keys.ClaimAsync(caller, key with { Fingerprint = new byte[ApiIdempotencyRecord.FingerprintLength] })).Kind);
            return 0;
        });
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string json, string idempotencyKey, string? language = null) =>
        PostToAsync(client, "/api/v1/messages", json, idempotencyKey, language);

    private static Task<HttpResponseMessage> PostToAsync(HttpClient client, string path, string json, string idempotencyKey, string? language = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = json.Length == 0 ? null : new StringContent(json, Encoding.UTF8, "application/json") };
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
