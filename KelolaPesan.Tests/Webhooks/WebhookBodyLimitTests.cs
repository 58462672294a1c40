using System.Diagnostics;
using System.Net;
using KelolaPesan.Tests.Infrastructure;

namespace KelolaPesan.Tests.Webhooks;

/// <summary>Webhook bodies are limited before they are read, chunked ones included, and in Production too.</summary>
public sealed class WebhookBodyLimitTests(ProductionAppFactory app) : IClassFixture<ProductionAppFactory>
{
    private const long HostileBytes = 30L * 1024 * 1024;

    [Theory]
    [InlineData("/webhooks/whatsapp?workspace=6f1c9b9e-3d0a-4d3e-9a57-0c7f1f1d2b11")]
    [InlineData("/webhooks/instagram")]
    public async Task ChunkedBodiesOf30MB_Answer413_AndCostBoundedMemory(string path)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var before = WorkingSet();

        // Four at once, no length declared: the server must stop reading each at the limit.
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostChunkedAsync(new Uri(app.BaseUrl + path), HostileBytes)));

        var growth = WorkingSet() - before;
        Assert.All(responses, r => Assert.StartsWith("HTTP/1.1 413", r));
        Assert.All(responses, r => Assert.DoesNotContain("<html", r, StringComparison.OrdinalIgnoreCase));
        Assert.True(growth < 100L * 1024 * 1024, $"working set grew by {growth / 1024 / 1024} MB");

        // A declared length over the limit is refused before reading as well.
        using var declared = new ByteArrayContent(new byte[2 * 1024 * 1024]);
        using var declaredResponse = await client.PostAsync(app.BaseUrl + path, declared);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declaredResponse.StatusCode);
    }

    private static long WorkingSet()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>
    /// Posts a chunked body of <paramref name="length"/> bytes over a raw socket while reading the answer, and returns
    /// the answer's head. HttpClient would report the server's early close as a send error and hide the answer.
    /// </summary>
    private static async Task<string> PostChunkedAsync(Uri url, long length)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(url.Host, url.Port);
        var stream = tcp.GetStream();
        var head = $"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));

        var answer = ReadHeadAsync(stream);
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'a');
        chunk[0] = (byte)'{';
        var prefix = System.Text.Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n");
        var suffix = "\r\n"u8.ToArray();
        try
        {
            for (long sent = 0; sent < length && !answer.IsCompleted; sent += chunk.Length)
            {
                await stream.WriteAsync(prefix);
                await stream.WriteAsync(chunk);
                await stream.WriteAsync(suffix);
            }
            if (!answer.IsCompleted)
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        }
        catch (IOException)
        {
            // The server answered and closed the connection: what it should do.
        }
        return await answer.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task<string> ReadHeadAsync(Stream stream)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, read);
                var text = System.Text.Encoding.ASCII.GetString(received.ToArray());
                if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
                    return text;
            }
        }
        catch (IOException)
        {
        }
        return System.Text.Encoding.ASCII.GetString(received.ToArray());
    }
}
