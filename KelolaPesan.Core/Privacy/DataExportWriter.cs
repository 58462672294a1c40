using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using KelolaPesan.Core.Attachments;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Privacy;

/// <summary>
/// Writes an export zip: one JSON file per table, streamed row by row from its own short-lived context, .xlsx
/// sheets of contacts and messages, and the attachment files. Rows marked deleted are not exported. Secrets never
/// leave: workspaces and Instagram accounts are projected without their encrypted keys/tokens, and users, API keys
/// and webhook subscriptions are exported without hashes or encrypted values.
/// </summary>
public sealed class DataExportWriter(IKelolaDbFactory dbFactory, IAttachmentStore store, Guid tenantId, Guid? workspaceId)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        // A file for the owner, never embedded in HTML: keep "+62..." and non-ASCII names readable instead of \u escapes.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private delegate Task Step(ZipArchive zip, IKelolaDb db, CancellationToken ct);

    public async Task WriteAsync(Stream output, Func<int, Task> progress, CancellationToken ct)
    {
        var steps = Steps();
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        for (var i = 0; i < steps.Count; i++)
        {
            await using (var db = dbFactory.CreateForTenant(tenantId))
                await steps[i](zip, db, ct);
            await progress((i + 1) * 99 / steps.Count);
        }
    }

    /// <summary>The file names every export holds (the categories the policy promises access to).</summary>
    public static IReadOnlyList<string> JsonFiles { get; } =
    [
        "workspaces", "custom_fields", "contacts", "contact_field_values", "contact_lists", "contact_list_members", "labels",
        "contact_labels", "segments", "contact_imports", "chats", "chat_labels", "messages", "quick_replies", "attachments",
        "broadcasts", "broadcast_recipients", "sequences", "sequence_steps", "sequence_enrollments", "bot_rules", "bot_keywords",
        "bot_settings", "bot_replies", "validation_jobs", "validation_entries", "instagram_accounts", "instagram_media",
        "instagram_comments", "comment_automations", "comment_replies", "workspace_events",
    ];

    private IQueryable<T> Scope<T>(IQueryable<T> rows) where T : class, IWorkspaceOwned =>
        workspaceId is { } ws ? rows.Where(x => x.WorkspaceId == ws) : rows;

    private List<Step> Steps() =>
    [
        (zip, db, ct) => JsonAsync(zip, "workspaces", db.Workspaces.AsNoTracking().Where(w => workspaceId == null || w.Id == workspaceId)
            .OrderBy(w => w.Id).Select(w => new
            {
                w.Id, w.Name, w.Label, w.PhoneNumber, w.ConnectionStatus, w.ExternalSessionId, w.ConnectedAt, w.StatusChangedAt,
                w.SessionMetadata, w.UnreadChats, w.UnreadMessages, w.CreatedAt,
            }), ct),
        (zip, db, ct) => JsonAsync(zip, "custom_fields", db.CustomFields.AsNoTracking().OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "contacts", Scope(db.Contacts.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "contact_field_values", Scope(db.ContactFieldValues.AsNoTracking())
            .Where(v => db.Contacts.Any(c => c.Id == v.ContactId)).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "contact_lists", Scope(db.ContactLists.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "contact_list_members", Scope(db.ContactListMembers.AsNoTracking())
            .Where(m => db.Contacts.Any(c => c.Id == m.ContactId)).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "labels", Scope(db.Labels.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "contact_labels", Scope(db.ContactLabels.AsNoTracking())
            .Where(l => db.Contacts.Any(c => c.Id == l.ContactId)).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "segments", Scope(db.Segments.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "contact_imports", Scope(db.ContactImports.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "chats", Scope(db.Chats.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "chat_labels", Scope(db.ChatLabels.AsNoTracking())
            .Where(l => db.Chats.Any(c => c.Id == l.ChatId)).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "messages", Scope(db.Messages.AsNoTracking())
            .Where(m => db.Chats.Any(c => c.Id == m.ChatId)).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "quick_replies", Scope(db.QuickReplies.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "attachments", Scope(db.Attachments.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "broadcasts", Scope(db.Broadcasts.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "broadcast_recipients", Scope(db.BroadcastRecipients.AsNoTracking())
            .Where(r => db.Broadcasts.Any(b => b.Id == r.BroadcastId)).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "sequences", Scope(db.Sequences.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "sequence_steps", Scope(db.SequenceSteps.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "sequence_enrollments", Scope(db.SequenceEnrollments.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "bot_rules", Scope(db.BotRules.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "bot_keywords", Scope(db.BotKeywords.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "bot_settings", Scope(db.BotSettings.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "bot_replies", Scope(db.BotReplies.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "validation_jobs", Scope(db.ValidationJobs.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "validation_entries", Scope(db.ValidationEntries.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "number_checks", Scope(db.NumberChecks.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "instagram_accounts", Scope(db.InstagramAccounts.AsNoTracking()).OrderBy(x => x.Id).Select(a => new
            {
                a.Id, a.WorkspaceId, a.InstagramUserId, a.Username, a.DisplayName, a.ProfilePictureUrl, a.TokenExpiresAt,
                a.TokenRefreshedAt, a.Permissions, a.Status, a.StatusReason, a.ConnectedAt, a.CreatedAt,
            }), ct),
        (zip, db, ct) => JsonAsync(zip, "instagram_media", Scope(db.InstagramMedia.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "instagram_comments", Scope(db.InstagramComments.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "comment_automations", Scope(db.CommentAutomations.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "comment_replies", Scope(db.CommentReplies.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => JsonAsync(zip, "workspace_events", Scope(db.WorkspaceEvents.AsNoTracking()).OrderBy(x => x.Id), ct),
        (zip, db, ct) => workspaceId is null
            ? JsonAsync(zip, "users", db.Users.AsNoTracking().OrderBy(u => u.Id).Select(u => new
                { u.Id, u.Username, u.DisplayName, u.Role, u.Phone, u.Language, u.Theme, u.IsActive, u.LastLoginAt, u.CreatedAt }), ct)
            : Task.CompletedTask,
        (zip, db, ct) => workspaceId is null
            ? JsonAsync(zip, "api_keys", db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => new
                { k.Id, k.Prefix, k.Status, k.RevokedAt, k.LastUsedAt, k.CreatedAt }), ct)
            : Task.CompletedTask,
        ContactsXlsxAsync,
        MessagesXlsxAsync,
        AttachmentFilesAsync,
    ];

    private static async Task JsonAsync<T>(ZipArchive zip, string name, IQueryable<T> rows, CancellationToken ct)
    {
        var entry = zip.CreateEntry($"json/{name}.json", CompressionLevel.Fastest);
        await using var stream = entry.Open();
        await JsonSerializer.SerializeAsync(stream, rows.AsAsyncEnumerable(), Json, ct);
    }

    private async Task ContactsXlsxAsync(ZipArchive zip, IKelolaDb db, CancellationToken ct)
    {
        var fields = await db.CustomFields.AsNoTracking().OrderBy(f => f.SortOrder).ThenBy(f => f.Label).ToListAsync(ct);
        var rows = await Scope(db.Contacts.AsNoTracking()).OrderBy(c => c.Name)
            .Select(c => new
            {
                c.Name, c.Phone, c.Email, c.GroupId, c.OptedOut, c.LastValidationStatus,
                Workspace = db.Workspaces.Where(w => w.Id == c.WorkspaceId).Select(w => w.Name).FirstOrDefault(),
                Fields = db.ContactFieldValues.Where(v => v.ContactId == c.Id).Select(v => new { v.FieldId, v.Value }).ToList(),
            }).ToListAsync(ct);
        // The sheets in the language of the owner who asked (the job runs in it), like the other exports.
        var header = new[] { "Export_Workspace", "Export_Name", "Export_Phone", "Export_Email", "Export_Group", "Export_OptedOut", "Export_WhatsApp" }
            .Select(ExportText.Get).Concat(fields.Select(f => f.Label)).ToArray();
        var yes = ExportText.Get("Export_Yes");
        await XlsxAsync(zip, "contacts", ExportText.Get("Export_SheetContacts"), header, rows.Select(r =>
            new[] { r.Workspace, r.Name, r.Phone, r.Email, r.GroupId, r.OptedOut ? yes : "", ExportText.Of(r.LastValidationStatus) }
                .Concat(fields.Select(f => r.Fields.FirstOrDefault(v => v.FieldId == f.Id)?.Value)).ToArray()), ct);
    }

    private async Task MessagesXlsxAsync(ZipArchive zip, IKelolaDb db, CancellationToken ct)
    {
        var rows = await Scope(db.Messages.AsNoTracking())
            .Join(db.Chats, m => m.ChatId, c => c.Id, (m, c) => new { m, c })
            .OrderBy(x => x.c.Id).ThenBy(x => x.m.SentAt)
            .Select(x => new
            {
                x.c.DisplayName, x.c.PhoneNumber, x.m.Direction, x.m.SenderName, x.m.SenderNumber, x.m.Body, x.m.Status, x.m.SentAt,
            }).ToListAsync(ct);
        var zone = TenantTime.Zone(await db.Tenants.Select(t => t.TimeZone).FirstOrDefaultAsync(ct));
        var header = new[] { "Export_Chat", "Export_ChatPhone", "Export_Direction", "Export_Sender", "Export_SenderNumber", "Export_Message", "Export_Status" }
            .Select(ExportText.Get).Append(ExportText.Format("Export_SentAt", zone.Id)).ToArray();
        await XlsxAsync(zip, "messages", ExportText.Get("Export_SheetMessages"), header, rows.Select(r => new object?[]
        {
            r.DisplayName, r.PhoneNumber, ExportText.Of(r.Direction), r.SenderName, r.SenderNumber, r.Body, ExportText.Of(r.Status), r.SentAt,
        }), ct, zone);
    }

    // ClosedXML needs a seekable stream; a zip entry is not, so the sheet goes through memory.
    private static async Task XlsxAsync(ZipArchive zip, string name, string sheet, string[] header, IEnumerable<object?[]> rows, CancellationToken ct, TimeZoneInfo? zone = null)
    {
        using var buffer = new MemoryStream();
        ContactExportService.WriteXlsx(sheet, header, rows, buffer, zone);
        buffer.Position = 0;
        var entry = zip.CreateEntry($"xlsx/{name}.xlsx", CompressionLevel.NoCompression);
        await using var stream = entry.Open();
        await buffer.CopyToAsync(stream, ct);
    }

    private async Task AttachmentFilesAsync(ZipArchive zip, IKelolaDb db, CancellationToken ct)
    {
        var files = await Scope(db.Attachments.AsNoTracking()).OrderBy(a => a.Id)
            .Select(a => new { a.Id, a.OriginalFileName, a.StorageKey }).ToListAsync(ct);
        foreach (var file in files)
        {
            await using var content = await store.OpenReadAsync(file.StorageKey, ct);
            if (content is null)
                continue;
            var entry = zip.CreateEntry($"attachments/{file.Id:N}-{SafeName(file.OriginalFileName)}", CompressionLevel.Fastest);
            await using var stream = entry.Open();
            await content.CopyToAsync(stream, ct);
        }
    }

    /// <summary>A name that stays one entry inside attachments/ when unzipped (no folders, no "..").</summary>
    public static string SafeName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(['/', '\\', ':']).ToHashSet();
        var clean = new string(name.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c).ToArray()).Trim('.', ' ');
        return clean.Length == 0 ? "file" : clean.Length > 100 ? clean[^100..] : clean;
    }
}
