namespace KelolaPesan.Core.Gateways;

/// <param name="Url">Where to fetch it with <see cref="IWhatsAppGateway.DownloadMediaAsync"/>; null when the gateway did not keep it.</param>
public sealed record GatewayMedia(string? Url, string? MimeType, string? FileName);
