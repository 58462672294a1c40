using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Admin;

/// <summary>One tenant of an admin broadcast: its owner's number, or why it is left out.</summary>
public sealed record OwnerRecipient(Guid TenantId, string TenantName, string? OwnerName, string? Phone, string? SkipReason);

public sealed class AdminBroadcastRequest
{
    public string Name { get; set; } = "";
    public string Message { get; set; } = "";

    /// <summary>Empty: every tenant.</summary>
    public List<Guid> TenantIds { get; set; } = [];
}

public sealed record AdminBroadcastStarted(Guid? BroadcastId, IReadOnlyList<string> Errors, IReadOnlyList<OwnerRecipient> Owners)
{
    public bool Succeeded => BroadcastId is not null;
}

/// <summary>
/// The admin broadcast: a message to the owners of all or chosen tenants, sent by the broadcast engine as a broadcast of
/// the platform-owned admin workspace (paced by the platform tenant's policy, with the engine's live progress). Each owner
/// becomes a contact of that workspace named after the owner with a <c>tenant</c> field, so <c>{name}</c> and
/// <c>{tenant}</c> work and an owner who opted out there is skipped like any contact.
/// </summary>
public sealed class AdminBroadcastService(IKelolaDbFactory dbFactory, BroadcastService broadcasts, PolicyService policies, AuditLog audit)
{
    public const string TenantKey = "tenant";
    public const string ReasonNoOwner = "The tenant has no active owner.";
    public const string ReasonNoPhone = "The owner has no WhatsApp number.";
    public const string ReasonInvalidPhone = "The owner's number is not valid: ";
    public const string ReasonNotFound = "Not found.";

    /// <summary>The placeholders an admin broadcast knows.</summary>
    public static IReadOnlyList<string> Placeholders { get; } = [MessageTemplate.NameKey, TenantKey, MessageTemplate.PhoneKey];

