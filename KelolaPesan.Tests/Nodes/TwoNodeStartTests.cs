using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Tests.Accounts;
using KelolaPesan.Tests.Gateways;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web;
using KelolaPesan.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace KelolaPesan.Tests.Nodes;

/// <summary>
/// Issue 18: two nodes started at the same moment on a database with nothing in it (what a deployment's database server
/// hands the app on its first day). Each node migrates, provisions Quartz's tables, registers its jobs, makes the
/// platform defaults and (Development) seeds the demo at start-up: all of it must happen once, and neither start fail.
/// In the browser collection, like the other two-node tests, so nothing else competes with two starting processes.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TwoNodeStartTests(ITestOutputHelper output)
{
    [TwoNodeFact]
    public async Task TwoNodesStartingTogether_OnAnEmptyDatabase_BothServe_AndEveryStartUpStepHappenedOnce()
    {
        await using var waha = await FakeWahaServer.StartAsync();
        await using var database = await PostgresTestDatabase.CreateEmptyAsync();
        // Development with the demo on: the demo seed is the start-up step most likely to run twice.
        await using var nodes = await TwoNodes.StartAsync(database, waha, new Dictionary<string, string> { ["Demo:Disabled"] = "false" });

        await nodes.RunAsync(async () =>
        {
            await using var db = database.CreateSystem();
            // Each node warmed up (database, ingest, Data Protection, Redis) before it listened: /health, and so the
            // proxy, could not reach it cold.
            foreach (var node in nodes.Both)
            {
                var lines = node.Output.Split('\n');
                var warmed = Array.FindIndex(lines, l => l.Contains("Node warmed up in", StringComparison.Ordinal));
                var listening = Array.FindIndex(lines, l => l.Contains("Now listening on", StringComparison.Ordinal));
                Assert.True(warmed >= 0 && listening > warmed, $"node {node.Name} listened before it had warmed up:\n{node.Output}");
                Assert.DoesNotContain("Warm-up step", node.Output);
                // Then a webhook POST went through the node's own request pipeline (NodeWarmUpServer), before it
                // listened: refused, for it names no workspace, so it stored nothing (below).
                var posted = Array.FindIndex(lines, l => l.Contains("Warm-up: a webhook POST through the pipeline answered 401", StringComparison.Ordinal));
                Assert.True(posted > warmed && listening > posted, $"node {node.Name} did not send its warm-up POST before it listened:\n{node.Output}");
                Assert.DoesNotContain("Warm-up request failed", node.Output);
            }
            Assert.Equal(0, await db.InboundWebhookEvents.CountAsync());

            // Migrations: every one the app ships, each applied once.
            var shipped = db.Database.GetMigrations().ToList();
            var applied = await db.Database.SqlQueryRaw<string>("SELECT \"MigrationId\" AS \"Value\" FROM \"__EFMigrationsHistory\"").ToListAsync();
            Assert.Equal(shipped.Order(), applied.Order());

            // Platform defaults once.
            Assert.Equal(1, await db.Policies.CountAsync(p => p.Tier == null));
            Assert.Equal(1, await db.PlatformSettings.CountAsync());
            var templates = await db.NotificationTemplates.Select(t => t.Event).ToListAsync();
            Assert.Equal(Enum.GetValues<NotificationEvent>().Length, templates.Count);
            Assert.Equal(templates.Count, templates.Distinct().Count());

            // The demo once: one admin, one licence of each demo code, one demo tenant.
            Assert.Equal(1, await db.AdminUsers.CountAsync(a => a.Email == DemoSeeder.AdminEmail));
            foreach (var code in new[] { DemoSeeder.TenantLicenceCode, DemoSeeder.AgencyLicenceCode })
            {
                var prefix = LicenceCode.TryParse(code)!.Prefix;
                Assert.Equal(1, await db.Licences.CountAsync(l => l.CodePrefix == prefix));
            }
            Assert.Equal(1, await db.Tenants.CountAsync(t => t.Name == "Toko Demo"));

            // Quartz: one clustered scheduler, both nodes checked in, each start-up job and its trigger stored once.
            var jobs = await QueryAsync(database, "SELECT job_group || '.' || job_name FROM qrtz_job_details");
            var triggers = await QueryAsync(database, "SELECT trigger_group || '.' || trigger_name FROM qrtz_triggers");
            var instances = await QueryAsync(database, "SELECT instance_name FROM qrtz_scheduler_state");
            output.WriteLine($"migrations {applied.Count}; jobs: {string.Join(", ", jobs)}; triggers: {string.Join(", ", triggers)}; scheduler instances: {instances.Count}");
            foreach (var key in new[] { LicenceNotificationJob.Key, RetentionJob.Key, InstagramTokenRefreshJob.Key })
                Assert.Single(jobs, j => j == key.ToString());
            foreach (var trigger in new[] { "admin.licence-notifications-hourly", "privacy.retention-purge-daily", "instagram.instagram-token-refresh-6h" })
                Assert.Single(triggers, t => t == trigger);
            Assert.Equal(jobs.Count, jobs.Distinct().Count());
            Assert.Equal(triggers.Count, triggers.Distinct().Count());
            Assert.Equal(2, instances.Distinct().Count());

            // Both serve: the demo owner signs in on each.
            foreach (var node in nodes.Both)
            {
                using var form = await SignInForm.OpenAsync(node.BaseUrl);
                var answer = await form.PostAsync(DemoSeeder.TenantLicenceCode, DemoSeeder.OwnerUsername, DemoSeeder.OwnerPassword,
                    forwardedFor: node == nodes.A ? "203.0.113.21" : "203.0.113.22");
                Assert.True(answer.SignedIn, $"the demo owner could not sign in on node {node.Name}: {answer.Status}");
            }
        });
    }

    private static async Task<List<string>> QueryAsync(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(reader.GetString(0));
        return rows;
    }
}
