using System.IO.Compression;
using KelolaPesan.Core.Attachments;

namespace KelolaPesan.Tests.Inbox;

public sealed class FileTypeSnifferTests
{
    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10 }, "image/jpeg")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, "image/png")]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a' }, "image/gif")]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 1, 2, 3, 4, (byte)'W', (byte)'E', (byte)'B', (byte)'P' }, "image/webp")]
    [InlineData(new byte[] { (byte)'%', (byte)'P', (byte)'D', (byte)'F', (byte)'-', (byte)'1' }, "application/pdf")]
    [InlineData(new byte[] { 0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'m', (byte)'p', (byte)'4', (byte)'2' }, "video/mp4")]
    [InlineData(new byte[] { 0, 0, 0, 0x20, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'M', (byte)'4', (byte)'A', (byte)' ' }, "audio/mp4")]
    [InlineData(new byte[] { 0, 0, 0, 0x14, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'q', (byte)'t', (byte)' ', (byte)' ' }, "video/quicktime")]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 1, 2, 3, 4, (byte)'W', (byte)'A', (byte)'V', (byte)'E' }, "audio/wav")]
    [InlineData(new byte[] { (byte)'O', (byte)'g', (byte)'g', (byte)'S', 0 }, "audio/ogg")]
    [InlineData(new byte[] { (byte)'I', (byte)'D', (byte)'3', 4, 0 }, "audio/mpeg")]
    [InlineData(new byte[] { 0xFF, 0xFB, 0x90, 0x00 }, "audio/mpeg")]
    [InlineData(new byte[] { (byte)'<', (byte)'s', (byte)'v', (byte)'g' }, "application/octet-stream")]
    [InlineData(new byte[] { (byte)'M', (byte)'Z', 0x90, 0 }, "application/octet-stream")]
    [InlineData(new byte[0], "application/octet-stream")]
    public void Detects_FromMagicNumbers(byte[] header, string mime) =>
        Assert.Equal(mime, FileTypeSniffer.Detect(new MemoryStream(header)).MimeType);

    [Theory]
    [InlineData("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    [InlineData("ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation")]
    [InlineData("lain/file.txt", "application/zip")]
    public void OfficeDocuments_AreZips_RecognisedByTheirParts(string part, string mime)
    {
        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            archive.CreateEntry("[Content_Types].xml");
            archive.CreateEntry(part);
        }
        zip.Position = 0;

        Assert.Equal(mime, FileTypeSniffer.Detect(zip).MimeType);
        Assert.Equal(0, zip.Position);
    }
}
