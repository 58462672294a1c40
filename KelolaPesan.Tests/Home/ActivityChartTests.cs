using System.Globalization;
using Bunit;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Components.Pages.Home;
using KelolaPesan.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Home;

/// <summary>
/// The home page's chart calls JavaScript on every render; while the browser is away (a phone between networks) a
/// render would throw and end the circuit the browser is about to resume. It waits, and shows the latest figures when
/// the browser is back.
/// </summary>
public sealed class ActivityChartTests : BunitTestBase
{
    public ActivityChartTests()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
        Services.AddScoped<CircuitConnection>();
    }

    private static WorkspaceActivity Activity(int inbound) =>
        new(Guid.Empty, Enumerable.Range(0, 14).Select(i => new DailyMessageCount(new DateOnly(2026, 12, 1).AddDays(i), inbound * (i + 1), 1)).ToList());

    [Fact]
    public void WhileTheBrowserIsAway_TheChartCallsNoJavaScript_AndRendersTheLatestFiguresWhenItIsBack()
    {
        var connection = Services.GetRequiredService<CircuitConnection>();
        var cut = Render<ActivityChart>(p => p.Add(c => c.Activity, Activity(1)));
        var shown = cut.Markup;
        var calls = JSInterop.Invocations.Count;

        connection.Set(false);
        cut.Render(p => p.Add(c => c.Activity, Activity(5)));

        Assert.Equal(shown, cut.Markup);
        Assert.Equal(calls, JSInterop.Invocations.Count);

        connection.Set(true);

        cut.WaitForAssertion(() => Assert.NotEqual(shown, cut.Markup));
        Assert.True(JSInterop.Invocations.Count > calls);
    }
}
