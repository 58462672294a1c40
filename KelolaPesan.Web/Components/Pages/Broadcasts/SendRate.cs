namespace KelolaPesan.Web.Components.Pages.Broadcasts;

/// <summary>Sends per minute over the last minute of samples the page has seen.</summary>
public sealed class SendRate
{
    private readonly Queue<(DateTimeOffset At, int Done)> _samples = new();

    public double PerMinute { get; private set; }

    public void Add(DateTimeOffset at, int done)
    {
        _samples.Enqueue((at, done));
        while (_samples.Count > 2 && at - _samples.Peek().At > TimeSpan.FromMinutes(1))
            _samples.Dequeue();
        var first = _samples.Peek();
        var span = (at - first.At).TotalMinutes;
        PerMinute = span > 0 ? Math.Max(0, done - first.Done) / span : 0;
    }
}
