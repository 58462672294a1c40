using System.Globalization;
using Bunit;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Components.Pages.Broadcasts;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Broadcasts;

/// <summary>The schedule and window fields are MudBlazor pickers (24-hour, day-first) bound to the one request the validator reads.</summary>
public sealed class SchedulePacingTests : BunitTestBase
{
    public SchedulePacingTests()
    {
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = KelolaPesan.Web.DependencyInjection.SupportedCultures[1];
    }

    // Each field starts filled (the schedule "Later" prefills, a window from an earlier pick): a picker handed back its
    // own earlier value on re-render dropped the typed one.
    [Fact]
    public void TheDayAndTimeTyped_OverAValueAlreadyThere_AreTheRequestsLocalSchedule_AndTheWindowItsTimes()
    {
        var request = new CreateBroadcastRequest { ScheduledLocal = new DateTime(2026, 12, 7, 22, 0, 0), WindowStart = new TimeOnly(6, 0) };
        var later = false;
        var cut = Render<SchedulePacing>(p => p.Add(c => c.Request, request).Add(c => c.Later, later)
            .Add(c => c.LaterChanged, v => later = v));
        cut.Render(p => p.Add(c => c.Later, true));

        cut.Find("input[data-testid=scheduled-time]").Change("21:15");
        Assert.Equal(new DateTime(2026, 12, 7, 21, 15, 0), request.ScheduledLocal);
        cut.Find("input[data-testid=scheduled-date]").Change("08/12/2026");
        cut.Find("input[data-testid=scheduled-time]").Change("21:30");
        cut.Find("input[data-testid=window-start]").Change("07:00");
        cut.Find("input[data-testid=window-end]").Change("20:45");

        Assert.Equal(new DateTime(2026, 12, 8, 21, 30, 0), request.ScheduledLocal);
        Assert.Equal((new TimeOnly(7, 0), new TimeOnly(20, 45)), (request.WindowStart, request.WindowEnd));
        Assert.Equal("21:30", cut.Find("input[data-testid=scheduled-time]").GetAttribute("value"));
    }
}
