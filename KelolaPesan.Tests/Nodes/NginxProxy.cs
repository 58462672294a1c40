using System.Collections.Concurrent;
using System.Diagnostics;

namespace KelolaPesan.Tests.Nodes;

/// <summary>
/// Debian's nginx running deploy/nginx.conf as shipped, in front of <see cref="TwoNodes"/>: only the two upstream
/// servers and the listen address are pointed at loopback (<see cref="DeployFilesTests.ForLoopback"/>). Its access log
/// (stdout) is kept: each line names the node that answered and the browser's affinity key.
/// </summary>
public sealed class NginxProxy : IDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly ConcurrentQueue<string> _lines = new();

    private NginxProxy(Process process, string folder, string baseUrl)
    {
        _process = process;
        _folder = folder;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>Access log lines and error output so far.</summary>
    public IReadOnlyList<string> Log => [.. _lines];

    public static async Task<NginxProxy> StartAsync(TwoNodes nodes)
    {
        var folder = Directory.CreateTempSubdirectory("kelola-nginx-").FullName;
        var port = TwoNodes.FreePort();
        var config = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(config, DeployFilesTests.ForLoopback(await File.ReadAllTextAsync(DeployFilesTests.ConfigPath()),
            new Uri(nodes.A.BaseUrl).Port, new Uri(nodes.B.BaseUrl).Port, port));
        var info = new ProcessStartInfo(DeployFilesTests.Nginx) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-c", config, "-e", Path.Combine(folder, "error.log"), "-g", $"pid {Path.Combine(folder, "nginx.pid")}; daemon off;" })
            info.ArgumentList.Add(arg);
        var process = new Process { StartInfo = info };
        var proxy = new NginxProxy(process, folder, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) proxy._lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) proxy._lines.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (process.HasExited)
                throw new Xunit.Sdk.XunitException($"nginx exited ({process.ExitCode}):\n{string.Join('\n', proxy.Log)}");
            try
            {
                using var response = await client.GetAsync(proxy.BaseUrl + "/health");
                if (response.IsSuccessStatusCode)
                    return proxy;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > until)
                throw new Xunit.Sdk.XunitException($"nginx did not pass /health to a node within 30 s:\n{string.Join('\n', proxy.Log)}");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
