namespace KelolaPesan.Core.Gateways;

/// <param name="Id">The account's chat id, e.g. "628123456789@c.us".</param>
/// <param name="Phone">Digits only, when the id is a phone chat id.</param>
public sealed record GatewayAccount(string Id, string? PushName, string? Phone);
