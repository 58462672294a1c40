using System.Diagnostics;
using System.Globalization;
using Bogus;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace KelolaPesan.Bench.Scenarios;

/// <summary>
/// How fast one workspace's contacts, chats and messages can be inserted into SQLite: through EF Core in
/// batches (change detection off), and through one prepared raw command per table in a transaction.
/// Both write the same generated rows, each into its own fresh database.
/// </summary>
public sealed class SeedScaleScenario : IScenario
{
    private const int EfBatchSize = 2000;
    private static readonly string[] OperatorPrefixes = ["811", "812", "813", "821", "822", "852", "853", "857", "858", "877", "878", "896"];

    public string Name => "seed-scale";
    public string Description => "--contacts N --chats N --messages N [--mode ef|raw|both]: insert rate per table on SQLite";

    public async Task<int> RunAsync(string[] args)
    {
        var contactCount = IntOption(args, "--contacts", 10_000);
        var chatCount = IntOption(args, "--chats", 10_000);
        var messageCount = IntOption(args, "--messages", 100_000);
        var mode = StringOption(args, "--mode", "both");
        if (mode is not ("ef" or "raw" or "both"))
        {
            Console.Error.WriteLine("--mode must be ef, raw or both");
            return 2;
        }

        var generate = Stopwatch.StartNew();
        var data = Generate(contactCount, chatCount, messageCount);
        Console.WriteLine($"generated {contactCount} contacts, {chatCount} chats, {messageCount} messages with Bogus in {generate.Elapsed.TotalSeconds:F2} s");

        var metrics = new List<string>();
        foreach (var (label, insert) in Modes(mode))
        {
            await using var database = await BenchDatabase.CreateAsync();
            await SeedTenantAsync(database, data);
            var timings = await insert(database, data);
            await VerifyAsync(database, data);

            var rows = 0;
            var seconds = 0.0;
            foreach (var (table, count, elapsed) in timings)
            {
                Console.WriteLine($"{label,-4} {table,-9} {count,8} rows in {elapsed.TotalSeconds,7:F2} s = {count / elapsed.TotalSeconds,10:F0} rows/s");
                metrics.Add($"{label}_{table}_rows_per_s={count / elapsed.TotalSeconds:F0}");
                rows += count;
                seconds += elapsed.TotalSeconds;
            }
            Console.WriteLine($"{label,-4} {"total",-9} {rows,8} rows in {seconds,7:F2} s = {rows / seconds,10:F0} rows/s; file + WAL {database.FileBytes / 1024.0 / 1024.0:F1} MiB");
            metrics.Add($"{label}_total_rows_per_s={rows / seconds:F0}");
            metrics.Add($"{label}_total_s={seconds:F2}");
        }

        Console.WriteLine($"RESULT {Name} {string.Join(' ', metrics)}");
        return 0;
    }

    private static IEnumerable<(string Label, Func<BenchDatabase, SeedData, Task<List<(string, int, TimeSpan)>>> Insert)> Modes(string mode)
    {
        if (mode is "ef" or "both")
            yield return ("ef", InsertWithEfAsync);
        if (mode is "raw" or "both")
            yield return ("raw", InsertRawAsync);
    }

    private sealed record SeedData(Licence Licence, Tenant Tenant, Workspace Workspace, List<Contact> Contacts, List<Chat> Chats, List<Message> Messages);

    private static SeedData Generate(int contactCount, int chatCount, int messageCount)
    {
        Randomizer.Seed = new Random(20260605);
        var faker = new Faker("id_ID");
        var licence = new Licence { Name = "Bench", CodePrefix = "KPBENCH", CodeHash = new byte[32] };
        var tenant = new Tenant { Name = "Toko Bench", LicenceId = licence.Id };
        var workspace = new Workspace { TenantId = tenant.Id, Name = "Toko Bench", PhoneNumber = "+6281100000000", ConnectionStatus = ConnectionStatus.Connected };

        // The index in the number keeps phones unique per workspace, as the unique index demands.
        string Phone(int i) => $"+62{faker.PickRandom(OperatorPrefixes)}{i:D8}";

        var contacts = Enumerable.Range(0, contactCount).Select(i => new Contact
        {
            TenantId = tenant.Id, WorkspaceId = workspace.Id,
            Name = faker.Name.FullName(), Phone = Phone(i),
            Email = faker.Random.Bool(0.3f) ? faker.Internet.Email() : null,
            GroupId = faker.Random.Bool(0.5f) ? faker.PickRandom("reseller", "pelanggan", "vip", "grosir") : null,
        }).ToList();

        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var chats = Enumerable.Range(0, chatCount).Select(i =>
        {
            var contact = i < contacts.Count ? contacts[i] : null;
            var phone = contact?.Phone ?? Phone(contactCount + i);
            return new Chat
            {
                TenantId = tenant.Id, WorkspaceId = workspace.Id, ContactId = contact?.Id,
                ExternalChatId = $"{phone[1..]}@c.us", PhoneNumber = phone,
                DisplayName = contact?.Name ?? faker.Name.FullName(), LastMessageAt = start,
            };
        }).ToList();

        var messages = Enumerable.Range(0, messageCount).Select(i =>
        {
            var chat = chats[faker.Random.Int(0, chats.Count - 1)];
            var inbound = faker.Random.Bool(0.6f);
            var sentAt = start.AddSeconds(i * 30 + faker.Random.Int(0, 29));
            var body = faker.Lorem.Sentence(faker.Random.Int(3, 20));
            chat.LastMessageAt = sentAt;
            chat.LastMessagePreview = body.Length > Chat.PreviewMaxLength ? body[..Chat.PreviewMaxLength] : body;
            return new Message
            {
                TenantId = tenant.Id, WorkspaceId = workspace.Id, ChatId = chat.Id,
                ExternalMessageId = $"{inbound.ToString().ToLowerInvariant()}_{chat.ExternalChatId}_{i:X8}",
                Direction = inbound ? MessageDirection.Inbound : MessageDirection.Outbound,
                Origin = inbound ? MessageOrigin.Customer : MessageOrigin.Agent,
                SenderName = inbound ? chat.DisplayName : null, SenderNumber = inbound ? chat.PhoneNumber : null,
                Body = body, Status = inbound ? MessageStatus.Read : MessageStatus.Delivered, SentAt = sentAt,
            };
        }).ToList();

        return new SeedData(licence, tenant, workspace, contacts, chats, messages);
    }

