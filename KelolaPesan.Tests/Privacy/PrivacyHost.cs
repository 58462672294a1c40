using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Automation;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Validation;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Privacy;

/// <summary>
/// Core's real services (<see cref="ServiceHost"/>) with two tenants ("alpha" and "bravo"), attachments through the app's
/// storage port over the test folder, the simulator gateway and a clock the test moves. <see cref="CurrentTenant"/> is
/// the signed-in user's tenant.
/// </summary>
public sealed class PrivacyHost : ServiceHost
{
    public static readonly AuditActor Owner = new(AuditActorType.User, Guid.NewGuid(), "Pemilik Uji");

    private PrivacyHost(TestDatabase database, Dictionary<string, string?>? settings, FakeTimeProvider clock) : base(database, settings, clock) => Clock = clock;

    public FakeTimeProvider Clock { get; }
    public Guid Alpha { get; private set; }
    public Guid Bravo { get; private set; }
    public Guid CurrentTenant { get; set; }
    public IAttachmentStore Store => Services.GetRequiredService<IAttachmentStore>();
    public ISecretProtector Secrets => Services.GetRequiredService<ISecretProtector>();
    protected override Guid? ScopeTenant => CurrentTenant;

    // The app's storage port over the test folder: deletion must reach files through it (same layout as before).
    protected override void Configure(IServiceCollection services)
    {
        var storage = new KelolaPesan.Core.Storage.LocalFileStorage(Database.Folder);
        services.AddSingleton<KelolaPesan.Core.Storage.IFileStorage>(storage);
        services.AddSingleton<IAttachmentStore>(new KelolaPesan.Core.Storage.FileStorageAttachmentStore(storage));
    }

    public static async Task<PrivacyHost> CreateAsync(Dictionary<string, string?>? settings = null, DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));
        var host = new PrivacyHost(await TestDatabase.CreateAsync(provider, clock), settings, clock);
        (host.Alpha, host.Bravo) = await host.Database.SeedAsync(db =>
            (Seed.Tenant(db, "alpha", l => l.MaxWorkspaces = 5).Id, Seed.Tenant(db, "bravo", l => l.MaxWorkspaces = 5).Id));
        host.CurrentTenant = host.Alpha;
        return host;
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
}

public sealed record Seeded(Guid WorkspaceId, Guid ContactId, Guid ChatId, Guid AttachmentId, string StorageKey, Guid RecipientId, Guid EntryId);
