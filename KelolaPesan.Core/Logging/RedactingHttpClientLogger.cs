using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace KelolaPesan.Core.Logging;

/// <summary>
/// Replaces HttpClient's own request logging for every client: one line per outgoing call with the method, the host,
/// the path with every run of digits that could be a phone number or chat id masked (<c>/chats/***%40c.us/messages</c>)
/// and no query string (tokens, numbers to check), the status and the time. Customer numbers never reach the log files.
/// </summary>
public sealed partial class RedactingHttpClientLogger(ILogger<RedactingHttpClientLogger> logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => Stopwatch.GetTimestamp();

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        logger.LogInformation("HTTP {Method} {Host}{Path} responded {StatusCode} in {Elapsed:0.0} ms",
            request.Method.Method, request.RequestUri?.Authority, Redact(request.RequestUri), (int)response.StatusCode, elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        // The exception's type only: its message may repeat the full address.
        logger.LogWarning("HTTP {Method} {Host}{Path} failed after {Elapsed:0.0} ms: {Error}",
            request.Method.Method, request.RequestUri?.Authority, Redact(request.RequestUri), elapsed.TotalMilliseconds, exception.GetType().Name);

    /// <summary>The path with digit runs of five or more masked; the query string left out.</summary>
    public static string Redact(Uri? uri)
    {
        if (uri is null)
            return "";
        var path = uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?', 2)[0];
        var masked = Digits().Replace(path, "***");
        return uri.IsAbsoluteUri && uri.Query.Length > 1 ? masked + "?…" : masked;
    }

    [GeneratedRegex(@"\d{5,}")]
    private static partial Regex Digits();
}
