using System.Diagnostics;
using System.Text.RegularExpressions;

namespace KelolaPesan.Tests.Nodes;

/// <summary>The files of deploy/: nginx's own check of the proxy configuration.</summary>
public sealed partial class DeployFilesTests
{
    public const string Nginx = "/usr/sbin/nginx";

    /// <summary>
    /// <c>nginx -t -c</c> on deploy/nginx.conf. The upstream names (web1, web2) exist only inside compose's network and
    /// nginx resolves them while checking, so the copy checked has exactly those two server lines (and the listen port)
    /// pointed at loopback; everything else is the file as shipped.
    /// </summary>
    [NginxFact]
    public async Task TheProxyConfiguration_PassesNginxsOwnCheck()
    {
        var folder = Directory.CreateTempSubdirectory("kelola-nginx-").FullName;
        try
        {
            var config = Path.Combine(folder, "nginx.conf");
            await File.WriteAllTextAsync(config, ForLoopback(await File.ReadAllTextAsync(ConfigPath()), 18081, 18082, 18080));
            var (code, output) = await RunAsync(Nginx, "-t", "-c", config, "-e", Path.Combine(folder, "error.log"), "-g", $"pid {Path.Combine(folder, "nginx.pid")};");
            Assert.True(code == 0, $"nginx -t failed ({code}):\n{output}");
            Assert.Contains("test is successful", output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task TheProxyConfiguration_KeepsABrowserOnOneNode_AndUpgradesTheCircuitsWebSocket()
    {
        var text = await File.ReadAllTextAsync(ConfigPath());
        Assert.Matches(@"upstream kelola_web \{\s*hash \$kp_node consistent;", text);
        var blazor = BlazorLocation().Match(text);
        Assert.True(blazor.Success, "no location /_blazor");
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", text);
        Assert.Contains("proxy_set_header Connection $connection_upgrade;", text);
        Assert.Contains("proxy_buffering off;", blazor.Value);
        Assert.Contains("client_max_body_size 1m;", text);
    }

    /// <summary>deploy/nginx.conf with its two web servers at loopback ports and its listen address on loopback.</summary>
    public static string ForLoopback(string config, int portA, int portB, int listen)
    {
        var replaced = config
            .Replace("server web1:8080", $"server 127.0.0.1:{portA}", StringComparison.Ordinal)
            .Replace("server web2:8080", $"server 127.0.0.1:{portB}", StringComparison.Ordinal)
            .Replace("listen 80;", $"listen 127.0.0.1:{listen};", StringComparison.Ordinal);
        Assert.Contains($"server 127.0.0.1:{portA}", replaced);
        Assert.Contains($"server 127.0.0.1:{portB}", replaced);
        Assert.Contains($"listen 127.0.0.1:{listen};", replaced);
        return replaced;
    }

    /// <summary>deploy/nginx.conf in the repository this test assembly was built from.</summary>
    public static string ConfigPath()
    {
        var tfm = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var root = tfm.Parent!.Parent!.Parent!.Parent!.FullName; // <root>/KelolaPesan.Tests/bin/<configuration>/<tfm>
        var path = Path.Combine(root, "deploy", "nginx.conf");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing.", path);
    }

    public static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"location /_blazor \{[^}]*\}")]
    private static partial Regex BlazorLocation();
}

/// <summary>A test that runs Debian's nginx (scripts/test.sh installs it): skipped, with the reason, without it.</summary>
public sealed class NginxFactAttribute : FactAttribute
{
    public NginxFactAttribute()
    {
        if (!File.Exists(DeployFilesTests.Nginx))
            Skip = $"{DeployFilesTests.Nginx} is missing (bash scripts/test.sh installs the nginx package).";
    }
}

/// <summary>
/// deploy/Dockerfile against the repository it builds. No Docker daemon here (nor the Compose v2 plugin, and Debian's
/// docker-compose 1.x cannot read a Compose Specification file), so the image is never built in the tests: this checks
/// what a build would trip on first.
/// </summary>
public sealed partial class DockerfileTests
{
    [Fact]
    public async Task TheDockerfile_CopiesPathsThatExist_UsesTheDotnetImagesOfTheTargetFramework_AndRunsTheWebDll()
    {
        var root = Path.GetDirectoryName(Path.GetDirectoryName(DeployFilesTests.ConfigPath()))!;
        var lines = (await File.ReadAllLinesAsync(Path.Combine(root, "deploy", "Dockerfile"))).Select(l => l.Trim()).ToList();

        // Every COPY from the build context names a file or folder of the repository (the context is its root).
        var copies = lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            var parts = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1];
            foreach (var source in parts)
                Assert.True(File.Exists(Path.Combine(root, source)) || Directory.Exists(Path.Combine(root, source)), $"{copy}: {source} is not in the repository");
        }
        // Every project the web project builds from is copied before the restore (else the restore fails).
        var projects = ProjectReference().Matches(await File.ReadAllTextAsync(Path.Combine(root, "KelolaPesan.Web", "KelolaPesan.Web.csproj")))
            .Select(m => m.Groups[1].Value.Replace('\\', '/').Replace("../", "", StringComparison.Ordinal)).Append("KelolaPesan.Web/KelolaPesan.Web.csproj");
        foreach (var project in projects)
            Assert.Contains(copies, c => c.Contains(project, StringComparison.Ordinal));

        // The images of the framework every project targets.
        var framework = TargetFramework().Match(await File.ReadAllTextAsync(Path.Combine(root, "Directory.Build.props"))).Groups[1].Value;
        Assert.Equal("net10.0", framework);
        var version = framework["net".Length..];
        Assert.Contains($"FROM mcr.microsoft.com/dotnet/sdk:{version} AS build", lines);
        Assert.Contains($"FROM mcr.microsoft.com/dotnet/aspnet:{version}", lines);

        // The entry point is the assembly the web project publishes (the one the two-node tests run).
        var entry = lines.Single(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal));
        var dll = Path.GetFileName(typeof(KelolaPesan.Web.DemoSeeder).Assembly.Location);
        Assert.Equal("[\"dotnet\", \"" + dll + "\"]", entry["ENTRYPOINT ".Length..]);

        // The port the image listens on is the one nginx proxies to and compose leaves unpublished.
        Assert.Contains("ENV ASPNETCORE_URLS=http://+:8080 \\", lines);
        Assert.Contains("EXPOSE 8080", lines);
        var nginx = await File.ReadAllTextAsync(DeployFilesTests.ConfigPath());
        Assert.Contains("server web1:8080", nginx);
        Assert.Contains("server web2:8080", nginx);
        var compose = await File.ReadAllTextAsync(Path.Combine(root, "deploy", "compose.yaml"));
        Assert.Contains("context: ..", compose);
        Assert.Contains("dockerfile: deploy/Dockerfile", compose);
    }

    [GeneratedRegex("<ProjectReference Include=\"([^\"]+)\"")]
    private static partial Regex ProjectReference();

    [GeneratedRegex("<TargetFramework>([^<]+)</TargetFramework>")]
    private static partial Regex TargetFramework();
}
