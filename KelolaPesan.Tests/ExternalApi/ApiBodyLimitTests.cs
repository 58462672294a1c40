using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace KelolaPesan.Tests.ExternalApi;

/// <summary>The API's body limit holds for a body without a declared length, and answers with its problem code.</summary>
[Collection(ExternalApiCollection.Name)]
public sealed class ApiBodyLimitTests(ExternalApiHost host)
{
    private const long HostileBytes = 30L * 1024 * 1024;

    /// <summary>QA (2026-12-06): a chunked body over 1 MB answered 413 with nothing in it.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("contact-big")]
    public async Task AChunkedBodyOverTheLimit_Answers413WithItsCode_WithoutBeingReadToTheEnd(string? idempotencyKey)
    {
        var (_, key) = await host.CreateKeyAsync();
        var url = new Uri($"{host.App.BaseUrl.TrimEnd('/')}/api/v1/workspaces/{host.ShopId}/contacts");
        var clock = Stopwatch.StartNew();

        var (head, body, sent) = await PostChunkedAsync(url, key, idempotencyKey, HostileBytes);

        Assert.True(head.StartsWith("HTTP/1.1 413", StringComparison.Ordinal), head + "\n\n" + body);
        Assert.Contains("application/problem+json", head, StringComparison.OrdinalIgnoreCase);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Api_BodyTooLarge", problem.GetProperty("code").GetString());
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.StartsWith("The request body is larger than 1,000,000 bytes", problem.GetProperty("detail").GetString());
        // The server stopped at the limit: the client could not push the 30 MB, and the answer came at once.
        Assert.True(sent < 8L * 1024 * 1024, $"the client sent {sent / 1024 / 1024} MB before the answer");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the answer took {clock.Elapsed}");
    }

    [Fact]
    public async Task ADeclaredLengthOverTheLimit_Answers413WithItsCode_InTheClientsLanguage()
    {
        var (_, key) = await host.CreateKeyAsync();
        using var client = host.Client(key);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/workspaces/{host.ShopId}/contacts")
        {
            Content = new ByteArrayContent(new byte[1_500_000]),
        };
        request.Headers.AcceptLanguage.ParseAdd("id");
        using var response = await client.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Api_BodyTooLarge", problem.GetProperty("code").GetString());
        Assert.StartsWith("Isi permintaan lebih dari 1.000.000 byte", problem.GetProperty("detail").GetString());
    }

    /// <summary>
    /// Posts a chunked body over a raw socket while reading the answer (HttpClient would report the server's early
    /// close as a send error and hide the answer); returns the answer's head and body and how many bytes were sent.
    /// </summary>
    private static async Task<(string Head, string Body, long Sent)> PostChunkedAsync(Uri url, string apiKey, string? idempotencyKey, long length)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(url.Host, url.Port);
        var stream = tcp.GetStream();
        var head = $"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nAuthorization: Bearer {apiKey}\r\n"
            + (idempotencyKey is null ? "" : $"Idempotency-Key: {idempotencyKey}\r\n")
            + "Accept-Language: en\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        var answer = ReadAnswerAsync(stream);
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)' ');
        chunk[0] = (byte)'{';
        var prefix = Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n");
        long sent = 0;
        try
        {
            for (; sent < length && !answer.IsCompleted; sent += chunk.Length)
            {
                await stream.WriteAsync(prefix);
                await stream.WriteAsync(chunk);
                await stream.WriteAsync("\r\n"u8.ToArray());
                // One "{" and then only whitespace: JSON that stays valid to the limit. A "{" in every chunk made the body
                // malformed at 64 KB, and a parser that got there before the limit rightly answered 400 (seen in CI).
                chunk[0] = (byte)' ';
            }
            if (!answer.IsCompleted)
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        }
        catch (IOException)
        {
            // The server answered and closed the connection: what it should do.
        }
        var (answerHead, answerBody) = await answer.WaitAsync(TimeSpan.FromSeconds(30));
        return (answerHead, answerBody, sent);
    }

    /// <summary>The answer's head and its body (a chunked one decoded), read until it is complete or the server closes.</summary>
    private static async Task<(string Head, string Body)> ReadAnswerAsync(Stream stream)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, read);
                var text = Encoding.UTF8.GetString(received.ToArray());
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end < 0)
                    continue;
                var head = text[..end];
                var rest = text[(end + 4)..];
                if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase) && rest.EndsWith("0\r\n\r\n", StringComparison.Ordinal))
                    return (head, Dechunk(rest));
                var length = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                if (length is not null && Encoding.UTF8.GetByteCount(rest) >= int.Parse(length["Content-Length:".Length..].Trim()))
                    return (head, rest);
            }
        }
        catch (IOException)
        {
        }
        var all = Encoding.UTF8.GetString(received.ToArray());
        var split = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return split < 0 ? (all, "") : (all[..split], all[(split + 4)..]);
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var at = 0;
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[at..lineEnd], 16);
            if (size == 0)
                return body.ToString();
            body.Append(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
