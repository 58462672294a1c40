using System.Threading.Channels;

namespace KelolaPesan.Core.Instagram;

/// <summary>
/// Asks the background sender to send a workspace's queued comment replies now rather than at its next sweep: a
/// reconnect raises it, so replies that met an expired token go out as soon as the account works again. Bounded and
/// dropping the oldest, since the sweep still finds anything a dropped request would have sent.
/// </summary>
public sealed class CommentReplyQueueSignal
{
    private readonly Channel<(Guid TenantId, Guid WorkspaceId)> _requests =
        Channel.CreateBounded<(Guid, Guid)>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Request(Guid tenantId, Guid workspaceId) => _requests.Writer.TryWrite((tenantId, workspaceId));

    public ChannelReader<(Guid TenantId, Guid WorkspaceId)> Reader => _requests.Reader;
}
