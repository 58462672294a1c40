using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Admin;
using KelolaPesan.Data;

namespace KelolaPesan.Web;

/// <summary>Start-up work and the <c>create-admin</c> command line.</summary>
public static class AdminCommand
{
    public const string Name = "create-admin";

    /// <summary>Migrates the database, ensures platform defaults and, in Development only, seeds the demo.</summary>
    public static async Task InitializeAsync(this WebApplication app)
    {
        if (app.Environment.IsProduction() && !KelolaPesan.Data.Security.DataProtectionCertificate.IsConfigured(app.Configuration))
            app.Logger.LogWarning("The Data Protection key ring is stored unencrypted: set DataProtection:CertificatePath (and CertificatePassword) " +
                "or DataProtection:CertificateThumbprint to protect it with a certificate");
        await using var scope = app.Services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<DatabaseInitializer>();
        // Several nodes starting together take turns (a server database's lock): the demo seed checks, then inserts.
        await using var turn = await database.LockStartUpAsync();
        await database.InitializeAsync();
        await scope.ServiceProvider.GetRequiredService<PlatformDefaults>().EnsureAsync();
        if (app.Environment.IsDevelopment() && !app.Configuration.GetValue<bool>("Demo:Disabled"))
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
    }

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        string? Option(string name) => args.SkipWhile(a => a != $"--{name}").Skip(1).FirstOrDefault();
        var email = Option("email");
        var name = Option("name") ?? email;
        var password = Option("password") ?? Environment.GetEnvironmentVariable("KELOLA_ADMIN_PASSWORD");
        if (string.IsNullOrWhiteSpace(email))
        {
            Console.Error.WriteLine("Usage: create-admin --email <email> [--name <name>] [--password <password>]");
            Console.Error.WriteLine("Without --password the password is read from KELOLA_ADMIN_PASSWORD or asked for.");
            return 2;
        }
        if (string.IsNullOrEmpty(password))
        {
            Console.Write("Password: ");
            password = Console.ReadLine() ?? "";
        }

        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            var id = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateAdminAsync(email, name!, password);
            Console.WriteLine($"Admin {email.Trim().ToLowerInvariant()} created ({id}).");
            return 0;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FluentValidation.ValidationException)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
    }
}
