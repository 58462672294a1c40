using KelolaPesan.Core;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Automation;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Realtime;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Validation;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Data.Security;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Realtime;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Privacy;

/// <summary>
/// Core's real services over a migrated SQLite file with two tenants ("alpha" and "bravo"), a real attachment folder,
/// the simulator gateway and a clock the test moves. <see cref="CurrentTenant"/> is the signed-in user's tenant.
/// </summary>
public sealed class PrivacyHost : IAsyncDisposable
{
    public static readonly AuditActor Owner = new(AuditActorType.User, Guid.NewGuid(), "Pemilik Uji");

    private PrivacyHost(TestDatabase database, FakeTimeProvider clock)
    {
        Database = database;
        Clock = clock;
    }

    public TestDatabase Database { get; }
    public FakeTimeProvider Clock { get; }
    public ServiceProvider Services { get; private set; } = null!;
    public Guid Alpha { get; private set; }
    public Guid Bravo { get; private set; }
    public Guid CurrentTenant { get; set; }
    public IAttachmentStore Store => Services.GetRequiredService<IAttachmentStore>();
    public ISecretProtector Secrets => Services.GetRequiredService<ISecretProtector>();

    public static async Task<PrivacyHost> CreateAsync(Dictionary<string, string?>? settings = null, DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));
        var host = new PrivacyHost(await TestDatabase.CreateAsync(provider, clock), clock);
        host.Alpha = await host.AddTenantAsync("alpha");
        host.Bravo = await host.AddTenantAsync("bravo");
        host.CurrentTenant = host.Alpha;

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        var config = new Dictionary<string, string?> { ["Gateway:Kind"] = "Simulator", ["Gateway:PublicBaseUrl"] = "http://127.0.0.1:5999" };
        foreach (var (key, value) in settings ?? [])
            config[key] = value;
        services.AddCoreServices(new ConfigurationBuilder().AddInMemoryCollection(config).Build());
        KelolaPesan.Data.DependencyInjection.AddRelationalWriters(services);
        services.AddSingleton(host.Database.Activator);
        services.AddScoped<TenantContext>(_ =>
        {
            var context = new TenantContext();
            context.SetTenant(host.CurrentTenant);
            return context;
        });
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddScoped<IKelolaDbFactory, KelolaDbFactory>();
        services.AddSingleton<ISecretProtector>(new DataProtectionSecretProtector(new EphemeralDataProtectionProvider()));
        services.AddSingleton<IRealtimeBus, InProcessRealtimeBus>();
        services.AddSingleton<Gateways.RecordingEventSink>();
        services.AddSingleton<KelolaPesan.Core.Gateways.IGatewayEventSink>(sp => sp.GetRequiredService<Gateways.RecordingEventSink>());
        // The app's storage port over the test folder: deletion must reach files through it (same layout as before).
        var storage = new KelolaPesan.Core.Storage.LocalFileStorage(host.Database.Folder);
        services.AddSingleton<KelolaPesan.Core.Storage.IFileStorage>(storage);
        services.AddSingleton<IAttachmentStore>(new KelolaPesan.Core.Storage.FileStorageAttachmentStore(storage));
        host.Services = services.BuildServiceProvider();
        return host;
    }

    private async Task<Guid> AddTenantAsync(string name)
    {
        var licence = new Licence { Name = name, CodePrefix = "T" + Guid.NewGuid().ToString("N")[..8], CodeHash = [1], MaxWorkspaces = 5 };
        var tenant = new Tenant { Name = name, LicenceId = licence.Id };
        await using var db = Database.CreateSystem();
        db.Licences.Add(licence);
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync();
        return tenant.Id;
    }

    /// <summary>Runs <paramref name="action"/> in a fresh DI scope (a request or circuit of <see cref="CurrentTenant"/>).</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public Task<T> Run<TService, T>(Func<TService, Task<T>> action) where TService : notnull =>
        InScopeAsync(sp => action(sp.GetRequiredService<TService>()));

    /// <summary>One row of every category of data for a tenant, each text carrying <paramref name="m"/> so an export can be searched for it.</summary>
    public async Task<Seeded> SeedAsync(Guid tenantId, string m, string phone)
    {
        await using var db = Database.CreateForTenant(tenantId);
        var ws = new Workspace { TenantId = tenantId, Name = $"{m}-workspace", PhoneNumber = "+6281100009999" };
        db.Workspaces.Add(ws);
        var field = new CustomFieldDefinition { TenantId = tenantId, Key = $"{m}field", Label = $"{m}-fieldlabel" };
        db.CustomFields.Add(field);
        T Own<T>(T row) where T : IWorkspaceOwned { row.TenantId = tenantId; row.WorkspaceId = ws.Id; return row; }

        var contact = Own(new Contact { Name = $"{m}-contact", Phone = phone, Email = $"{m}@example.test" });
        db.Contacts.Add(contact);
        db.ContactFieldValues.Add(Own(new ContactFieldValue { ContactId = contact.Id, FieldId = field.Id, Value = $"{m}-fieldvalue" }));
        var list = Own(new ContactList { Name = $"{m}-list" });
        db.ContactLists.Add(list);
        db.ContactListMembers.Add(Own(new ContactListMember { ContactListId = list.Id, ContactId = contact.Id }));
        var label = Own(new Label { Name = $"{m}-label" });
        db.Labels.Add(label);
        db.ContactLabels.Add(Own(new ContactLabel { ContactId = contact.Id, LabelId = label.Id }));

        var chat = Own(new Chat { ExternalChatId = phone[1..] + "@c.us", ContactId = contact.Id, DisplayName = $"{m}-chat", PhoneNumber = phone,
            LastMessageAt = Clock.GetUtcNow() });
        db.Chats.Add(chat);
        db.ChatLabels.Add(Own(new ChatLabel { ChatId = chat.Id, LabelId = label.Id }));
        var stored = await Store.SaveAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"{m}-file-bytes")), 1_000_000);
        var attachment = Own(new Attachment { OriginalFileName = $"{m}-photo.jpg", StoredFileName = "x.jpg", StorageKey = stored.StorageKey,
            SizeBytes = stored.SizeBytes, Kind = AttachmentKind.Image });
        db.Attachments.Add(attachment);
        db.Messages.Add(Own(new Message { ChatId = chat.Id, Body = $"{m}-message", SenderName = $"{m}-sender", SenderNumber = phone,
            SentAt = Clock.GetUtcNow(), AttachmentId = attachment.Id }));

        var broadcast = Own(new Broadcast { Name = $"{m}-broadcast", MessageTemplate = $"{m}-template" });
        db.Broadcasts.Add(broadcast);
        var recipient = Own(new BroadcastRecipient { BroadcastId = broadcast.Id, ContactId = contact.Id, Phone = phone, Name = $"{m}-recipient",
            RenderedText = $"{m}-rendered", IdempotencyKey = Guid.NewGuid().ToString("N"), Sequence = 1, Status = RecipientStatus.Delivered });
        db.BroadcastRecipients.Add(recipient);
        var rule = Own(new BotRule { Name = $"{m}-botrule", ReplyTemplate = $"{m}-botreply" });
        db.BotRules.Add(rule);
        db.BotKeywords.Add(Own(new BotKeyword { RuleId = rule.Id, Keyword = $"{m}-keyword" }));
        var job = Own(new NumberValidationJob { Name = $"{m}-validation", Total = 1, Registered = 1 });
        db.ValidationJobs.Add(job);
        var entry = Own(new NumberValidationEntry { JobId = job.Id, Sequence = 1, RawInput = phone, NormalizedNumber = phone, Status = ValidationStatus.Registered });
        db.ValidationEntries.Add(entry);

        db.InstagramAccounts.Add(Own(new InstagramAccount { InstagramUserId = $"{m}-iguser", Username = $"{m}-ig",
            AccessTokenEncrypted = Secrets.Protect("KelolaPesan.Instagram.Token", $"{m}-PLAIN-IG-TOKEN") }));
        db.InstagramMedia.Add(Own(new InstagramMedia { MediaId = $"{m}-media", Caption = $"{m}-caption" }));
        db.InstagramComments.Add(Own(new InstagramComment { CommentId = $"{m}-comment-id", MediaId = $"{m}-media", CommenterId = $"{m}-commenter",
            Text = $"{m}-commenttext", WebhookPayload = "{}", CommentedAt = Clock.GetUtcNow() }));
        var automation = Own(new CommentAutomation { Name = $"{m}-automation", PrivateReplyTemplate = $"{m}-template2" });
        db.CommentAutomations.Add(automation);
        db.CommentReplies.Add(Own(new CommentReply { AutomationId = automation.Id, CommentId = $"{m}-comment-id", PrivateReplyMessage = $"{m}-privatereply" }));
        await db.SaveChangesAsync();
        return new Seeded(ws.Id, contact.Id, chat.Id, attachment.Id, stored.StorageKey, recipient.Id, entry.Id);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed record Seeded(Guid WorkspaceId, Guid ContactId, Guid ChatId, Guid AttachmentId, string StorageKey, Guid RecipientId, Guid EntryId);
