namespace KelolaPesan.Core.Gateways;

/// <summary>
/// The port to a WhatsApp gateway: a process that holds a paired WhatsApp session and
/// reports back through <see cref="IGatewayEventSink"/> (webhooks for a real gateway).
/// Failures surface as <see cref="GatewayException"/>; sends are never retried by an adapter
/// because no gateway offers an idempotency key.
/// </summary>
public interface IWhatsAppGateway
{
    /// <summary>Creates the session, or updates and starts it when it already exists.</summary>
    Task EnsureSessionAsync(GatewaySessionSetup setup, CancellationToken ct);

    Task<GatewaySessionInfo> GetSessionAsync(string session, CancellationToken ct);

    Task StartSessionAsync(string session, CancellationToken ct);

    /// <summary>Stops the session; the phone login is kept.</summary>
    Task StopSessionAsync(string session, CancellationToken ct);

    Task RestartSessionAsync(string session, CancellationToken ct);

    /// <summary>Removes the phone login; the session and its configuration stay.</summary>
    Task LogoutSessionAsync(string session, CancellationToken ct);

    /// <summary>Deletes the session; deleting an unknown session is not an error.</summary>
    Task DeleteSessionAsync(string session, CancellationToken ct);

    /// <summary>The current pairing QR code, or null when the session is not waiting for a scan.</summary>
    Task<GatewayQrCode?> GetQrCodeAsync(string session, CancellationToken ct);

    /// <summary>Sends a text and returns the gateway's message id.</summary>
    Task<string> SendTextAsync(GatewayTextMessage message, CancellationToken ct);

    /// <summary>Sends an image or a file and returns the gateway's message id.</summary>
    Task<string> SendMediaAsync(GatewayMediaMessage message, CancellationToken ct);

    Task MarkChatReadAsync(string session, string chatId, CancellationToken ct);

    Task<GatewayNumberCheck> CheckNumberAsync(string session, string phone, CancellationToken ct);

    /// <summary>Recent messages of one chat, newest first; used to reconcile sends left uncertain by a crash.</summary>
    Task<IReadOnlyList<GatewayChatMessage>> GetChatMessagesAsync(string session, string chatId, int limit, bool? fromMe, CancellationToken ct);

    /// <summary>The phone number (digits) behind a "...@lid" id, or null when the gateway does not know it.</summary>
    Task<string?> GetPhoneForLidAsync(string session, string lid, CancellationToken ct);

    /// <summary>Downloads media a message refers to; throws <see cref="GatewayMediaTooLargeException"/> past <paramref name="maxBytes"/>.</summary>
    Task<GatewayDownloadedMedia> DownloadMediaAsync(string url, long maxBytes, CancellationToken ct);
}
