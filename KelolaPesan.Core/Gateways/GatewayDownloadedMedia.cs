namespace KelolaPesan.Core.Gateways;

public sealed record GatewayDownloadedMedia(byte[] Content, string? MimeType, string? FileName);
