namespace KelolaPesan.Core.Gateways;

public enum GatewayMediaKind
{
    Image,
    File,
}

/// <summary>An image or file to send; exactly one of <see cref="Url"/> and <see cref="Data"/> is set (prefer a URL for large files).</summary>
/// <param name="To">A chat id or a phone number in any format.</param>
public sealed record GatewayMediaMessage(
    string Session,
    string To,
    GatewayMediaKind Kind,
    string MimeType,
    string? FileName = null,
    string? Caption = null,
    string? Url = null,
    byte[]? Data = null)
{
    public void EnsureValid()
    {
        if ((Url is null) == (Data is null))
            throw new ArgumentException("Media needs exactly one of Url and Data.");
    }
}
