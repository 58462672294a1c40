using System.Diagnostics;

namespace KelolaPesan.Bench.Live;

/// <summary>
/// Signed webhooks at a steady rate, spread round robin over the workspaces (20 customers each): a pacer releases
/// what is due every few milliseconds, at most <c>concurrency</c> requests in flight. When the app answers more
/// slowly than the rate asks, requests wait for a free slot and the achieved rate shows it.
/// </summary>
public sealed class BackgroundTraffic(HttpClient http, IReadOnlyList<LiveWorkspace> workspaces, double ratePerSecond, int concurrency = 64)
{
    private long _ok;
    private long _failed;
    private long _issued;

    public long Ok => Interlocked.Read(ref _ok);
    public long Failed => Interlocked.Read(ref _failed);

    public async Task RunAsync(CancellationToken stop)
    {
        if (ratePerSecond <= 0)
            return;
        using var slots = new SemaphoreSlim(concurrency);
        var inFlight = new List<Task>();
        var watch = Stopwatch.StartNew();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var due = (long)(watch.Elapsed.TotalSeconds * ratePerSecond);
                while (_issued < due && !stop.IsCancellationRequested)
                {
                    await slots.WaitAsync(stop);
                    var n = _issued++;
                    inFlight.Add(SendAsync(n, slots));
                }
                inFlight.RemoveAll(t => t.IsCompleted);
                await Task.Delay(5, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
        await Task.WhenAll(inFlight);
    }

    private async Task SendAsync(long n, SemaphoreSlim slots)
    {
        try
        {
            var workspace = workspaces[(int)(n % workspaces.Count)];
            var customer = $"62814{n % workspaces.Count:D4}{n / workspaces.Count % 20:D4}";
            if (await Webhooks.PostAsync(http, workspace, customer, $"Halo kak, mau tanya stok ({n})"))
                Interlocked.Increment(ref _ok);
            else
                Interlocked.Increment(ref _failed);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _failed);
        }
        finally
        {
            slots.Release();
        }
    }
}

public static class Stats
{
    /// <summary>Nearest-rank percentile of <paramref name="values"/> (0 for none).</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
            return 0;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";
}
