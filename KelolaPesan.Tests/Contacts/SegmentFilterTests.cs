using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Inbox;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Contacts;

/// <summary>Segment filters translated to SQL on a real SQLite file (times stored as UTC ticks there).</summary>
public sealed class SegmentFilterTests : IAsyncLifetime
{
    private ContactsWorld _world = null!;
    private readonly Dictionary<string, Guid> _ids = [];
    private Guid _list, _label, _city, _spend, _joined;

    public async Task InitializeAsync()
    {
        _world = await ContactsWorld.CreateAsync();
        _list = (await _world.Catalog.SaveListAsync(_world.WorkspaceId, null, "Pelanggan")).Id!.Value;
        _label = (await _world.Catalog.SaveLabelAsync(_world.WorkspaceId, null, "VIP", "#123456")).Id!.Value;
        _city = (await _world.Catalog.SaveFieldAsync(_world.TenantId, null, "kota", "Kota", CustomFieldType.Text, null)).Id!.Value;
        _spend = (await _world.Catalog.SaveFieldAsync(_world.TenantId, null, "belanja", "Belanja", CustomFieldType.Number, null)).Id!.Value;
        _joined = (await _world.Catalog.SaveFieldAsync(_world.TenantId, null, "gabung", "Gabung", CustomFieldType.Date, null)).Id!.Value;

        await Add("ani", "081200000001", [_list], [_label], ("kota", "Bandung"), ("belanja", "9"), ("gabung", "2024-01-15"));
        await Add("budi", "081200000002", [_list], [], ("kota", "Jakarta"), ("belanja", "10"), ("gabung", "2023-06-01"));
        await Add("citra", "081200000003", [], [_label], ("kota", "bandung"), ("belanja", "250"));
        await Add("dedi", "081200000004", [], [], ("belanja", "1000.5"));

        await using var db = _world.Database.CreateForTenant(_world.TenantId);
        var now = DateTimeOffset.UtcNow;
        db.Chats.Add(new Chat { TenantId = _world.TenantId, WorkspaceId = _world.WorkspaceId, ExternalChatId = "a@c.us", ContactId = _ids["ani"], LastMessageAt = now.AddDays(-1) });
        db.Chats.Add(new Chat { TenantId = _world.TenantId, WorkspaceId = _world.WorkspaceId, ExternalChatId = "b@c.us", ContactId = _ids["budi"], LastMessageAt = now.AddDays(-40) });
        var citra = await db.Contacts.SingleAsync(c => c.Id == _ids["citra"]);
        citra.LastValidationStatus = ValidationStatus.NotRegistered;
        citra.OptedOut = true;
        (await db.Contacts.SingleAsync(c => c.Id == _ids["ani"])).LastValidationStatus = ValidationStatus.Registered;
        await db.SaveChangesAsync();
    }

