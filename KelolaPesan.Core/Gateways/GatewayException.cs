namespace KelolaPesan.Core.Gateways;

/// <summary>A gateway call failed.</summary>
/// <param name="operation">The port operation, e.g. "SendText".</param>
/// <param name="statusCode">The HTTP status the gateway answered, if it answered.</param>
/// <param name="isTransient">True when trying again later may succeed (timeouts, 5xx, throttling, an open circuit).</param>
public class GatewayException(string operation, string message, int? statusCode, bool isTransient, Exception? innerException = null)
    : Exception($"Gateway {operation} failed: {message}", innerException)
{
    public string Operation { get; } = operation;

    public int? StatusCode { get; } = statusCode;

    public bool IsTransient { get; } = isTransient;
}
