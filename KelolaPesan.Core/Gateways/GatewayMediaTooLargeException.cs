namespace KelolaPesan.Core.Gateways;

public sealed class GatewayMediaTooLargeException(string operation, long maxBytes)
    : GatewayException(operation, $"media is larger than {maxBytes} bytes", statusCode: null, isTransient: false)
{
    public long MaxBytes { get; } = maxBytes;
}
