namespace KelolaPesan.Core.Gateways;

/// <summary>A webhook body that is not the JSON the gateway is documented to send.</summary>
public sealed class WebhookPayloadException(string message, Exception? innerException = null) : FormatException(message, innerException);
