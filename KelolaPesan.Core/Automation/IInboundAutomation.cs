namespace KelolaPesan.Core.Automation;

/// <summary>Called by the inbox after a message from the gateway is stored (once per message).</summary>
public interface IInboundAutomation
{
    Task OnInboundAsync(Guid tenantId, Guid workspaceId, Guid chatId, Guid messageId, CancellationToken ct = default);

    /// <summary>The same for messages of one workspace stored together, in their order.</summary>
    Task OnInboundAsync(Guid tenantId, Guid workspaceId, IReadOnlyList<StoredInbound> messages, CancellationToken ct = default);
}

public sealed record StoredInbound(Guid ChatId, Guid MessageId);
