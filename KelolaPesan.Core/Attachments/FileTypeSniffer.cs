using System.IO.Compression;

namespace KelolaPesan.Core.Attachments;

/// <summary>
/// The type of a file from its first bytes (magic numbers), never from its name: a renamed
/// executable stays application/octet-stream and is offered as a download, never shown inline.
/// </summary>
public static class FileTypeSniffer
{
    public const string OctetStream = "application/octet-stream";
    public const int HeaderBytes = 16;

    public sealed record FileType(string MimeType, AttachmentKind Kind, string Extension);

    private static readonly FileType Unknown = new(OctetStream, AttachmentKind.File, ".bin");

    /// <summary>Detects the type; <paramref name="content"/> must be seekable when it may be a zip (office documents).</summary>
    public static FileType Detect(Stream content)
    {
        var header = new byte[HeaderBytes];
        var start = content.CanSeek ? content.Position : 0;
        var read = content.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false);
        var type = Detect(header.AsSpan(0, read));
        if (type.MimeType == "application/zip" && content.CanSeek)
        {
            content.Position = start;
            type = DetectOffice(content) ?? type;
        }
        if (content.CanSeek)
            content.Position = start;
        return type;
    }

    public static FileType Detect(ReadOnlySpan<byte> h)
    {
        if (h.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
            return new("image/jpeg", AttachmentKind.Image, ".jpg");
        if (h.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            return new("image/png", AttachmentKind.Image, ".png");
        if (h.StartsWith("GIF87a"u8) || h.StartsWith("GIF89a"u8))
            return new("image/gif", AttachmentKind.Image, ".gif");
        if (h.Length >= 12 && h.StartsWith("RIFF"u8) && h[8..12].SequenceEqual("WEBP"u8))
            return new("image/webp", AttachmentKind.Image, ".webp");
        if (h.StartsWith("%PDF-"u8))
            return new("application/pdf", AttachmentKind.Document, ".pdf");
        if (h.StartsWith((ReadOnlySpan<byte>)[0x50, 0x4B, 0x03, 0x04]))
            return new("application/zip", AttachmentKind.File, ".zip");
        if (h.Length >= 12 && h.StartsWith("RIFF"u8) && h[8..12].SequenceEqual("WAVE"u8))
            return new("audio/wav", AttachmentKind.Audio, ".wav");
        // ISO media: the brand after "ftyp" tells an audio-only M4A and a QuickTime movie from an MP4 video.
        if (h.Length >= 12 && h[4..8].SequenceEqual("ftyp"u8) && h[8..12].SequenceEqual("M4A "u8))
            return new("audio/mp4", AttachmentKind.Audio, ".m4a");
        if (h.Length >= 12 && h[4..8].SequenceEqual("ftyp"u8) && h[8..12].SequenceEqual("qt  "u8))
            return new("video/quicktime", AttachmentKind.Video, ".mov");
        if (h.Length >= 8 && h[4..8].SequenceEqual("ftyp"u8))
            return new("video/mp4", AttachmentKind.Video, ".mp4");
        if (h.StartsWith("OggS"u8))
            return new("audio/ogg", AttachmentKind.Audio, ".ogg");
        if (h.StartsWith("ID3"u8) || (h.Length >= 2 && h[0] == 0xFF && (h[1] & 0xE6) == 0xE2))
            return new("audio/mpeg", AttachmentKind.Audio, ".mp3");
        return Unknown;
    }

    // Office Open XML files are zips whose first folder names the application.
    private static FileType? DetectOffice(Stream content)
    {
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            if (!names.Contains("[Content_Types].xml"))
                return null;
            if (names.Any(n => n.StartsWith("word/", StringComparison.Ordinal)))
                return new("application/vnd.openxmlformats-officedocument.wordprocessingml.document", AttachmentKind.Document, ".docx");
            if (names.Any(n => n.StartsWith("xl/", StringComparison.Ordinal)))
                return new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", AttachmentKind.Document, ".xlsx");
            if (names.Any(n => n.StartsWith("ppt/", StringComparison.Ordinal)))
                return new("application/vnd.openxmlformats-officedocument.presentationml.presentation", AttachmentKind.Document, ".pptx");
            return null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
