using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.ExternalApi;

/// <summary>The first result of an API call made with an <c>Idempotency-Key</c>; a repeat returns it and sends nothing.</summary>
public class ApiIdempotencyRecord : Entity, ITenantOwned
{
    public const int KeyMaxLength = 200;

    public Guid TenantId { get; set; }
    public Guid ApiKeyId { get; set; }
    public string Key { get; set; } = "";
    public int StatusCode { get; set; }
    public string ResponseJson { get; set; } = "";
}
