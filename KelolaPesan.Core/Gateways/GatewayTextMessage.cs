namespace KelolaPesan.Core.Gateways;

/// <param name="To">A chat id ("...@c.us", "...@g.us", "...@lid") or a phone number in any format.</param>
/// <param name="ReplyToMessageId">The gateway id of the message this one quotes.</param>
public sealed record GatewayTextMessage(string Session, string To, string Text, string? ReplyToMessageId = null);