    private static async Task SeedTenantAsync(BenchDatabase database, SeedData data)
    {
        await using var db = database.Activator.Create(SystemTenant.Instance);
        db.AddRange(data.Licence, data.Tenant, data.Workspace);
        await db.SaveChangesAsync();
    }

    private static async Task<List<(string, int, TimeSpan)>> InsertWithEfAsync(BenchDatabase database, SeedData data) =>
    [
        ("contacts", data.Contacts.Count, await EfBatchesAsync(database, data, data.Contacts)),
        ("chats", data.Chats.Count, await EfBatchesAsync(database, data, data.Chats)),
        ("messages", data.Messages.Count, await EfBatchesAsync(database, data, data.Messages)),
    ];

    // A fresh context per batch: the change tracker would otherwise grow with every row already saved.
    private static async Task<TimeSpan> EfBatchesAsync<T>(BenchDatabase database, SeedData data, List<T> rows) where T : class
    {
        var tenant = new TenantContext();
        tenant.SetTenant(data.Tenant.Id);
        var watch = Stopwatch.StartNew();
        foreach (var batch in rows.Chunk(EfBatchSize))
        {
            await using var db = database.Activator.Create(tenant);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Set<T>().AddRange(batch);
            await db.SaveChangesAsync();
        }
        return watch.Elapsed;
    }

    private static async Task<List<(string, int, TimeSpan)>> InsertRawAsync(BenchDatabase database, SeedData data)
    {
        await using var db = database.Activator.Create(SystemTenant.Instance);
        var now = DateTimeOffset.UtcNow;
        return
        [
            ("contacts", data.Contacts.Count, await RawInsertAsync(database, db.Model.FindEntityType(typeof(Contact))!, data.Contacts, now)),
            ("chats", data.Chats.Count, await RawInsertAsync(database, db.Model.FindEntityType(typeof(Chat))!, data.Chats, now)),
            ("messages", data.Messages.Count, await RawInsertAsync(database, db.Model.FindEntityType(typeof(Message))!, data.Messages, now)),
        ];
    }

    /// <summary>
    /// One prepared INSERT per table in one transaction. Columns and value conversions come from the EF model,
    /// so the rows are stored exactly as EF would store them (UTC ticks, enums as numbers, upper-case Guid text).
    /// </summary>
    internal static async Task<TimeSpan> RawInsertAsync<T>(BenchDatabase database, IEntityType entityType, IEnumerable<T> rows, DateTimeOffset now) where T : Entity
    {
        var properties = entityType.GetProperties().Where(p => p.PropertyInfo is not null).ToList();
        var table = entityType.GetTableName();
        var watch = Stopwatch.StartNew();

        await using var connection = new SqliteConnection(database.Settings.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", properties.Select(p => $"\"{p.GetColumnName()}\""))}) " +
                              $"VALUES ({string.Join(", ", properties.Select((_, i) => $"$p{i}"))})";
        var parameters = properties.Select((_, i) => command.Parameters.Add(new SqliteParameter { ParameterName = $"$p{i}" })).ToArray();
        command.Prepare();

        foreach (var row in rows)
        {
            row.CreatedAt = row.UpdatedAt = now;
            for (var i = 0; i < properties.Count; i++)
                parameters[i].Value = ToProvider(properties[i], properties[i].PropertyInfo!.GetValue(row));
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return watch.Elapsed;
    }

    private static object ToProvider(IProperty property, object? value) => value switch
    {
        null => DBNull.Value,
        Guid guid => guid.ToString().ToUpperInvariant(),
        _ when property.GetTypeMapping().Converter is { } converter => converter.ConvertToProvider(value) ?? DBNull.Value,
        _ => value,
    };

    /// <summary>Fails the run if EF cannot read back what was written (counts, a row by id, time ordering).</summary>
    private static async Task VerifyAsync(BenchDatabase database, SeedData data)
    {
        var tenant = new TenantContext();
        tenant.SetTenant(data.Tenant.Id);
        await using var db = database.Activator.Create(tenant);
        var contacts = await db.Contacts.CountAsync();
        var chats = await db.Chats.CountAsync();
        var messages = await db.Messages.CountAsync();
        if (contacts != data.Contacts.Count || chats != data.Chats.Count || messages != data.Messages.Count)
            throw new InvalidOperationException($"read back {contacts}/{chats}/{messages} rows");

        var probe = data.Messages[^1];
        var found = await db.Messages.SingleAsync(m => m.Id == probe.Id);
        var latest = await db.Messages.OrderByDescending(m => m.SentAt).Select(m => m.Id).FirstAsync();
        if (found.SentAt != probe.SentAt || latest != probe.Id)
            throw new InvalidOperationException("messages did not read back as written");
    }

    private static int IntOption(string[] args, string name, int fallback) =>
        int.Parse(StringOption(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    private static string StringOption(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
