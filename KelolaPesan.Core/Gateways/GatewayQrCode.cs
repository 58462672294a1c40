namespace KelolaPesan.Core.Gateways;

/// <param name="RawValue">The text encoded in the QR code.</param>
/// <param name="Png">The QR code as a PNG image.</param>
public sealed record GatewayQrCode(string RawValue, byte[] Png)
{
    public string PngBase64 => Convert.ToBase64String(Png);

    public string PngDataUrl => $"data:image/png;base64,{PngBase64}";
}
