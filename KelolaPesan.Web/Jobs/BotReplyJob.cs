using KelolaPesan.Core.Automation;
using Quartz;

namespace KelolaPesan.Web.Jobs;

/// <summary>
/// Sends delayed bot replies when due. The due time lives on the BotReply row (persistent), and this
/// persistent Quartz job sweeps every few seconds, so a restart loses no scheduled reply.
/// </summary>
[DisallowConcurrentExecution]
public sealed class BotReplyJob(AutomationService automation) : IJob
{
    public static readonly JobKey Key = new("bot-replies", "automation");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await automation.SendDueAsync(cancellationToken);

}

public static class BotReplySetup
{
    /// <summary>The sweep runs every <c>Automation:SweepSeconds</c> (5 by default).</summary>
    public static IServiceCollection AddBotReplies(this IServiceCollection services, IConfiguration config)
    {
        var seconds = Math.Max(1, config.GetValue("Automation:SweepSeconds", 5));
        services.AddQuartz(q =>
        {
            q.AddJob<BotReplyJob>(j => j.WithIdentity(BotReplyJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(BotReplyJob.Key).WithIdentity("bot-replies-trigger", "automation")
                .StartNow().WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(seconds)).RepeatForever()));
        });
        return services;
    }
}
