using FluentValidation;
using FluentValidation.Results;
using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Instagram;

/// <summary>The attachment types of the Send API (<c>message.attachment.type</c>).</summary>
public enum InstagramAttachmentType { Image, Video, Audio, File }

/// <summary>
/// What Instagram takes as a DM attachment (Meta's Send API, Instagram API with Instagram Login): images PNG, JPEG or
/// GIF up to 8 MB; videos MP4, MOV, OGG, AVI or WEBM, audio AAC, M4A, WAV or MP4 and PDF files up to 25 MB. Checked on
/// the type read from the bytes, before anything is sent, so a refused file never becomes a failed message at Meta.
/// Megabytes are decimal, as Meta counts them: a file just under Meta's limit in binary megabytes would pass here
/// and be refused there.
/// </summary>
public static class InstagramDirectFiles
{
    public const long ImageMaxBytes = 8_000_000;
    public const long MaxBytes = 25_000_000;

    /// <summary>The Send API type for a sniffed MIME type; null when Instagram takes no such file.</summary>
    public static InstagramAttachmentType? TypeOf(string mimeType) => mimeType switch
    {
        "image/jpeg" or "image/png" or "image/gif" => InstagramAttachmentType.Image,
        "video/mp4" or "video/quicktime" => InstagramAttachmentType.Video,
        "audio/wav" or "audio/mp4" => InstagramAttachmentType.Audio,
        "application/pdf" => InstagramAttachmentType.File,
        _ => null,
    };

    /// <summary>Why Instagram would refuse the file, or null when it takes it.</summary>
    public static Problem? Refusal(string mimeType, long sizeBytes) => TypeOf(mimeType) switch
    {
        null => Problem.Of("Instagram_FileTypeRefused"),
        InstagramAttachmentType.Image when sizeBytes > ImageMaxBytes => Problem.Of("Instagram_ImageTooLarge", ImageMaxBytes / 1_000_000),
        _ when sizeBytes > MaxBytes => Problem.Of("Instagram_FileTooLarge", MaxBytes / 1_000_000),
        _ => null,
    };

    /// <summary>The Graph's name of the type.</summary>
    public static string GraphName(InstagramAttachmentType type) => type switch
    {
        InstagramAttachmentType.Image => "image",
        InstagramAttachmentType.Video => "video",
        InstagramAttachmentType.Audio => "audio",
        _ => "file",
    };
}

/// <summary>A file Instagram does not take (type or size): refused before it is sent, with the reason as a <see cref="Problem"/>.</summary>
public sealed class InstagramFileRefusedException(Problem problem)
    : ValidationException(problem.Text, [new ValidationFailure("File", problem.Text) { ErrorCode = problem.Code, CustomState = problem }])
{
    public Problem Problem { get; } = problem;
}
