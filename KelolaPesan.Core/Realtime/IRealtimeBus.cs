namespace KelolaPesan.Core.Realtime;

/// <summary>
/// Server-side events by topic (<see cref="Topics"/>). Components subscribe on init and dispose the
/// subscription. Handlers run off the publisher's thread, one event at a time per subscription, in order
/// (<see cref="RealtimeSubscribers"/>): a slow handler delays only itself. With Redis configured every node's
/// subscribers hear every event once (docs/adr/0016).
/// </summary>
public interface IRealtimeBus
{
    IDisposable Subscribe(string topic, Func<RealtimeEvent, Task> handler);

    /// <summary>
    /// Queues the event for every current subscriber of the topic (on every node) and returns without waiting for them;
    /// a failing subscriber does not stop the others, and a backplane outage is logged, not thrown.
    /// </summary>
    Task PublishAsync(string topic, RealtimeEvent evt);
}

public static class Topics
{
    public static string Workspace(Guid workspaceId) => $"workspace/{workspaceId}";
    public static string Tenant(Guid tenantId) => $"tenant/{tenantId}";
    public static string Broadcast(Guid broadcastId) => $"broadcast/{broadcastId}";

    /// <summary>Every event of every topic, on every node (and events published on it directly).</summary>
    public const string Platform = "platform";

    /// <summary>
    /// Every event published on this node (on a tenant, workspace or broadcast topic), heard on this node only: for
    /// subscribers that turn an event into stored work (outgoing webhooks), which must happen once in the cluster, not
    /// once per node. Same as <see cref="Platform"/> on a single node.
    /// </summary>
    public const string PublishedHere = "platform/published-here";
}

/// <summary>Base of every realtime event; subscribers switch on the concrete type.</summary>
public abstract record RealtimeEvent;

/// <summary>
/// Unread counters of a workspace changed. <paramref name="UnreadChats"/> and <paramref name="UnreadMessages"/> are the
/// workspace's stored counters as the publisher read them after its commit (the same figures for every user who sees
/// the workspace), so an open page moves its badge without a query of its own; null from a publisher that did not read
/// them (or an older node): subscribers re-read the stored counters. Two commits' events may arrive in either order
/// (published after each commit, from any node): a subscriber that shows the figures re-reads once the events stop.
/// </summary>
public sealed record UnreadCountsChanged(Guid TenantId, Guid WorkspaceId, int? UnreadChats = null, int? UnreadMessages = null) : RealtimeEvent;

/// <summary>A workspace's connection status changed.</summary>
public sealed record WorkspaceStatusChanged(Guid TenantId, Guid WorkspaceId, Workspaces.ConnectionStatus Status) : RealtimeEvent;

/// <summary>A message was stored in a chat (inbound, outbound or a note); published on the workspace topic.</summary>
public sealed record ChatMessageAdded(Guid TenantId, Guid WorkspaceId, Guid ChatId, Guid MessageId, Inbox.MessageDirection Direction) : RealtimeEvent;

/// <summary>An outbound message moved forward on the status scale; published on the workspace topic.</summary>
public sealed record ChatMessageStatusChanged(Guid TenantId, Guid WorkspaceId, Guid ChatId, Guid MessageId, Inbox.MessageStatus Status) : RealtimeEvent;

/// <summary>A chat changed without a new message (read, assigned, labelled, bot paused); published on the workspace topic.</summary>
public sealed record ChatChanged(Guid TenantId, Guid WorkspaceId, Guid ChatId) : RealtimeEvent
{
    /// <summary>Set when a person resolved (true) or reopened (false) the chat: the <c>chat.status</c> webhook carries it.</summary>
    public bool? Resolved { get; init; }
}

/// <summary>A workspace's QR code rotated; the connect dialog re-fetches it.</summary>
public sealed record WorkspaceQrChanged(Guid TenantId, Guid WorkspaceId) : RealtimeEvent;

/// <summary>A workspace's webhook key changed or the workspace went away: every node drops its cached key.</summary>
public sealed record WebhookKeyChanged(Guid WorkspaceId) : RealtimeEvent;

/// <summary>
/// An account's access changed (stamp, role, workspaces, active, removed): every node drops its kept answer, and open
/// circuits of the account ask again at once when <paramref name="WakeOpenPages"/> (not after the person's own sign-out).
/// </summary>
public sealed record AccessChanged(Guid AccountId, bool IsAdmin, bool WakeOpenPages = true) : RealtimeEvent;

/// <summary>A tenant's licence changed (suspended, reactivated, extended): every node drops its kept answer of whether the tenant may send.</summary>
public sealed record LicenceStandingChanged(Guid TenantId) : RealtimeEvent;

/// <summary>
/// The backplane is back after an outage, heard on every topic of this node only: what other nodes published meanwhile
/// never came, so a page that shows live data reads it again (the inbox, the unread counters).
/// </summary>
public sealed record BackplaneResumed : RealtimeEvent;
