using ClosedXML.Excel;
using KelolaPesan.Core.Contacts;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Contacts;

public sealed class ContactServiceTests : IAsyncLifetime
{
    private ContactsWorld _world = null!;

    public async Task InitializeAsync() => _world = await ContactsWorld.CreateAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Create_SameNumberInAnotherFormat_IsRefusedWithAClearMessage()
    {
        var first = await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput { Name = "Budi", Phone = "0812-3456-7890" });
        var second = await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput { Name = "Budi 2", Phone = "+62 812 3456 7890" });

        Assert.True(first.Succeeded);
        Assert.False(second.Succeeded);
        var error = Assert.Single(second.Errors);
        Assert.Equal("Phone", error.Property);
        Assert.Equal("Contact_PhoneTaken", error.Code);
        Assert.Contains("Budi", error.Message);
    }

    [Fact]
    public async Task Create_FromTheDialog_StoresANameWithoutControlOrBidiCharacters_OnOneLine()
    {
        var input = new ContactInput { Name = "\u202EBudi\u202C\u0001\u001b\r\nSantoso\u0085\u007f", Phone = "081234567811" };
        var onlyControls = await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput { Name = "\u202E\u0007\t", Phone = "081234567812" });

        var created = await _world.Contacts.CreateAsync(_world.WorkspaceId, input);

        Assert.True(created.Succeeded);
        Assert.Equal("Budi Santoso", (await _world.Contacts.GetForEditAsync(_world.WorkspaceId, created.ContactId!.Value))!.Name);
        var error = Assert.Single(onlyControls.Errors);
        Assert.Equal(("Name", "Name_Required"), (error.Property, error.Code));
    }

    [Theory]
    [InlineData("hadi@x", false)]
    [InlineData("hadi@toko", false)]
    [InlineData("hadi@toko.id", true)]
    [InlineData(" hadi@toko.id ", true)]
    public async Task Create_TakesAnEmailOnlyWithADottedDomain(string email, bool valid)
    {
        var result = await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput { Name = "Hadi", Phone = "081234567813", Email = email });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
            Assert.Equal(("Email", "Email_Invalid"), (Assert.Single(result.Errors).Property, result.Errors[0].Code));
    }

    [Fact]
    public async Task Create_ValidatesCustomFieldsByType()
    {
        await _world.Catalog.SaveFieldAsync(_world.TenantId, null, "umur", "Umur", CustomFieldType.Number, null);
        await _world.Catalog.SaveFieldAsync(_world.TenantId, null, "ukuran", "Ukuran", CustomFieldType.Choice, "S\nM\nL");

        var bad = await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput
        {
            Name = "Sari", Phone = "081311112222", Fields = new(StringComparer.OrdinalIgnoreCase) { ["umur"] = "dua puluh", ["ukuran"] = "XXL" },
        });
        var good = await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput
        {
            Name = "Sari", Phone = "081311112222", Fields = new(StringComparer.OrdinalIgnoreCase) { ["umur"] = "25", ["ukuran"] = "m" },
        });

        Assert.Equal(2, bad.Errors.Count);
        Assert.True(good.Succeeded);
        var edit = await _world.Contacts.GetForEditAsync(_world.WorkspaceId, good.ContactId!.Value);
        Assert.Equal("25", edit!.Fields["umur"]);
        Assert.Equal("M", edit.Fields["ukuran"]);
    }

    [Fact]
    public async Task AnotherTenantsWorkspace_IsNotFound()
    {
        Guid otherWorkspace;
        await using (var db = _world.Database.CreateSystem())
        {
            (_, otherWorkspace) = ContactsWorld.AddTenant(db, "b");
            await db.SaveChangesAsync();
        }

        var result = await _world.Contacts.CreateAsync(otherWorkspace, new ContactInput { Name = "X", Phone = "081234567890" });
        var page = await _world.Contacts.QueryAsync(otherWorkspace, new ContactFilter(), 0, 10, null, false);

        Assert.True(result.IsNotFound);
        Assert.Equal(0, page.TotalCount);
    }

    [Fact]
    public async Task QueryAndBulk_OnAllRowsOfAFilter_AddToListLabelAndDelete()
    {
        for (var i = 1; i <= 5; i++)
            Assert.True((await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput { Name = i <= 3 ? $"Toko {i}" : $"Warung {i}", Phone = $"08123456780{i}" })).Succeeded);
        var list = await _world.Catalog.SaveListAsync(_world.WorkspaceId, null, "VIP");
        var label = await _world.Catalog.SaveLabelAsync(_world.WorkspaceId, null, "Grosir", "#FF0000");
        var filter = new ContactFilter { Search = "Toko" };

        var page = await _world.Contacts.QueryAsync(_world.WorkspaceId, filter, 0, 2, "Name", true);
        var added = await _world.Contacts.BulkAsync(_world.WorkspaceId, ContactSelection.All(filter), BulkAction.AddToList, list.Id);
        var labelled = await _world.Contacts.BulkAsync(_world.WorkspaceId, ContactSelection.All(filter), BulkAction.AddLabel, label.Id);
        var byPhone = await _world.Contacts.QueryAsync(_world.WorkspaceId, new ContactFilter { Search = "0812345678 05" }, 0, 10, null, false);

        Assert.Equal(3, page.TotalCount);
        Assert.Equal(["Toko 3", "Toko 2"], page.Items.Select(r => r.Name));
        Assert.Equal((3, 3), (added, labelled));
        Assert.Equal(3, await _world.Contacts.CountAsync(_world.WorkspaceId, new ContactFilter { ListIds = [list.Id!.Value] }));
        Assert.Equal(["Grosir"], (await _world.Contacts.QueryAsync(_world.WorkspaceId, filter, 0, 1, null, false)).Items[0].Labels);
        Assert.Equal("Warung 5", Assert.Single(byPhone.Items).Name);
        // A name with digits in it is searched as a name, not as the phone numbers those digits appear in.
        Assert.Equal(0, await _world.Contacts.CountAsync(_world.WorkspaceId, new ContactFilter { Search = "Toko-345" }));

        var deleted = await _world.Contacts.BulkAsync(_world.WorkspaceId, ContactSelection.Of([page.Items[0].Id]), BulkAction.Delete);
        Assert.Equal(1, deleted);
        Assert.Equal(4, await _world.Contacts.CountAsync(_world.WorkspaceId, new ContactFilter()));

        // The deleted number can be created again: the row comes back.
        var again = await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput { Name = "Toko 3 baru", Phone = "+6281234567803" });
        Assert.True(again.Succeeded, string.Join(" ", again.Errors.Select(e => e.Message)));
        Assert.Equal(page.Items[0].Id, again.ContactId);
    }

    [Fact]
    public async Task Export_NeutralisesFormulaInjectionInCsv_AndWritesTypedTextInXlsx()
    {
        await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput { Name = "=HYPERLINK(\"http://evil\",\"klik\")", Phone = "081234567890", GroupId = "@SUM(A1)" });
        await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput { Name = "-2+3", Phone = "081234567891", Email = "a@b.co" });

        using var xlsx = new MemoryStream();
        using var csv = new MemoryStream();
        var xlsxCount = await _world.Export.WriteAsync(_world.WorkspaceId, ContactSelection.All(new ContactFilter()), ExportFormat.Xlsx, xlsx);
        await _world.Export.WriteAsync(_world.WorkspaceId, ContactSelection.All(new ContactFilter()), ExportFormat.Csv, csv);

        Assert.Equal(2, xlsxCount);
        xlsx.Position = 0;
        using var book = new XLWorkbook(xlsx);
        var sheet = book.Worksheet(1);
        var names = new[] { sheet.Cell(2, 1), sheet.Cell(3, 1) };
        // In .xlsx a typed text cell is never a formula: the text stays exactly as typed, no quote in front.
        Assert.All(names, c => Assert.False(c.HasFormula));
        Assert.All(names, c => Assert.Equal(XLDataType.Text, c.DataType));
        Assert.Contains(names, c => c.GetString() == "-2+3");
        Assert.Contains(names, c => c.GetString() == "=HYPERLINK(\"http://evil\",\"klik\")");
        // Phones start with '+': text, never a number, and no quote.
        var phones = new[] { sheet.Cell(2, 2), sheet.Cell(3, 2) };
        Assert.All(phones, c => Assert.Equal(XLDataType.Text, c.DataType));
        Assert.Contains(phones, c => c.GetString() == "+6281234567890");

        var text = System.Text.Encoding.UTF8.GetString(csv.ToArray());
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"klik\"\")\"", text);
        Assert.Contains("'@SUM(A1)", text);
        Assert.Contains("'-2+3", text);
        Assert.DoesNotContain(",=", text);
    }
}
