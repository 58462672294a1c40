using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Data.Common;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Broadcasts;

public class BroadcastAudienceTests
{
    private static PolicySettings Fast() => new()
    {
        MinDelaySeconds = 0, MaxDelaySeconds = 0, BatchSize = 1000, BatchRestSeconds = 0, DailyCapPerWorkspace = 100_000,
        SendWindowStart = new TimeOnly(0, 0), SendWindowEnd = new TimeOnly(0, 0),
    };

    // A list of 2,500 contacts added at seven instants (ties broken by id across the page boundary), half with a custom
    // field, a label choosing some of the same and one more, and pasted numbers: every contact comes once, in the order
    // it was added, with its own values, then the pasted ones; and no query of the whole creation reads more than one
    // page of rows (a full page, so it did page): the audience streams, it is not loaded.
    [Theory, Providers]
    public async Task Create_ReadsTheAudienceInPages_OnceEach_InTheOrderContactsWereAdded(DatabaseProvider provider)
    {
        var reads = new ReadCounter();
        await using var host = await BroadcastHost.CreateAsync(Fast(), provider: provider, configure: (services, database) => reads.Install(services, database));
        var (t, w) = (host.TenantId, host.WorkspaceId);
        var list = new ContactList { TenantId = t, WorkspaceId = w, Name = "semua" };
        var label = new Label { TenantId = t, WorkspaceId = w, Name = "vip" };
        var field = new CustomFieldDefinition { TenantId = t, Key = "kota", Label = "Kota" };
        var contacts = Enumerable.Range(0, 2_500).Select(i => new Contact
        {
            TenantId = t, WorkspaceId = w, Name = $"Pelanggan {i}", Phone = $"+62812500{i:D5}", OptedOut = i == 10,
            CreatedAt = BroadcastHost.Start.AddSeconds(-(i % 7)), UpdatedAt = BroadcastHost.Start,
        }).ToList();
        var outside = new Contact { TenantId = t, WorkspaceId = w, Name = "Luar", Phone = "+6281259999999", CreatedAt = BroadcastHost.Start, UpdatedAt = BroadcastHost.Start };
        await using (var db = host.Database.CreateForTenant(t))
        {
            db.ContactLists.Add(list);
            db.Labels.Add(label);
            db.CustomFields.Add(field);
            await db.SaveChangesAsync();
            var inserter = new RelationalBulkInserter();
            await inserter.InsertAsync(db, contacts.Append(outside).ToList(), default);
            await inserter.InsertAsync(db, Stamped(contacts.Take(2_499).Select(c => new ContactListMember { TenantId = t, WorkspaceId = w, ContactListId = list.Id, ContactId = c.Id })), default);
            await inserter.InsertAsync(db, Stamped(contacts.Where((_, i) => i % 500 == 0 || i == 2_499).Select(c => new ContactLabel { TenantId = t, WorkspaceId = w, LabelId = label.Id, ContactId = c.Id })), default);
            await inserter.InsertAsync(db, Stamped(contacts.Where((_, i) => i % 2 == 0).Append(outside)
                .Select(c => new ContactFieldValue { TenantId = t, WorkspaceId = w, ContactId = c.Id, FieldId = field.Id, Value = c == outside ? "Bandung" : "Kota " + c.Name[10..] })), default);
        }
        var request = host.Request("+6281250000003\n081259999999\n+6281259999999", text: "Halo {name} dari {kota|sini}");
        request.ListIds = [list.Id];
        request.LabelIds = [label.Id];

        var created = await host.CreateAsync(request);

        Assert.True(created.Succeeded, string.Join(", ", created.Errors));
        Assert.Equal((2_500, 1, 2), (created.Recipients, created.Skipped, created.DuplicatesRemoved));
        var rows = await host.RecipientsAsync(created.BroadcastId!.Value);
        var expected = contacts.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Append(outside).ToList();
        Assert.Equal(expected.Select(c => c.Phone), rows.Select(r => r.Phone));
        Assert.Equal(expected.Select(c => (Guid?)c.Id), rows.Select(r => r.ContactId));
        Assert.Equal(Enumerable.Range(0, 2_501), rows.Select(r => r.Sequence));
        var footer = (await host.BroadcastAsync(created.BroadcastId.Value)).WatermarkFooter;
        Assert.All(rows.Zip(expected), p => Assert.Equal(WatermarkService.Append(
            p.Second == outside ? "Halo Luar dari Bandung" : int.Parse(p.Second.Name[10..]) % 2 == 0 ? $"Halo {p.Second.Name} dari Kota {p.Second.Name[10..]}" : $"Halo {p.Second.Name} dari sini",
            footer), p.First.RenderedText));
        Assert.Equal((RecipientStatus.Skipped, BroadcastAudience.ReasonOptedOut), (rows.Single(r => r.Phone == contacts[10].Phone).Status, rows.Single(r => r.Phone == contacts[10].Phone).SkipReason));
        Assert.InRange(reads.MostRows(), BroadcastAudience.PageSize, BroadcastAudience.PageSize + 1);

        var preview = await host.InScopeAsync(sp => sp.GetRequiredService<BroadcastService>().PreviewAsync(request));
        Assert.Equal((2_500, 1, 2), (preview!.Recipients, preview.Skipped, preview.DuplicatesRemoved));
        Assert.Equal(expected.Where(c => !c.OptedOut).Take(3).Select(c => c.Phone), preview.Samples.Where(s => s.SkipReason is null).Select(s => s.Phone));
        Assert.InRange(reads.MostRows(), BroadcastAudience.PageSize, BroadcastAudience.PageSize + 1);
    }

    private static List<T> Stamped<T>(IEnumerable<T> rows) where T : Entity =>
        rows.Select(r => { r.CreatedAt = r.UpdatedAt = BroadcastHost.Start; return r; }).ToList();
}
