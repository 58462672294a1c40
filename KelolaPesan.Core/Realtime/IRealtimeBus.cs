namespace KelolaPesan.Core.Realtime;

/// <summary>
/// Server-side events by topic (<see cref="Topics"/>). Components subscribe on init and dispose the
/// subscription; handlers run on the publisher's thread, so they must be quick (marshal with InvokeAsync).
/// </summary>
public interface IRealtimeBus
{
    IDisposable Subscribe(string topic, Func<RealtimeEvent, Task> handler);

    /// <summary>Delivers to every current subscriber of the topic; a failing subscriber does not stop the others.</summary>
    Task PublishAsync(string topic, RealtimeEvent evt);
}

public static class Topics
{
    public static string Workspace(Guid workspaceId) => $"workspace/{workspaceId}";
    public static string Tenant(Guid tenantId) => $"tenant/{tenantId}";
    public static string Broadcast(Guid broadcastId) => $"broadcast/{broadcastId}";
    public const string Platform = "platform";
}

/// <summary>Base of every realtime event; subscribers switch on the concrete type.</summary>
public abstract record RealtimeEvent;

/// <summary>Unread counters of a workspace changed (stored counters; subscribers re-read them).</summary>
public sealed record UnreadCountsChanged(Guid TenantId, Guid WorkspaceId) : RealtimeEvent;

/// <summary>A workspace's connection status changed.</summary>
public sealed record WorkspaceStatusChanged(Guid TenantId, Guid WorkspaceId, Workspaces.ConnectionStatus Status) : RealtimeEvent;

/// <summary>A message was stored in a chat (inbound, outbound or a note); published on the workspace topic.</summary>
public sealed record ChatMessageAdded(Guid TenantId, Guid WorkspaceId, Guid ChatId, Guid MessageId, Inbox.MessageDirection Direction) : RealtimeEvent;

/// <summary>An outbound message moved forward on the status scale; published on the workspace topic.</summary>
public sealed record ChatMessageStatusChanged(Guid TenantId, Guid WorkspaceId, Guid ChatId, Guid MessageId, Inbox.MessageStatus Status) : RealtimeEvent;

/// <summary>A chat changed without a new message (read, assigned, labelled, bot paused); published on the workspace topic.</summary>
public sealed record ChatChanged(Guid TenantId, Guid WorkspaceId, Guid ChatId) : RealtimeEvent;

/// <summary>A workspace's QR code rotated; the connect dialog re-fetches it.</summary>
public sealed record WorkspaceQrChanged(Guid TenantId, Guid WorkspaceId) : RealtimeEvent;
