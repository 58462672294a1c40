using System.Diagnostics;
using System.Globalization;
using Bogus;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using Microsoft.Extensions.Logging.Abstractions;

namespace KelolaPesan.Bench.Scenarios;

/// <summary>
/// The inbox at scale (SQLite or PostgreSQL): one workspace with 100,000 chats and 1,000,000 messages (raw prepared inserts,
/// stored exactly as EF stores them), then the server-side time of what an agent does through
/// <see cref="InboxService"/>: the first chat-list page, searches, opening a conversation, an older page.
/// </summary>
public sealed class InboxScaleScenario : IScenario
{
    private const int BusyChats = 100;

    public string Name => "inbox-scale";
    public string Description => "--chats N --messages N --runs N [--analyze] [--provider Sqlite|Postgres]: inbox queries over a large workspace (target < 50 ms median)";

    public async Task<int> RunAsync(string[] args)
    {
        var chatCount = IntOption(args, "--chats", 100_000);
        var messageCount = IntOption(args, "--messages", 1_000_000);
        var runs = IntOption(args, "--runs", 9);
        if (chatCount < BusyChats * 2 || messageCount < chatCount * 2)
        {
            Console.Error.WriteLine($"need --chats >= {BusyChats * 2} and --messages >= 2 x chats");
            return 2;
        }

        await using var database = await BenchDatabase.CreateAsync(args);
        Console.WriteLine($"inbox-scale: {database.Describe()}");
        var (tenant, workspace, owner, probeName) = await SeedAsync(database, chatCount, messageCount);
        // PostgreSQL's autovacuum analyses a freshly loaded table within a minute or so; the run does it at once, so the
        // planner sees the rows (and picks the trigram indexes) as it would a moment later in production.
        if (args.Contains("--analyze") || database.Provider == DatabaseProvider.Postgres)
        {
            await BulkSeed.AnalyzeAsync(database);
            Console.WriteLine("ran ANALYZE");
        }

        var scope = new TenantContext();
        scope.SetTenant(tenant);
        // Reads only: the gateway, store and bus are never touched by the timed methods.
        var inbox = new InboxService(new KelolaDbFactory(database.Activator, scope), null!, null!, null!, TimeProvider.System,
            NullLogger<InboxService>.Instance, null!);
        var viewer = new InboxViewer(owner, UserRole.Owner);

        PeakMemory.Reset();
        var first = await inbox.ListChatsAsync(viewer, new ChatListQuery(workspace, PageSize: 50));
        var top = first.Items[0];
        var newest = await inbox.GetMessagesAsync(viewer, top.Id);
        Check(first.Items.Count == 50 && newest.Messages.Count == InboxService.MessagePageSize && newest.Older is not null, "unexpected seed shape");
        // The search indexes are built after the rows on SQLite (BulkSeed): they must find what was seeded.
        var byName = await inbox.ListChatsAsync(viewer, new ChatListQuery(workspace, Search: probeName, PageSize: 50));
        var byText = await inbox.ListChatsAsync(viewer, new ChatListQuery(workspace, Search: "dolor", PageSize: 50));
        Check(byName.Items.Count > 0 && byText.Items.Count == 50, "the search indexes miss seeded rows");

        var results = new List<(string Name, double Median, double Max)>
        {
            await TimeAsync("chat_list_first_page", runs, () => inbox.ListChatsAsync(viewer, new ChatListQuery(workspace, PageSize: 50))),
            await TimeAsync("chat_list_page_500", runs, async () =>
            {
                // Scrolled deep: ten pages in, still one seek per page.
                ChatCursor? cursor = null;
                for (var i = 0; i < 10; i++)
                    cursor = (await inbox.ListChatsAsync(viewer, new ChatListQuery(workspace, After: cursor, PageSize: 50))).Next;
            }, perCall: 10),
            await TimeAsync("search_name", runs, () => inbox.ListChatsAsync(viewer, new ChatListQuery(workspace, Search: probeName, PageSize: 50))),
            await TimeAsync("search_number", runs, () => inbox.ListChatsAsync(viewer, new ChatListQuery(workspace, Search: "0812000123", PageSize: 50))),
            await TimeAsync("search_text_rare", runs, () => inbox.ListChatsAsync(viewer, new ChatListQuery(workspace, Search: "zzkata-langka", PageSize: 50))),
            // A word of the seeded text: matches a large share of all messages (the FTS index's worst case).
            await TimeAsync("search_text_common", runs, () => inbox.ListChatsAsync(viewer, new ChatListQuery(workspace, Search: "dolor", PageSize: 50))),
            await TimeAsync("open_conversation", runs, () => inbox.GetMessagesAsync(viewer, top.Id)),
            await TimeAsync("older_page", runs, () => inbox.GetMessagesAsync(viewer, top.Id, newest.Older)),
            await TimeAsync("unread_filter", runs, () => inbox.ListChatsAsync(viewer, new ChatListQuery(workspace, UnreadOnly: true, PageSize: 50))),
        };

        Console.WriteLine($"{"operation",-22} {"median ms",10} {"max ms",10}  (target < 50 ms median)");
        foreach (var (name, median, max) in results)
            Console.WriteLine($"{name,-22} {median,10:F2} {max,10:F2}  {(median < 50 ? "ok" : "OVER")}");
        var peak = PeakMemory.PeakMiB();
        Console.WriteLine($"database size {await database.SizeBytesAsync() / 1024.0 / 1024.0:F0} MiB; peak working set over the queries {peak:F0} MiB");
        Console.WriteLine($"RESULT {Name} provider={database.Provider} chats={chatCount} messages={messageCount} peak_mib={peak:F0} " +
                          string.Join(' ', results.Select(r => $"{r.Name}_median_ms={r.Median.ToString("F2", CultureInfo.InvariantCulture)}")));
        return 0;
    }

