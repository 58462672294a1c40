using KelolaPesan.Core.Realtime;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>Topics of the broadcast feature beside <see cref="Topics.Broadcast"/>.</summary>
public static class BroadcastTopics
{
    /// <summary>Every broadcast of a tenant: the broadcasts list listens here.</summary>
    public static string List(Guid tenantId) => $"broadcasts/{tenantId}";

    /// <summary>One sequence's enrolments: its progress page listens here.</summary>
    public static string Sequence(Guid sequenceId) => $"sequences/{sequenceId}";
}

/// <summary>Enrolments of a sequence were added, moved on a step or stopped; the progress page re-reads (coalesced).</summary>
public sealed record SequenceProgressChanged(Guid TenantId, Guid SequenceId) : RealtimeEvent;

/// <summary>A broadcast's stored counters or status changed; subscribers re-read (coalesced).</summary>
public sealed record BroadcastProgressChanged(Guid TenantId, Guid WorkspaceId, Guid BroadcastId) : RealtimeEvent;

/// <summary>A broadcast completed (no recipient left pending); published once, on the broadcast's topic (outgoing webhooks hear it).</summary>
public sealed record BroadcastFinished(Guid TenantId, Guid WorkspaceId, Guid BroadcastId) : RealtimeEvent;

/// <summary>The Web side schedules the dispatcher of a workspace (Quartz); tests drive the dispatcher directly.</summary>
public interface IBroadcastScheduler
{
    /// <summary>Makes sure the workspace's dispatcher runs at <paramref name="at"/> (or earlier if already due).</summary>
    Task WakeAsync(Guid tenantId, Guid workspaceId, DateTimeOffset at, CancellationToken ct = default);
}

/// <summary>Used where no scheduler is wired (tests, bench): nothing runs by itself.</summary>
public sealed class NoBroadcastScheduler : IBroadcastScheduler
{
    public Task WakeAsync(Guid tenantId, Guid workspaceId, DateTimeOffset at, CancellationToken ct = default) => Task.CompletedTask;
}
