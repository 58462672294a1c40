using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>
/// A real redis-server of its own (Debian's <c>/usr/bin/redis-server</c>, installed by scripts/test.sh) on a free
/// loopback port, with a temp folder as its working directory and no persistence. <see cref="StartAsync"/> returns once
/// it answers PING; dispose kills it and deletes the folder. Use <see cref="Configuration"/> as <c>Redis:Configuration</c>.
/// One per test class (IClassFixture) or per test: starting one takes a few milliseconds.
/// </summary>
public sealed class RedisServer : IAsyncLifetime, IAsyncDisposable, IDisposable
{
    public const string Executable = "/usr/bin/redis-server";

    private Process? _process;
    private readonly StringBuilder _output = new();

    public static bool IsAvailable => File.Exists(Executable);

    public static string SkipReason => $"{Executable} is missing (bash scripts/test.sh installs the redis-server package).";

    public int Port { get; private set; }

    /// <summary>The server's working directory (deleted at dispose).</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "kelola-redis", Guid.NewGuid().ToString("N"));

    /// <summary>A StackExchange.Redis configuration string for this server (the app's <c>Redis:Configuration</c>).</summary>
    public string Configuration => $"127.0.0.1:{Port},abortConnect=false";

    /// <summary>What the server printed (for a failing test's message).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Starts a server and waits until it answers PING.</summary>
    public static async Task<RedisServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new RedisServer();
        try
        {
            await server.StartCoreAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    Task IAsyncLifetime.InitializeAsync() => StartCoreAsync(CancellationToken.None);

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        if (!IsAvailable)
            throw new InvalidOperationException(SkipReason);
        Directory.CreateDirectory(Folder);
        // A port taken between the probe and the server's bind makes it exit: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            _process = Launch(Port);
            try
            {
                await WaitForPingAsync(cancellationToken);
                return;
            }
            catch (Exception) when (attempt < 5 && _process.HasExited && !cancellationToken.IsCancellationRequested)
            {
                _process.Dispose();
            }
        }
    }

    private Process Launch(int port)
    {
        var info = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--port", port.ToString(), "--bind", "127.0.0.1", "--dir", Folder, "--save", "", "--appendonly", "no",
                     "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning",
                 })
            info.ArgumentList.Add(arg);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    private async Task WaitForPingAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process!.HasExited)
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode} on port {Port}:\n{Output}");
            if (await PingAsync(Port, cancellationToken))
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"redis-server on port {Port} did not answer PING within 20 s:\n{Output}");
            await Task.Delay(25, cancellationToken);
        }
    }

    /// <summary>True when a server on the port answers PING with +PONG (plain RESP over TCP, no client library).</summary>
    public static async Task<bool> PingAsync(int port, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Kills the server (an outage for the app's clients); <see cref="RestartAsync"/> brings it back on the same port.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>Starts the server again on the same port after <see cref="Kill"/> and waits for PING.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        Kill();
        _process?.Dispose();
        _process = Launch(Port);
        await WaitForPingAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        _process?.Dispose();
        _process = null;
        try
        {
            if (Directory.Exists(Folder))
                Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