    /// <summary>Every tenant (platform excluded) or the chosen ones, by name, each with its owner's number or a skip reason.</summary>
    public async Task<IReadOnlyList<OwnerRecipient>> ListOwnersAsync(IReadOnlyCollection<Guid>? tenantIds = null, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateSystem();
        var tenants = db.Tenants.AsNoTracking().Where(t => !t.IsPlatform);
        if (tenantIds is { Count: > 0 })
            tenants = tenants.Where(t => tenantIds.Contains(t.Id));
        var rows = await tenants.Select(t => new { t.Id, t.Name, t.PhoneRegion }).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var owners = (await db.Users.AsNoTracking()
                .Where(u => u.TenantId != null && ids.Contains(u.TenantId.Value) && u.Role == UserRole.Owner && u.IsActive)
                .Select(u => new { u.Id, TenantId = u.TenantId!.Value, u.DisplayName, u.Phone }).ToListAsync(ct))
            // The same owner the platform notifications go to: the first one with a number, else the first one.
            .OrderBy(u => string.IsNullOrEmpty(u.Phone) ? 1 : 0).ThenBy(u => u.Id)
            .GroupBy(u => u.TenantId).ToDictionary(g => g.Key, g => g.First());

        var result = new List<OwnerRecipient>(rows.Count);
        foreach (var t in rows.OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase))
        {
            if (!owners.TryGetValue(t.Id, out var owner))
            {
                result.Add(new OwnerRecipient(t.Id, t.Name, null, null, ReasonNoOwner));
                continue;
            }
            if (string.IsNullOrWhiteSpace(owner.Phone))
            {
                result.Add(new OwnerRecipient(t.Id, t.Name, owner.DisplayName, null, ReasonNoPhone));
                continue;
            }
            var phone = PhoneNormalizer.Normalize(owner.Phone, t.PhoneRegion);
            result.Add(phone.IsValid
                ? new OwnerRecipient(t.Id, t.Name, owner.DisplayName, phone.E164, null)
                : new OwnerRecipient(t.Id, t.Name, owner.DisplayName, owner.Phone, ReasonInvalidPhone + phone.Reason));
        }
        return result;
    }

    /// <summary>
    /// Sets (or, empty, clears) the WhatsApp number of the tenant's owner that notifications and admin broadcasts go to.
    /// Null when stored; otherwise why not.
    /// </summary>
    public async Task<string?> SetOwnerPhoneAsync(Guid tenantId, string? phone, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateSystem();
        var region = await db.Tenants.Where(t => t.Id == tenantId && !t.IsPlatform).Select(t => t.PhoneRegion).FirstOrDefaultAsync(ct);
        if (region is null)
            return ReasonNotFound;
        var owner = (await db.Users.Where(u => u.TenantId == tenantId && u.Role == UserRole.Owner && u.IsActive).ToListAsync(ct))
            .OrderBy(u => string.IsNullOrEmpty(u.Phone) ? 1 : 0).ThenBy(u => u.Id).FirstOrDefault();
        if (owner is null)
            return ReasonNoOwner;
        string? e164 = null;
        if (!string.IsNullOrWhiteSpace(phone))
        {
            var result = PhoneNormalizer.Normalize(phone, region);
            if (!result.IsValid)
                return ReasonInvalidPhone + result.Reason;
            e164 = result.E164;
        }
        owner.Phone = e164;
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(AuditActions.OwnerPhoneChanged, actor, tenantId, nameof(AppUser), owner.Id.ToString(), cancellationToken: ct);
        return null;
    }

    public async Task<AdminBroadcastStarted> StartAsync(AdminBroadcastRequest request, AuditActor actor, CancellationToken ct = default)
    {
        var owners = await ListOwnersAsync(request.TenantIds, ct);
        AdminBroadcastStarted Fail(string error) => new(null, [error], owners);

        AdminConnectionInfo? connection;
        await using (var db = dbFactory.CreateSystem())
            connection = await AdminConnection.FindAsync(db, ct);
        if (connection is null)
            return Fail(ProblemText.Get("AdminBroadcast_NoConnection"));
        // Started while disconnected, the engine would only pause it: refused here with the reason instead.
        if (!connection.CanSend)
            return Fail(ProblemText.Get("AdminBroadcast_NotConnected"));
        var sendable = owners.Where(o => o.SkipReason is null).ToList();
        if (sendable.Count == 0)
            return Fail(ProblemText.Get("AdminBroadcast_NoRecipients"));

        await UpsertOwnerContactsAsync(connection, sendable, ct);
        var policy = await policies.GetEffectiveAsync(connection.TenantId, ct);
        var created = await broadcasts.CreateInTenantAsync(connection.TenantId, new CreateBroadcastRequest
        {
            Name = request.Name, WorkspaceId = connection.WorkspaceId, MessageTemplate = request.Message,
            PastedNumbers = string.Join('\n', sendable.Select(o => o.Phone)),
            // The platform's own policy paces it; the engine clamps to it anyway.
            MinDelaySeconds = policy.MinDelaySeconds, MaxDelaySeconds = policy.MaxDelaySeconds, BatchSize = policy.BatchSize,
            BatchRestSeconds = policy.BatchRestSeconds, DailyCap = policy.DailyCapPerWorkspace,
        }, userId: null, ct);
        if (!created.Succeeded)
            return new AdminBroadcastStarted(null, created.Errors, owners);

        await audit.WriteAsync(AuditActions.AdminBroadcastStarted, actor, targetType: nameof(Broadcast), targetId: created.BroadcastId.ToString(),
            details: $"{sendable.Count} owners, {owners.Count - sendable.Count} skipped", cancellationToken: ct);
        return new AdminBroadcastStarted(created.BroadcastId, [], owners);
    }

    /// <summary>Each owner as a contact of the admin workspace (name and tenant kept current); an opt-out there is kept.</summary>
    private async Task UpsertOwnerContactsAsync(AdminConnectionInfo connection, IReadOnlyList<OwnerRecipient> owners, CancellationToken ct)
    {
        await using var db = dbFactory.CreateForTenant(connection.TenantId);
        var field = await db.CustomFields.FirstOrDefaultAsync(f => f.Key == TenantKey, ct);
        if (field is null)
            db.CustomFields.Add(field = new CustomFieldDefinition { TenantId = connection.TenantId, Key = TenantKey, Label = "Tenant", Type = CustomFieldType.Text });

        var phones = owners.Select(o => o.Phone!).Distinct().ToList();
        var contacts = await db.Contacts.Include(c => c.FieldValues).Where(c => c.WorkspaceId == connection.WorkspaceId && phones.Contains(c.Phone)).ToListAsync(ct);
        foreach (var group in owners.GroupBy(o => o.Phone!))
        {
            // One owner of several tenants gets one message; its tenant field names them all.
            var owner = group.First();
            var tenantNames = Limit(string.Join(", ", group.Select(o => o.TenantName)), CustomFieldDefinition.ValueMaxLength);
            var contact = contacts.FirstOrDefault(c => c.Phone == group.Key);
            if (contact is null)
            {
                contact = new Contact { TenantId = connection.TenantId, WorkspaceId = connection.WorkspaceId, Phone = group.Key };
                db.Contacts.Add(contact);
            }
            contact.Name = Limit(owner.OwnerName ?? owner.TenantName, Contact.NameMaxLength);
            var value = contact.FieldValues.FirstOrDefault(v => v.FieldId == field.Id);
            if (value is null)
                contact.FieldValues.Add(new ContactFieldValue { TenantId = connection.TenantId, WorkspaceId = connection.WorkspaceId, ContactId = contact.Id, FieldId = field.Id, Value = tenantNames });
            else
                value.Value = tenantNames;
        }
        await db.SaveChangesAsync(ct);
    }

    private static string Limit(string value, int max) => value.Length <= max ? value : value[..max];
}
