namespace KelolaPesan.Core.Instagram;

/// <summary>What a caller should do about a failed Graph call (INSTAGRAM.md, Errors).</summary>
public enum InstagramGraphErrorKind
{
    /// <summary>190: the token is expired or revoked; mark the account disconnected and ask to reconnect.</summary>
    TokenInvalid,

    /// <summary>4, 17, 32, 613 (or HTTP 429): back off.</summary>
    Throttled,

    /// <summary>10, 200-299: a permission is missing; show it to the owner.</summary>
    Permission,

    /// <summary>10 with subcode 2534022: outside the messaging window; never retry.</summary>
    OutsideWindow,

    /// <summary>1, 2, 5xx, timeouts, unreachable: may succeed later (retry only idempotent calls).</summary>
    Transient,

    Other,
}

/// <param name="operation">The port operation, e.g. "SendPrivateReply".</param>
/// <param name="code">The Graph error code, when Graph answered one.</param>
/// <param name="httpStatus">The HTTP status, when the server answered.</param>
public sealed class InstagramGraphException(
    string operation,
    int? code,
    int? subcode,
    string graphMessage,
    int? httpStatus,
    InstagramGraphErrorKind? kind = null,
    Exception? innerException = null)
    : Exception($"Instagram {operation} failed: {graphMessage}" + (code is null ? "" : $" (code {code}{(subcode is null ? "" : $"/{subcode}")})"), innerException)
{
    public const int OutsideWindowSubcode = 2534022;

    public string Operation { get; } = operation;

    public int? Code { get; } = code;

    public int? Subcode { get; } = subcode;

    /// <summary>Graph's own message, without the operation prefix.</summary>
    public string GraphMessage { get; } = graphMessage;

    public int? HttpStatus { get; } = httpStatus;

    public InstagramGraphErrorKind Kind { get; } = kind ?? Classify(code, subcode, httpStatus);

    public static InstagramGraphErrorKind Classify(int? code, int? subcode, int? httpStatus = null) => code switch
    {
        190 => InstagramGraphErrorKind.TokenInvalid,
        10 when subcode == OutsideWindowSubcode => InstagramGraphErrorKind.OutsideWindow,
        4 or 17 or 32 or 613 => InstagramGraphErrorKind.Throttled,
        10 or (>= 200 and <= 299) => InstagramGraphErrorKind.Permission,
        1 or 2 => InstagramGraphErrorKind.Transient,
        null when httpStatus is null or >= 500 or 408 => InstagramGraphErrorKind.Transient,
        null when httpStatus == 429 => InstagramGraphErrorKind.Throttled,
        _ => InstagramGraphErrorKind.Other,
    };
}
