using System.Text.Json;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Contacts.Import;

/// <summary>Contacts made from the workspace's WhatsApp chats: the "import from chats" source and the bot's contact of one chat.</summary>
public sealed partial class ContactImportService
{
    /// <summary>Creates contacts from the workspace's WhatsApp chats that have none, and links the chats (to existing contacts too).</summary>
    public async Task<ContactImport?> ImportFromChatsAsync(Guid workspaceId, Guid? userId, CancellationToken ct = default)
    {
        var importId = await CreateAsync(workspaceId, userId, "WhatsApp chats", ImportSource.Chats, new ImportOptions(), ct);
        if (importId is null)
            return null;
        await using var db = await dbFactory.CreateAsync(ct);
        var ws = (await ContactWorkspace.LoadAsync(db, workspaceId, ct))!;
        var import = await db.ContactImports.FirstAsync(i => i.Id == importId, ct);
        var chats = await db.Chats.Where(c => c.WorkspaceId == workspaceId && c.ContactId == null && c.Channel == Channel.WhatsApp).ToListAsync(ct);
        var byPhone = await db.Contacts.IgnoreQueryFilters([ContactService.SoftDeleteFilter])
            .Where(c => c.WorkspaceId == workspaceId && c.TenantId == ws.TenantId).ToDictionaryAsync(c => c.Phone, ct);
        var row = 0;
        foreach (var chat in chats)
        {
            row++;
            import.ProcessedRows++;
            var phone = PhoneOfChat(chat, ws.Region);
            if (!phone.IsValid)
            {
                import.Rejected++;
                db.ContactImportErrors.Add(new ContactImportError { TenantId = ws.TenantId, WorkspaceId = workspaceId, ImportId = import.Id, RowNumber = row,
                    // Codes, not a sentence: the chat's name, then why its number is not one, each read in the reader's language.
                    Reason = ProblemText.Store([Problem.Of("Import_ChatNumberInvalid", chat.DisplayName ?? ""), Problem.Of(PhoneNormalizer.Code(phone.Error))]),
                    RawValues = JsonSerializer.Serialize(new[] { chat.DisplayName, chat.ExternalChatId }) });
                continue;
            }
            if (LinkContact(db, ws, chat, phone.E164!, byPhone, import.Id))
                import.Created++;
            else
                import.Updated++;
        }
        import.TotalRows = chats.Count;
        import.Status = ImportStatus.Completed;
        import.FinishedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await PublishAsync(import);
        return import;
    }

    /// <summary>
    /// The contact of one chat, made the same way as <see cref="ImportFromChatsAsync"/> (the chat's name and number,
    /// or the existing contact with that number, revived when deleted). For the bot's "add to a list" action, which
    /// runs outside a signed-in scope. Null when the chat is not found, not WhatsApp, or its number is not valid.
    /// </summary>
    public async Task<Guid?> EnsureContactForChatAsync(Guid tenantId, Guid chatId, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = dbFactory.CreateForTenant(tenantId);
            var chat = await db.Chats.FirstOrDefaultAsync(c => c.Id == chatId, ct);
            if (chat?.ContactId is { } linked)
                return linked;
            if (chat is null || chat.Channel != Channel.WhatsApp || await ContactWorkspace.LoadAsync(db, chat.WorkspaceId, ct) is not { } ws)
                return null;
            var phone = PhoneOfChat(chat, ws.Region);
            if (!phone.IsValid)
                return null;
            var byPhone = await db.Contacts.IgnoreQueryFilters([ContactService.SoftDeleteFilter])
                .Where(c => c.WorkspaceId == ws.WorkspaceId && c.TenantId == ws.TenantId && c.Phone == phone.E164).ToDictionaryAsync(c => c.Phone, ct);
            LinkContact(db, ws, chat, phone.E164!, byPhone, importId: null);
            try
            {
                await db.SaveChangesAsync(ct);
                return chat.ContactId;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Someone created the same number meanwhile (unique per workspace): link to theirs on the second pass.
            }
        }
    }

    private static PhoneResult PhoneOfChat(Chat chat, string region)
    {
        var chatPhone = ChatIds.ToPhone(chat.ExternalChatId);
        return PhoneNormalizer.Normalize(chat.PhoneNumber ?? (chatPhone is null ? null : "+" + chatPhone), region);
    }

    /// <summary>Links the chat to the contact with <paramref name="e164"/>, creating it from the chat; true when created.</summary>
    private static bool LinkContact(IKelolaDb db, ContactWorkspace ws, Chat chat, string e164, Dictionary<string, Contact> byPhone, Guid? importId)
    {
        var created = false;
        if (byPhone.TryGetValue(e164, out var contact))
            contact.DeletedAt = null;
        else
        {
            contact = db.Contacts.Add(new Contact { TenantId = ws.TenantId, WorkspaceId = ws.WorkspaceId, Phone = e164, ImportId = importId,
                Name = Truncate(string.IsNullOrWhiteSpace(chat.DisplayName) ? e164 : chat.DisplayName, Contact.NameMaxLength), LastMessageAt = chat.LastMessageAt }).Entity;
            byPhone[contact.Phone] = contact;
            created = true;
        }
        chat.ContactId = contact.Id;
        return created;
    }
}