    private static async Task<(string, double, double)> TimeAsync(string name, int runs, Func<Task> action, int perCall = 1)
    {
        await action();
        var samples = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await action();
            samples.Add(watch.Elapsed.TotalMilliseconds / perCall);
        }
        samples.Sort();
        return (name, samples[samples.Count / 2], samples[^1]);
    }

    /// <summary>
    /// Chats 0..99 are busy (1,000+ messages each, the newest activity); the rest get the other messages round-robin.
    /// Last-message times are computed up front so chats can be inserted before their messages (foreign keys).
    /// </summary>
    private static async Task<(Guid Tenant, Guid Workspace, Guid Owner, string ProbeName)> SeedAsync(BenchDatabase database, int chatCount, int messageCount)
    {
        Randomizer.Seed = new Random(20260605);
        var faker = new Faker("id_ID");
        var licence = new Licence { Name = "Bench", CodePrefix = "KPBENCH", CodeHash = new byte[32] };
        var tenant = new Tenant { Name = "Toko Bench", LicenceId = licence.Id };
        var workspace = new Workspace { TenantId = tenant.Id, Name = "Toko Bench", ConnectionStatus = ConnectionStatus.Connected };
        var owner = new AppUser { TenantId = tenant.Id, Username = "pemilik", DisplayName = "Pemilik", Role = UserRole.Owner };
        await using (var db = database.Activator.Create(SystemTenant.Instance))
        {
            db.AddRange(licence, tenant, workspace, owner);
            await db.SaveChangesAsync();
        }

        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var normalMessages = messageCount - messageCount / 10;
        var busyMessages = messageCount - normalMessages;
        DateTimeOffset At(int index) => start.AddSeconds(index * 2L);
        DateTimeOffset LastAt(int chat) => chat < BusyChats
            ? At(normalMessages + (busyMessages - 1 - chat) / BusyChats * BusyChats + chat)
            : At((normalMessages - 1 - chat) / chatCount * chatCount + chat);

        var sentences = Enumerable.Range(0, 500).Select(_ => faker.Lorem.Sentence(faker.Random.Int(3, 16))).ToArray();
        var names = Enumerable.Range(0, 2000).Select(_ => faker.Name.FullName()).ToArray();
        // Streamed into the insert (a million Chat objects would be the largest thing in memory); only the ids are kept,
        // filled as the chats go in, before any message needs them.
        var chatIds = new Guid[chatCount];
        IEnumerable<Chat> Chats()
        {
            for (var i = 0; i < chatCount; i++)
            {
                var chat = new Chat
                {
                    TenantId = tenant.Id, WorkspaceId = workspace.Id,
                    DisplayName = names[i % names.Length], PhoneNumber = $"+62812{i:D7}", ExternalChatId = $"62812{i:D7}@c.us",
                    LastMessageAt = LastAt(i), LastMessagePreview = sentences[i % sentences.Length],
                    UnreadCount = i % 50 == 0 ? 2 : 0,
                };
                chatIds[i] = chat.Id;
                yield return chat;
            }
        }

        IEnumerable<Message> Messages()
        {
            for (var i = 0; i < messageCount; i++)
            {
                var chat = i < normalMessages ? i % chatCount : (i - normalMessages) % BusyChats;
                var inbound = i % 3 != 0;
                yield return new Message
                {
                    TenantId = tenant.Id, WorkspaceId = workspace.Id, ChatId = chatIds[chat], ExternalMessageId = $"m{i:X8}",
                    Direction = inbound ? MessageDirection.Inbound : MessageDirection.Outbound,
                    Origin = inbound ? MessageOrigin.Customer : MessageOrigin.Agent,
                    Body = sentences[(i * 7) % sentences.Length], Status = MessageStatus.Read, SentAt = At(i),
                };
            }
        }

        await using var model = database.Activator.Create(SystemTenant.Instance);
        var now = DateTimeOffset.UtcNow;
        var chatTime = await BulkSeed.InsertAsync(database, model.Model.FindEntityType(typeof(Chat))!, Chats(), now);
        Console.WriteLine($"inserted {chatCount} chats in {chatTime.TotalSeconds:F1} s");
        var messageTime = await BulkSeed.InsertAsync(database, model.Model.FindEntityType(typeof(Message))!, Messages(), now);
        Console.WriteLine($"inserted {messageCount} messages in {messageTime.TotalSeconds:F1} s ({messageCount / messageTime.TotalSeconds:F0} rows/s)");

        // The probe name is a real customer name in the data, so the search finds rows and stops at a page.
        return (tenant.Id, workspace.Id, owner.Id, names[17].Split(' ')[0]);
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
            throw new InvalidOperationException(message);
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
