using System.Globalization;

namespace KelolaPesan.Core.Inbox;

public enum InboundMediaProblemKind { NotKept, TooLarge, DownloadFailed }

/// <param name="LimitMegabytes">The policy's limit as written in the reason (too large only).</param>
/// <param name="Detail">The gateway's own words (download failures only).</param>
public sealed record InboundMediaProblemView(InboundMediaProblemKind Kind, string? LimitMegabytes, string? Detail);

/// <summary>
/// Why an inbound message's media is missing: written on <c>Message.Error</c> in English (API, exports and logs read it
/// as is) and read back here, so the inbox bubble can say it in the reader's language. Rows written before keep the
/// same sentences, so they read back too.
/// </summary>
public static class InboundMediaProblem
{
    private const string NotKeptText = "The gateway did not keep the media of this message.";
    private const string TooLargePrefix = "The media is larger than the limit of ";
    private const string TooLargeSuffix = " MB and was not kept.";
    private const string DownloadFailedPrefix = "The media could not be downloaded: ";

    public static string NotKept() => NotKeptText;

    public static string TooLarge(long maxBytes) =>
        TooLargePrefix + (maxBytes / 1024 / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + TooLargeSuffix;

    public static string DownloadFailed(string detail) => DownloadFailedPrefix + detail;

    /// <summary>The problem a stored reason names, or null when it is not one of these.</summary>
    public static InboundMediaProblemView? Read(string? error) => error switch
    {
        null => null,
        NotKeptText => new(InboundMediaProblemKind.NotKept, null, null),
        _ when error.StartsWith(TooLargePrefix, StringComparison.Ordinal) && error.EndsWith(TooLargeSuffix, StringComparison.Ordinal) =>
            new(InboundMediaProblemKind.TooLarge, error[TooLargePrefix.Length..^TooLargeSuffix.Length], null),
        _ when error.StartsWith(DownloadFailedPrefix, StringComparison.Ordinal) =>
            new(InboundMediaProblemKind.DownloadFailed, null, error[DownloadFailedPrefix.Length..]),
        _ => null,
    };
}
