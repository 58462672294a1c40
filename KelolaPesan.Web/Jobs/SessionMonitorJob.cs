using KelolaPesan.Core.Workspaces;
using Quartz;

namespace KelolaPesan.Web.Jobs;

/// <summary>Checks every workspace's gateway session on a schedule (the work is in <see cref="WorkspaceConnectionService"/>).</summary>
[DisallowConcurrentExecution]
public sealed class SessionMonitorJob(WorkspaceConnectionService connections) : IJob
{
    public static readonly JobKey Key = new("session-monitor", "workspaces");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await connections.CheckAllAsync(cancellationToken);
}

public static class SessionMonitorSetup
{
    /// <summary>Every <c>Gateway:MonitorIntervalSeconds</c> (60 by default); 0 turns monitoring off.</summary>
    public static IServiceCollection AddSessionMonitoring(this IServiceCollection services, IConfiguration config)
    {
        var seconds = config.GetValue("Gateway:MonitorIntervalSeconds", 60);
        if (seconds <= 0)
            return services;
        services.AddQuartz(q =>
        {
            q.AddJob<SessionMonitorJob>(j => j.WithIdentity(SessionMonitorJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(SessionMonitorJob.Key).WithIdentity("session-monitor-trigger", "workspaces")
                .StartAt(DateTimeOffset.UtcNow.AddSeconds(seconds))
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(seconds)).RepeatForever()));
        });
        return services;
    }
}
