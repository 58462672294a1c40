using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using KelolaPesan.Core.Privacy;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Privacy;

/// <summary>The policy's access promise: an export holds every category of the tenant's data, nothing of another tenant, no secret.</summary>
public sealed class DataExportTests
{
    /// <summary>Requests, runs (as the job does) and opens an export of the current tenant; every entry as text.</summary>
    public static async Task<Dictionary<string, string>> ExportAsync(PrivacyHost host, Guid? workspaceId = null, Core.Audit.AuditActor? requester = null)
    {
        var export = await host.Run<DataExportService, Core.Privacy.DataExport?>(s => s.RequestAsync(workspaceId, requester ?? PrivacyHost.Owner));
        Assert.NotNull(export);
        await host.Run<DataExportService, bool>(async s => { await s.RunAsync(host.CurrentTenant, export.Id); return true; });
        var download = await host.Run<DataExportService, ExportDownload?>(s => s.OpenAsync(export.Id, PrivacyHost.Owner));
        Assert.NotNull(download);
        using var buffer = new MemoryStream();
        await using (download.Content)
            await download.Content.CopyToAsync(buffer);
        buffer.Position = 0;
        using var zip = new ZipArchive(buffer, ZipArchiveMode.Read);
        var entries = new Dictionary<string, string>();
        foreach (var entry in zip.Entries)
        {
            using var content = new MemoryStream();
            await using (var stream = entry.Open())
                await stream.CopyToAsync(content);
            content.Position = 0;
            entries[entry.FullName] = entry.FullName.EndsWith(".xlsx", StringComparison.Ordinal)
                ? string.Join("\n", new XLWorkbook(content).Worksheets.SelectMany(s => s.CellsUsed()).Select(c => c.GetString()))
                : Encoding.UTF8.GetString(content.ToArray());
        }
        return entries;
    }

    [Fact]
    public async Task AnExport_HoldsEveryCategoryOfTheTenantsData_AsJsonXlsxAndFiles_AndNothingOfAnotherTenant()
    {
        await using var host = await PrivacyHost.CreateAsync();
        var alpha = await host.SeedAsync(host.Alpha, "alpha", "+6281234500001");
        await host.SeedAsync(host.Bravo, "bravo", "+6281234500002");

        var entries = await ExportAsync(host);

        foreach (var name in DataExportWriter.JsonFiles)
            Assert.True(entries.ContainsKey($"json/{name}.json"), $"missing json/{name}.json");
        var mustHold = new Dictionary<string, string>
        {
            ["workspaces"] = "alpha-workspace", ["custom_fields"] = "alpha-fieldlabel", ["contacts"] = "alpha-contact",
            ["contact_field_values"] = "alpha-fieldvalue", ["contact_lists"] = "alpha-list", ["labels"] = "alpha-label",
            ["contact_list_members"] = alpha.ContactId.ToString(), ["contact_labels"] = alpha.ContactId.ToString(),
            ["chats"] = "alpha-chat", ["chat_labels"] = alpha.ChatId.ToString(), ["messages"] = "alpha-message",
            ["attachments"] = "alpha-photo.jpg", ["broadcasts"] = "alpha-broadcast", ["broadcast_recipients"] = "alpha-recipient",
            ["bot_rules"] = "alpha-botrule", ["bot_keywords"] = "alpha-keyword", ["validation_jobs"] = "alpha-validation",
            ["validation_entries"] = "+6281234500001", ["instagram_accounts"] = "alpha-ig", ["instagram_media"] = "alpha-caption",
            ["instagram_comments"] = "alpha-commenttext", ["comment_automations"] = "alpha-automation", ["comment_replies"] = "alpha-privatereply",
        };
        foreach (var (file, marker) in mustHold)
        {
            var json = entries[$"json/{file}.json"];
            Assert.True(json.Contains(marker, StringComparison.Ordinal), $"{file}.json lacks {marker}");
            Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(json).RootElement.ValueKind);
        }
        Assert.Contains("alpha-contact", entries["xlsx/contacts.xlsx"]);
        Assert.Contains("alpha-fieldvalue", entries["xlsx/contacts.xlsx"]);
        Assert.Contains("alpha-message", entries["xlsx/messages.xlsx"]);
        Assert.Equal("alpha-file-bytes", Assert.Single(entries, e => e.Key.StartsWith("attachments/", StringComparison.Ordinal)).Value);

