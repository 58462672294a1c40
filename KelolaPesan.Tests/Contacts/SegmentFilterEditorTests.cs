using Bunit;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Accounts;
using KelolaPesan.Web.Components.Pages.Contacts;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KelolaPesan.Tests.Contacts;

/// <summary>QA: a day picked in the segment filters began at midnight UTC, 07:00 in a WIB tenant.</summary>
public sealed class SegmentFilterEditorTests : BunitTestBase
{
    public SegmentFilterEditorTests()
    {
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
    }

    [Theory]
    [InlineData("Asia/Jakarta", "2026-12-05T17:00:00Z")]
    [InlineData("Asia/Jayapura", "2026-12-05T15:00:00Z")]
    public async Task ADayPicked_IsThatDayInTheTenantsZone_AndShowsAsTheSameDay(string zone, string start)
    {
        Services.GetRequiredService<UserClock>().UseZone(zone);
        var filter = new ContactFilter();
        var cut = Render<SegmentFilterEditor>(p => p.Add(e => e.Filter, filter));
        var pickers = cut.FindComponents<MudDatePicker>();

        foreach (var picker in pickers)
            await cut.InvokeAsync(() => picker.Instance.DateChanged.InvokeAsync(new DateTime(2026, 12, 6)));

        var expected = DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((expected, expected, expected), (filter.CreatedFrom, filter.LastMessageFrom, filter.LastMessageTo));
        cut.Render();
        Assert.All(cut.FindComponents<MudDatePicker>(), p => Assert.Equal(new DateTime(2026, 12, 6), p.Instance.Date));
    }
}
