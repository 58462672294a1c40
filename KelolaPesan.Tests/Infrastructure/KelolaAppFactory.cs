using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>
/// The real Web app on Kestrel on a loopback port (a browser cannot reach the in-memory
/// TestServer), in Development with its demo data, over a fresh data folder of its own.
/// </summary>
public class KelolaAppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly Dictionary<string, string?> _settings;

    public KelolaAppFactory() : this(null)
    {
    }

    // Protected: xunit needs a fixture with exactly one public constructor. A factory with
    // other settings derives from this one, or calls WithSetting before StartAsync.
    protected KelolaAppFactory(IReadOnlyDictionary<string, string?>? overrides)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "kelola-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);

        _settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:DataDirectory"] = DataDirectory,
            ["Gateway:Kind"] = "Simulator",
            // Test output stays readable: the app's Information logs would bury the failures.
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel(0);
    }

    /// <summary>The app's own folder for <c>kelola.db</c> and attachments; deleted on dispose.</summary>
    public string DataDirectory { get; }

    /// <summary>The app's address, e.g. <c>http://127.0.0.1:41234</c>, without a trailing slash.</summary>
    public string BaseUrl => _baseUrl ?? throw new InvalidOperationException("The app is not started: call StartAsync (or use the factory as an xunit fixture).");

    private string? _baseUrl;

    /// <summary>Adds or replaces one configuration value; only before the app starts.</summary>
    public KelolaAppFactory WithSetting(string key, string? value)
    {
        if (_baseUrl is not null)
        {
            throw new InvalidOperationException($"The app already started; set '{key}' before StartAsync.");
        }
        _settings[key] = value;
        return this;
    }

    /// <summary>The PostgreSQL database the app runs on (<see cref="UseProviderAsync"/>), dropped on dispose.</summary>
    public string? PostgresDatabase { get; private set; }

    /// <summary>
    /// Runs the app on <paramref name="provider"/>: SQLite (the default, a file in <see cref="DataDirectory"/>) or a
    /// fresh database of its own on the test run's PostgreSQL server; only before the app starts.
    /// </summary>
    public async Task<KelolaAppFactory> UseProviderAsync(KelolaPesan.Data.DatabaseProvider provider)
    {
        WithSetting("Database:Provider", provider.ToString());
        if (provider == KelolaPesan.Data.DatabaseProvider.Postgres && PostgresDatabase is null)
        {
            PostgresDatabase = await PostgresTestServer.CreateDatabaseAsync();
            WithSetting("ConnectionStrings:Kelola", PostgresTestServer.ConnectionStringFor(PostgresDatabase));
        }
        return this;
    }

    public Task StartAsync()
    {
        if (_baseUrl is null)
        {
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
            _baseUrl = addresses.First().TrimEnd('/');
        }
        return Task.CompletedTask;
    }

    /// <summary>A new customer (a random number) writes to the demo workspace named <paramref name="workspace"/> through the simulator.</summary>
    public async Task SimulateNewCustomerAsync(string workspace, string name, string text)
    {
        string session;
        using (var scope = Services.CreateScope())
        await using (var db = scope.ServiceProvider.GetRequiredService<KelolaPesan.Core.Common.IKelolaDbFactory>().CreateSystem())
            session = await db.Workspaces.Where(w => w.Name == workspace).Select(w => w.ExternalSessionId!).FirstAsync();
        await Services.GetRequiredService<KelolaPesan.Core.Gateways.SimulatorGateway>()
            .SimulateInboundAsync(session, "62813" + Random.Shared.Next(10_000_000, 99_999_999), name, text);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");

        // UseSetting reaches Program.cs while it still builds (values read from
        // builder.Configuration before Build); the in-memory source added last wins over
        // appsettings*.json once the host is built. Both are needed for minimal hosting.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (PostgresDatabase is not null)
            await PostgresTestServer.DropDatabaseAsync(PostgresDatabase);
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the run; the OS temp folder is cleaned anyway.
        }
        catch (UnauthorizedAccessException)
        {
        }
        GC.SuppressFinalize(this);
    }

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
