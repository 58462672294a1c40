namespace KelolaPesan.Core.Gateways;

public enum GatewayKind
{
    Simulator,
    Waha,
}

/// <summary>Bound from the "Gateway" configuration section.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    public GatewayKind Kind { get; set; } = GatewayKind.Simulator;

    public WahaOptions Waha { get; set; } = new();

    /// <summary>The address the gateway reaches this app on, for webhook URLs (e.g. "https://app.example.com").</summary>
    public string? PublicBaseUrl { get; set; }

    public string WebhookUrl(string path = "/webhooks/whatsapp") =>
        (PublicBaseUrl ?? throw new InvalidOperationException("Gateway:PublicBaseUrl is not configured.")).TrimEnd('/') + path;
}

public sealed class WahaOptions
{
    public string BaseUrl { get; set; } = "http://localhost:3000";

    public string? ApiKey { get; set; }

    /// <summary>The budget for one call, retries included.</summary>
    public double TimeoutSeconds { get; set; } = 30;

    /// <summary>The budget for one attempt of a call.</summary>
    public double AttemptTimeoutSeconds { get; set; } = 10;

    /// <summary>Retries of idempotent calls only; sends are never retried.</summary>
    public int MaxRetries { get; set; } = 3;

    public double RetryDelaySeconds { get; set; } = 1;
}
