using System.Threading.Channels;

namespace KelolaPesan.Web.Webhooks;

/// <summary>Ids of stored WhatsApp events waiting for the processor. Only a hint: the rows are the truth, swept at start-up.</summary>
public class WebhookEventQueue
{
    private readonly Channel<Guid> _channel = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(Guid eventId) => _channel.Writer.TryWrite(eventId);

    public ChannelReader<Guid> Reader => _channel.Reader;
}