    private async Task Add(string name, string phone, List<Guid> lists, List<Guid> labels, params (string Key, string Value)[] fields)
    {
        var result = await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput
        {
            Name = name, Phone = phone, ListIds = lists, LabelIds = labels,
            Fields = fields.ToDictionary(f => f.Key, f => (string?)f.Value, StringComparer.OrdinalIgnoreCase),
        });
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Message)));
        _ids[name] = result.ContactId!.Value;
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<string[]> Names(ContactFilter filter)
    {
        var page = await _world.Contacts.QueryAsync(_world.WorkspaceId, filter, 0, 100, null, false);
        return page.Items.Select(r => r.Name).ToArray();
    }

    [Fact]
    public async Task ListsLabelsAndTextFields_Combine()
    {
        Assert.Equal(["ani", "budi"], await Names(new ContactFilter { ListIds = [_list] }));
        Assert.Equal(["ani", "citra"], await Names(new ContactFilter { LabelIds = [_label] }));
        Assert.Equal(["ani", "citra"], await Names(new ContactFilter { Fields = [new() { FieldId = _city, Operator = FieldOperator.Equals, Value = "BANDUNG" }] }));
        Assert.Equal(["ani"], await Names(new ContactFilter { ListIds = [_list], Fields = [new() { FieldId = _city, Operator = FieldOperator.Contains, Value = "band" }] }));
        Assert.Equal(["dedi"], await Names(new ContactFilter { Fields = [new() { FieldId = _city, Operator = FieldOperator.IsNotSet }] }));
    }

    [Fact]
    public async Task NumberAndDateFields_CompareByValue()
    {
        // As text "10" < "9"; as numbers it is the other way round.
        Assert.Equal(["budi", "citra", "dedi"], await Names(new ContactFilter { Fields = [new() { FieldId = _spend, Operator = FieldOperator.GreaterThan, Value = "9" }] }));
        Assert.Equal(["ani"], await Names(new ContactFilter { Fields = [new() { FieldId = _spend, Operator = FieldOperator.LessThan, Value = "10" }] }));
        Assert.Equal(["ani"], await Names(new ContactFilter { Fields = [new() { FieldId = _joined, Operator = FieldOperator.GreaterThan, Value = "31/12/2023" }] }));
    }

    [Fact]
    public async Task DatesChatsValidationAndOptOut_Filter()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(["ani"], await Names(new ContactFilter { LastMessageFrom = now.AddDays(-7) }));
        Assert.Equal(["budi"], await Names(new ContactFilter { LastMessageTo = now.AddDays(-7) }));
        Assert.Equal(["ani", "budi"], await Names(new ContactFilter { HasChatted = true }));
        Assert.Equal(["citra", "dedi"], await Names(new ContactFilter { HasChatted = false }));
        Assert.Equal(["citra"], await Names(new ContactFilter { ValidationStatuses = [ValidationStatus.NotRegistered] }));
        Assert.Equal(["budi", "citra", "dedi"], await Names(new ContactFilter { ValidationStatuses = [ValidationStatus.NotRegistered], NeverValidated = true }));
        Assert.Equal(["ani", "budi", "dedi"], await Names(new ContactFilter { OptedOut = false }));
        Assert.Equal(4, (await Names(new ContactFilter { CreatedFrom = now.AddHours(-1) })).Length);
        Assert.Empty(await Names(new ContactFilter { CreatedTo = now.AddHours(-1) }));
    }

    [Fact]
    public async Task SavedSegment_RoundTripsItsFilter_AndIsTheBroadcastAudience()
    {
        var filter = new ContactFilter { LabelIds = [_label], OptedOut = false, Fields = [new() { FieldId = _spend, Operator = FieldOperator.GreaterThan, Value = "5" }] };
        var saved = await _world.Segments.SaveAsync(_world.WorkspaceId, null, "VIP aktif", filter);
        var segment = await _world.Segments.GetAsync(saved.Id!.Value);

        Assert.Equal(1, segment!.LastCount);
        await using var db = _world.Database.CreateForTenant(_world.TenantId);
        var audience = await (await SegmentService.QueryContacts(db, segment)).Select(c => c.Name).ToListAsync();
        Assert.Equal(["ani"], audience);
        Assert.Equal(1, await _world.Segments.CountAsync(_world.WorkspaceId, ContactFilter.FromJson(segment.FilterJson)));
    }

    [Fact]
    public async Task ASegmentNameTaken_IsRefusedWithAMessage_NotAnException_AndRenamingOntoItToo()
    {
        var filter = new ContactFilter { LabelIds = [_label] };
        var first = await _world.Segments.SaveAsync(_world.WorkspaceId, null, "Pelanggan Setia", filter);
        var other = await _world.Segments.SaveAsync(_world.WorkspaceId, null, "Lainnya", filter);

        var again = await _world.Segments.SaveAsync(_world.WorkspaceId, null, "  pelanggan setia ", filter);
        var renamed = await _world.Segments.SaveAsync(_world.WorkspaceId, other.Id, "PELANGGAN SETIA", filter);
        var kept = await _world.Segments.SaveAsync(_world.WorkspaceId, first.Id, "Pelanggan Setia", filter);

        Assert.Equal(("Segment_NameTaken", "Segment_NameTaken"), (again.Problem?.Code, renamed.Problem?.Code));
        Assert.True(kept.Succeeded);
        Assert.Equal(["Lainnya", "Pelanggan Setia"], (await _world.Segments.ListAsync(_world.WorkspaceId)).Select(s => s.Name));
    }
}
