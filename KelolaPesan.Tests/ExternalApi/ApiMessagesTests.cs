using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KelolaPesan.Core.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.ExternalApi;

[Collection(ExternalApiCollection.Name)]
public sealed class ApiMessagesTests(ExternalApiHost host)
{
    [Fact]
    public async Task TheSameIdempotencyKeyTwice_SendsOnceAtWaha_AndAnswersTheFirstResult()
    {
        var (_, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        var text = "Pesanan siap " + Guid.NewGuid().ToString("N");
        var body = new { workspaceId = host.ShopId, to = "0812 3456 7801", text };

        var first = await SendAsync(client, body, "order-1001");
        var second = await SendAsync(client, body, "order-1001");

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal(HttpStatusCode.Accepted, second.Status);
        Assert.Equal(first.Json.GetProperty("id").GetGuid(), second.Json.GetProperty("id").GetGuid());
        Assert.Equal("Sent", first.Json.GetProperty("status").GetString());
        Assert.True(second.Replayed);
        Assert.Single(host.Waha.RequestsTo("POST", "/api/sendText"), r => r.Body.Contains(text));

        var status = await client.GetFromJsonAsync<JsonElement>($"/api/v1/messages/{first.Json.GetProperty("id").GetGuid()}");
        Assert.Equal("Sent", status.GetProperty("status").GetString());
        Assert.Equal("+6281234567801", status.GetProperty("to").GetString());
    }

    [Fact]
    public async Task AMessagesChat_ReadsThroughTheApi_WithItsResolvedState_AndAnUnknownOneAnswersChatNotFound()
    {
        var (_, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        var sent = await SendAsync(client, new { workspaceId = host.ShopId, to = "081234567809", text = "Cek chat " + Guid.NewGuid().ToString("N") }, null);
        var chatId = sent.Json.GetProperty("chatId").GetGuid();

        var chat = await client.GetFromJsonAsync<JsonElement>($"/api/v1/chats/{chatId}");
        Assert.Equal((chatId, "+6281234567809", JsonValueKind.Null), (chat.GetProperty("id").GetGuid(), chat.GetProperty("phone").GetString(), chat.GetProperty("resolvedAt").ValueKind));

        var resolvedAt = new DateTimeOffset(2026, 3, 2, 3, 0, 0, TimeSpan.Zero);
        await using (var db = host.System())
            await db.Chats.Where(c => c.Id == chatId).ExecuteUpdateAsync(u => u.SetProperty(c => c.ResolvedAt, resolvedAt));
        chat = await client.GetFromJsonAsync<JsonElement>($"/api/v1/chats/{chatId}");
        Assert.Equal(resolvedAt, chat.GetProperty("resolvedAt").GetDateTimeOffset());

        var missing = await client.GetAsync($"/api/v1/chats/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("Chat_NotFound", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ConcurrentRepeats_StillSendOnce()
    {
        var (_, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        var text = "Serentak " + Guid.NewGuid().ToString("N");
        var body = new { workspaceId = host.ShopId, to = "081234567802", text };

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SendAsync(client, body, "same-key")));

        Assert.All(results, r => Assert.Contains(r.Status, new[] { HttpStatusCode.Accepted, HttpStatusCode.Conflict }));
        Assert.Single(host.Waha.RequestsTo("POST", "/api/sendText"), r => r.Body.Contains(text));
        await using var db = host.System();
        Assert.Equal(1, await db.Messages.CountAsync(m => m.Body == text));
    }

    [Fact]
    public async Task WithoutAnIdempotencyKey_EachCallSends()
    {
        var (_, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        var text = "Dua kali " + Guid.NewGuid().ToString("N");
        await SendAsync(client, new { workspaceId = host.ShopId, to = "081234567803", text }, null);
        await SendAsync(client, new { workspaceId = host.ShopId, to = "081234567803", text }, null);
        Assert.Equal(2, host.Waha.RequestsTo("POST", "/api/sendText").Count(r => r.Body.Contains(text)));
    }

    [Fact]
    public async Task MediaByUrl_GoesToWahaWithTheUrl()
    {
        var (_, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        var url = $"https://example.com/katalog-{Guid.NewGuid():N}.pdf";
        var result = await SendAsync(client, new { workspaceId = host.ShopId, to = "081234567804", text = "Katalog", media = new { url } }, null);
        Assert.Equal(HttpStatusCode.Accepted, result.Status);
        var sent = Assert.Single(host.Waha.RequestsTo("POST", "/api/sendFile"), r => r.Body.Contains(url));
        Assert.Equal("application/pdf", sent.Json!["file"]!["mimetype"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"text":"hi"}""", "to")]
    [InlineData("""{"to":"081234567805","text":"hi"}""", "workspaceId")]
    [InlineData("""{"to":"081234567805"}""", "text")]
    [InlineData("""{"to":"081234567805","media":{"url":"ftp://x/y"}}""", "media.url")]
    public async Task AnInvalidMessage_AnswersAValidationProblemNamingTheField(string json, string field)
    {
        var (_, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        if (field != "workspaceId")
            json = $$"""{"workspaceId":"{{host.ShopId}}",""" + json[1..];
        using var response = await client.PostAsync("/api/v1/messages", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task TextWithANulCharacter_IsAMalformedBody_AndNothingIsStoredOrSent()
    {
        // PostgreSQL cannot store U+0000: these answered 500 after validation there (SQLite cut the text at it).
        var (_, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        var sends = host.Waha.RequestsTo("POST", "/api/sendText").Count;

        using var contact = await client.PostAsync($"/api/v1/workspaces/{host.ShopId}/contacts",
            new StringContent("""{"name":"Nul\u0000x","phone":"081298765499"}""", System.Text.Encoding.UTF8, "application/json"));
        using var message = await client.PostAsync("/api/v1/messages",
            new StringContent($$"""{"workspaceId":"{{host.ShopId}}","to":"081298765499","text":"racun \u0000 di sini"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (contact.StatusCode, message.StatusCode));
        // Refused with the API's problem, not a bare 400.
        Assert.Equal("Api_InvalidBody", (await message.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(sends, host.Waha.RequestsTo("POST", "/api/sendText").Count);
        await using var db = host.System();
        Assert.False(await db.Contacts.AnyAsync(c => c.Phone == "+6281298765499"));
    }

    [Fact]
    public async Task AContactsName_LosesItsControlAndBidiCharacters_AndAnEmailWithoutADottedDomain_IsRefused()
    {
        var (_, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);

        using var badEmail = await client.PostAsJsonAsync($"/api/v1/workspaces/{host.ShopId}/contacts", new { name = "Hadi", phone = "081298765477", email = "hadi@x" });
        using var created = await client.PostAsJsonAsync($"/api/v1/workspaces/{host.ShopId}/contacts",
            new { name = "Budi\u0001\u001b[31m \u202Egnorw\u202C\u0085\tSantoso\r\n", phone = "081298765478", email = "budi@toko.co.id" });

        Assert.Equal(HttpStatusCode.BadRequest, badEmail.StatusCode);
        var problem = await badEmail.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Email_Invalid", problem.GetProperty("codes").GetProperty("email")[0].GetString());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Budi[31m gnorw Santoso", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        await using var db = host.System();
        Assert.False(await db.Contacts.AnyAsync(c => c.Phone == "+6281298765477"));
    }

    [Fact]
    public async Task AContactWithABadPhone_AnswersAValidationProblemOnPhone_AndAGoodOneRoundTrips()
    {
        var (_, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        using var bad = await client.PostAsJsonAsync($"/api/v1/workspaces/{host.ShopId}/contacts", new { name = "Ani", phone = "12" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("phone", out _));

        using var created = await client.PostAsJsonAsync($"/api/v1/workspaces/{host.ShopId}/contacts", new { name = "Ani API", phone = "081298765432" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using (var updated = await client.PutAsJsonAsync($"/api/v1/workspaces/{host.ShopId}/contacts/{id}", new { name = "Ani Baru", phone = "081298765432" }))
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/workspaces/{host.ShopId}/contacts?search=Ani%20Baru&pageSize=10");
        Assert.Contains(page.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetGuid() == id);

        var list = await host.AsTenantAsync(host.TenantId, sp => sp.GetRequiredService<ContactCatalogService>().SaveListAsync(host.ShopId, null, "API " + Guid.NewGuid().ToString("N")[..6]));
        var lists = await client.GetFromJsonAsync<JsonElement>($"/api/v1/workspaces/{host.ShopId}/lists");
        var listId = lists.EnumerateArray().Single(l => l.GetProperty("id").GetGuid() == list.Id).GetProperty("id").GetGuid();
        using (var added = await client.PutAsync($"/api/v1/workspaces/{host.ShopId}/lists/{listId}/contacts/{id}", null))
            Assert.Equal(HttpStatusCode.NoContent, added.StatusCode);
        var inList = await client.GetFromJsonAsync<JsonElement>($"/api/v1/workspaces/{host.ShopId}/contacts/{id}");
        Assert.Contains(inList.GetProperty("listIds").EnumerateArray(), l => l.GetGuid() == listId);
        using (var removed = await client.DeleteAsync($"/api/v1/workspaces/{host.ShopId}/lists/{listId}/contacts/{id}"))
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        using (var deleted = await client.DeleteAsync($"/api/v1/workspaces/{host.ShopId}/contacts/{id}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await client.GetAsync($"/api/v1/workspaces/{host.ShopId}/contacts/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task ValidatingAFewNumbers_AnswersAtOnceThroughTheGateway()
    {
        var (_, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        using var response = await client.PostAsJsonAsync($"/api/v1/workspaces/{host.ShopId}/numbers/validate",
            new { numbers = new[] { "081234567891", "081234567890", "12" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(r => r.GetProperty("status").GetString()).ToList();
        Assert.Equal(["Registered", "NotRegistered", "InvalidFormat"], results);
    }

    [Fact]
    public async Task ValidatingManyNumbers_StartsAJobWithAStatusEndpoint()
    {
        var (_, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        var numbers = Enumerable.Range(0, 60).Select(i => $"08123450{i:D4}").ToArray();
        using var response = await client.PostAsJsonAsync($"/api/v1/workspaces/{host.ShopId}/numbers/validate", new { numbers });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(60, job.GetProperty("total").GetInt32());
        var status = await client.GetFromJsonAsync<JsonElement>(response.Headers.Location!.ToString());
        Assert.Equal(job.GetProperty("id").GetGuid(), status.GetProperty("id").GetGuid());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json, bool Replayed)> SendAsync(HttpClient client, object body, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(), response.Headers.Contains("Idempotent-Replayed"));
    }
}
