using System.Diagnostics;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>
/// The built app (<c>dotnet KelolaPesan.Web.dll</c>) as a separate OS process with the given configuration as
/// environment variables, so a test can SIGKILL it the way a crash or an out-of-memory kill would.
/// </summary>
public sealed class WebAppProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private WebAppProcess(Process process) => _process = process;

    public static WebAppProcess Start(IReadOnlyDictionary<string, string> settings)
    {
        var dll = WebDll();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in settings)
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var process = new Process { StartInfo = info };
        var app = new WebAppProcess(process);
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the app wrote, for a failure message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return string.Join('\n', _output);
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, exactly what a crash leaves behind.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit(30_000);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 60)
                _output.Dequeue();
        }
    }

    /// <summary>The Web project's own build output of the same configuration as this test assembly.</summary>
    private static string WebDll()
    {
        var tfm = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var configuration = tfm.Parent!;
        var root = configuration.Parent!.Parent!.Parent!.FullName; // <root>/KelolaPesan.Tests/bin/<configuration>/<tfm>
        var dll = Path.Combine(root, "KelolaPesan.Web", "bin", configuration.Name, tfm.Name, "KelolaPesan.Web.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build KelolaPesan.Web first: {dll} is missing.", dll);
    }
}
