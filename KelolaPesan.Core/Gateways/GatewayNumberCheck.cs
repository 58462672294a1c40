namespace KelolaPesan.Core.Gateways;

public enum NumberRegistration
{
    Registered,
    NotRegistered,
}

/// <param name="ChatId">The chat id to send to, when the number is registered.</param>
public sealed record GatewayNumberCheck(NumberRegistration Registration, string? ChatId);
