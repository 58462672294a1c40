using KelolaPesan.Core.Inbox;

namespace KelolaPesan.Core.Gateways;

/// <summary>Something a gateway reported, already translated out of its wire format.</summary>
/// <param name="EventId">The gateway's event id for de-duplication; null on gateways that do not send one.</param>
/// <param name="Metadata">The session metadata echoed back (tenantId, workspaceId).</param>
public abstract record GatewayEvent(string? EventId, string Session, IReadOnlyDictionary<string, string> Metadata);

public sealed record SessionStatusChanged(
    string? EventId,
    string Session,
    IReadOnlyDictionary<string, string> Metadata,
    GatewaySessionStatus Status,
    GatewayAccount? Me)
    : GatewayEvent(EventId, Session, Metadata);

/// <summary>A message in a chat of the session: a customer's (FromMe false) or the account's own, sent from here or from the phone.</summary>
public sealed record MessageReceived(
    string? EventId,
    string Session,
    IReadOnlyDictionary<string, string> Metadata,
    GatewayChatMessage Message)
    : GatewayEvent(EventId, Session, Metadata);

/// <param name="ChatId">The other party of the acknowledged message, when the gateway says.</param>
public sealed record MessageAcked(
    string? EventId,
    string Session,
    IReadOnlyDictionary<string, string> Metadata,
    string MessageId,
    string? ChatId,
    bool FromMe,
    MessageStatus Status)
    : GatewayEvent(EventId, Session, Metadata);
