using KelolaPesan.Core.Gateways;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>
/// A real gateway whose answer to chosen sends is lost: the message goes out through the inner gateway, then the call
/// fails like a timeout (no status code, transient). The dispatcher must find it in the history instead of resending.
/// <paramref name="whileInFlight"/>, when given, runs after the message went out and before the call answers (or
/// fails): what the gateway's webhooks bring meanwhile (the send's echo, its acks). <paramref name="beforeSend"/>, when
/// given, runs before the message goes out: a stall between the claim and the gateway call.
/// </summary>
public sealed class LosingGateway(IWhatsAppGateway inner, Func<GatewayTextMessage, bool> loseAnswer,
    Func<GatewayTextMessage, string, Task>? whileInFlight = null, Func<GatewayTextMessage, Task>? beforeSend = null) : IWhatsAppGateway
{
    public int SendCalls;

    public async Task<string> SendTextAsync(GatewayTextMessage message, CancellationToken ct)
    {
        Interlocked.Increment(ref SendCalls);
        if (beforeSend is not null)
            await beforeSend(message);
        var id = await inner.SendTextAsync(message, ct);
        if (whileInFlight is not null)
            await whileInFlight(message, id);
        if (loseAnswer(message))
            throw new GatewayException("SendText", "timed out", null, isTransient: true);
        return id;
    }

    public Task EnsureSessionAsync(GatewaySessionSetup setup, CancellationToken ct) => inner.EnsureSessionAsync(setup, ct);
    public Task<GatewaySessionInfo> GetSessionAsync(string session, CancellationToken ct) => inner.GetSessionAsync(session, ct);
    public Task StartSessionAsync(string session, CancellationToken ct) => inner.StartSessionAsync(session, ct);
    public Task StopSessionAsync(string session, CancellationToken ct) => inner.StopSessionAsync(session, ct);
    public Task RestartSessionAsync(string session, CancellationToken ct) => inner.RestartSessionAsync(session, ct);
    public Task LogoutSessionAsync(string session, CancellationToken ct) => inner.LogoutSessionAsync(session, ct);
    public Task DeleteSessionAsync(string session, CancellationToken ct) => inner.DeleteSessionAsync(session, ct);
    public Task<GatewayQrCode?> GetQrCodeAsync(string session, CancellationToken ct) => inner.GetQrCodeAsync(session, ct);
    public Task<string> SendMediaAsync(GatewayMediaMessage message, CancellationToken ct) => inner.SendMediaAsync(message, ct);
    public Task MarkChatReadAsync(string session, string chatId, CancellationToken ct) => inner.MarkChatReadAsync(session, chatId, ct);
    public Task<GatewayNumberCheck> CheckNumberAsync(string session, string phone, CancellationToken ct) => inner.CheckNumberAsync(session, phone, ct);
    public Task<IReadOnlyList<GatewayChatMessage>> GetChatMessagesAsync(string session, string chatId, int limit, bool? fromMe, CancellationToken ct) =>
        inner.GetChatMessagesAsync(session, chatId, limit, fromMe, ct);
    public Task<string?> GetPhoneForLidAsync(string session, string lid, CancellationToken ct) => inner.GetPhoneForLidAsync(session, lid, ct);
    public Task<GatewayDownloadedMedia> DownloadMediaAsync(string url, long maxBytes, CancellationToken ct) => inner.DownloadMediaAsync(url, maxBytes, ct);
}