        // Nothing of the other tenant, and no secret: the token (plain or encrypted), the webhook key column, hashes.
        Assert.All(entries, e => Assert.DoesNotContain("bravo", e.Value, StringComparison.OrdinalIgnoreCase));
        Assert.All(entries, e => Assert.DoesNotContain("PLAIN-IG-TOKEN", e.Value, StringComparison.Ordinal));
        foreach (var secretField in new[] { "accessTokenEncrypted", "webhookSecretEncrypted", "passwordHash", "secretHash", "encryptedKey", "codeHash" })
            Assert.All(entries, e => Assert.DoesNotContain(secretField, e.Value, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(Core.Accounts.UiLanguage.Indonesian, "Workspace\nNama\nTelepon\nEmail\nGrup\nBerhenti\nWhatsApp", "Telepon chat\nArah\nPengirim", "Masuk", "Terdaftar")]
    [InlineData(Core.Accounts.UiLanguage.English, "Workspace\nName\nPhone\nEmail\nGroup\nOpted out\nWhatsApp", "Chat phone\nDirection\nSender", "Inbound", "Registered")]
    public async Task TheSheets_AreInTheLanguageOfTheOwnerWhoAsked_HeadersAndStatusesAlike(Core.Accounts.UiLanguage language, string contactHeaders,
        string messageHeaders, string inbound, string registered)
    {
        await using var host = await PrivacyHost.CreateAsync();
        var seeded = await host.SeedAsync(host.Alpha, "alpha", "+6281234500001");
        var owner = await host.Database.SeedAsync(db =>
        {
            var user = Seed.In(db, host.Alpha).User("pemilik", Core.Accounts.UserRole.Owner, u => u.Language = language);
            db.Contacts.Where(c => c.Id == seeded.ContactId).ExecuteUpdate(s => s.SetProperty(c => c.LastValidationStatus, Core.Contacts.ValidationStatus.Registered));
            db.Messages.Where(m => m.ChatId == seeded.ChatId).ExecuteUpdate(s => s.SetProperty(m => m.Direction, Core.Inbox.MessageDirection.Inbound));
            return user.Id;
        });

        // The job runs in no user's culture: the one this test runs in must not leak into the file.
        var before = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture =
            new System.Globalization.CultureInfo(language == Core.Accounts.UiLanguage.English ? "id" : "en");
        Dictionary<string, string> entries;
        try
        {
            entries = await ExportAsync(host, requester: new Core.Audit.AuditActor(Core.Audit.AuditActorType.User, owner, "pemilik"));
        }
        finally
        {
            (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = before;
        }

        Assert.StartsWith(contactHeaders, entries["xlsx/contacts.xlsx"]);
        Assert.Contains("\n" + registered + "\n", entries["xlsx/contacts.xlsx"] + "\n");
        Assert.StartsWith("Chat\n" + messageHeaders, entries["xlsx/messages.xlsx"]);
        Assert.Contains("\n" + inbound + "\n", entries["xlsx/messages.xlsx"]);
    }

    [Fact]
    public void EveryStatusAnExportWrites_HasWordsInBothLanguages()
    {
        string[] missing = [.. Keys<Core.Contacts.ValidationStatus>(), .. Keys<Core.Broadcasts.RecipientStatus>(), .. Keys<Core.Inbox.MessageStatus>(),
            .. Keys<Core.Inbox.MessageDirection>()];
        Assert.DoesNotContain(missing, k => !Core.Common.ExportText.Has(k));

        static IEnumerable<string> Keys<T>() where T : struct, Enum => Enum.GetValues<T>().Select(v => $"Enum_{typeof(T).Name}_{v}");
    }

    [Fact]
    public async Task AWorkspaceExport_HoldsOnlyThatWorkspace()
    {
        await using var host = await PrivacyHost.CreateAsync();
        var first = await host.SeedAsync(host.Alpha, "alpha", "+6281234500001");
        await host.SeedAsync(host.Alpha, "other", "+6281234500003");

        var entries = await ExportAsync(host, first.WorkspaceId);

        Assert.Contains("alpha-contact", entries["json/contacts.json"]);
        // Custom field definitions are tenant-wide (and head the contacts sheet); everything else is the workspace's own.
        Assert.All(entries.Where(e => e.Key != "json/custom_fields.json"),
            e => Assert.DoesNotContain("other-", e.Value.Replace("other-fieldlabel", "", StringComparison.Ordinal), StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheDownload_IsNotFoundForAnotherTenant_AndAfterItExpires_AndEveryDownloadIsAudited()
    {
        await using var host = await PrivacyHost.CreateAsync(new() { ["Privacy:ExportHours"] = "2" });
        await host.SeedAsync(host.Alpha, "alpha", "+6281234500001");
        var export = await host.Run<DataExportService, Core.Privacy.DataExport?>(s => s.RequestAsync(null, PrivacyHost.Owner));
        await host.Run<DataExportService, bool>(async s => { await s.RunAsync(host.Alpha, export!.Id); return true; });

        host.CurrentTenant = host.Bravo;
        Assert.Null(await host.Run<DataExportService, ExportDownload?>(s => s.OpenAsync(export!.Id, PrivacyHost.Owner)));
        Assert.Null(await host.Run<DataExportService, Core.Privacy.DataExport?>(s => s.RequestAsync(Guid.NewGuid(), PrivacyHost.Owner)));

        host.CurrentTenant = host.Alpha;
        var download = await host.Run<DataExportService, ExportDownload?>(s => s.OpenAsync(export!.Id, PrivacyHost.Owner));
        Assert.NotNull(download);
        await download.Content.DisposeAsync();
        host.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Null(await host.Run<DataExportService, ExportDownload?>(s => s.OpenAsync(export!.Id, PrivacyHost.Owner)));

        await using var db = host.Database.CreateSystem();
        var actions = db.AuditEntries.Where(a => a.TargetId == export!.Id.ToString()).Select(a => a.Action).ToList();
        Assert.Contains(PrivacyAuditActions.ExportRequested, actions);
        Assert.Contains(PrivacyAuditActions.ExportCompleted, actions);
        Assert.Single(actions, a => a == PrivacyAuditActions.ExportDownloaded);
    }
}
