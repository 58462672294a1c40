using KelolaPesan.Core.Inbox;

namespace KelolaPesan.Core.Gateways;

/// <summary>A message as the gateway reports it, in a webhook or in a chat's history.</summary>
/// <param name="Status">Mapped from the gateway's ack, when it sent one.</param>
/// <param name="ReplyTo">The gateway id of the quoted message.</param>
/// <param name="PushName">The sender's WhatsApp display name, when the gateway passes it on.</param>
public sealed record GatewayChatMessage(
    string Id,
    DateTimeOffset? Timestamp,
    string From,
    string To,
    bool FromMe,
    string? Body,
    bool HasMedia,
    GatewayMedia? Media,
    MessageStatus? Status,
    string? ReplyTo,
    string? PushName);
