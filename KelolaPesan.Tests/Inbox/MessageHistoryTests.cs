using System.Globalization;
using Bunit;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Accounts;
using KelolaPesan.Web.Components.Pages.Inbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Inbox;

/// <summary>Day markers between a conversation's messages: the tenant's calendar day, not the server's or UTC's.</summary>
public sealed class MessageHistoryTests : BunitTestBase
{
    // 2026-03-02 10:00 in Jakarta (UTC+7).
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 3, 0, 0, TimeSpan.Zero));
    private CultureInfo _culture = new("id");

    public MessageHistoryTests()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("id");
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
        Services.AddScoped(_ =>
        {
            var clock = new UserClock(new CurrentUser(new TenantContext()), null!, _time);
            clock.UseZone("Asia/Jakarta");
            clock.CaptureCulture(_culture);
            return clock;
        });
    }

    private static MessageView At(DateTimeOffset at, string body = "halo") =>
        new(Guid.CreateVersion7(), Guid.Empty, MessageDirection.Inbound, MessageOrigin.Customer, null, body, MessageStatus.Read, null, at, null);

    private static DateTimeOffset Utc(int day, int hour, int minute) => new(2026, 2, day, hour, minute, 0, TimeSpan.Zero);

    private static IReadOnlyList<(string Day, string Label)> Separators(IRenderedComponent<MessageHistory> cut) =>
        cut.FindAll("[data-testid=day-separator]").Select(s => (s.GetAttribute("data-day")!, s.TextContent.Trim())).ToList();

    [Fact]
    public void AMessageJustPastMidnightInJakarta_StartsANewDay_ThoughUtcIsStillTheDayBefore()
    {
        // 16:59 and 17:01 UTC on 27 February are 23:59 on the 27th and 00:01 on the 28th in Jakarta.
        var cut = Render<MessageHistory>(p => p.Add(h => h.Messages, [At(Utc(27, 16, 59)), At(Utc(27, 17, 1))]));

        Assert.Equal([("2026-02-27", "27 Februari 2026"), ("2026-02-28", "28 Februari 2026")], Separators(cut));
        // The marker stands between the two bubbles.
        var order = cut.FindAll("[data-testid=day-separator], [data-testid=message]").Select(e => e.GetAttribute("data-testid")).ToList();
        Assert.Equal(["day-separator", "message", "day-separator", "message"], order);
    }

    [Fact]
    public void MessagesAppendedOutOfTimeOrder_AcrossMidnight_RenderTheirMarkers_WithoutARepeatedKey()
    {
        // A customer's message stamped just after midnight by their phone, then the agent's reply stamped just before it
        // by the server: the day goes back and forth, and the second 28 February marker must not repeat a sibling key.
        var cut = Render<MessageHistory>(p => p.Add(h => h.Messages, [At(Utc(27, 17, 1)), At(Utc(27, 16, 59)), At(Utc(27, 17, 2))]));

        Assert.Equal([("2026-02-28", "28 Februari 2026"), ("2026-02-27", "27 Februari 2026"), ("2026-02-28", "28 Februari 2026")], Separators(cut));
    }

    [Fact]
    public void TwoMessagesOnDifferentUtcDays_ButTheSameJakartaDay_ShareOneMarker()
    {
        // 23:00 UTC on the 25th and 01:00 UTC on the 26th are 06:00 and 08:00 on the 26th in Jakarta.
        var cut = Render<MessageHistory>(p => p.Add(h => h.Messages, [At(Utc(25, 23, 0)), At(Utc(26, 1, 0))]));

        Assert.Equal([("2026-02-26", "26 Februari 2026")], Separators(cut));
    }

    [Fact]
    public void TodayAndYesterday_AreNamed_InTheTenantsZone()
    {
        // Now is 10:00 on 2 March in Jakarta; 1 March 17:30 UTC is already 00:30 on 2 March there.
        var cut = Render<MessageHistory>(p => p.Add(h => h.Messages,
            [At(new DateTimeOffset(2026, 2, 28, 20, 0, 0, TimeSpan.Zero)), At(new DateTimeOffset(2026, 3, 1, 16, 0, 0, TimeSpan.Zero)),
             At(new DateTimeOffset(2026, 3, 1, 17, 30, 0, TimeSpan.Zero))]));

        Assert.Equal([("2026-03-01", "Kemarin"), ("2026-03-02", "Hari ini")], Separators(cut));
    }

    [Fact]
    public void OlderMessagesInsertedAbove_AndALiveMessageAfterMidnight_MoveTheMarkers()
    {
        var messages = new List<MessageView> { At(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero)) };
        var cut = Render<MessageHistory>(p => p.Add(h => h.Messages, messages));
        Assert.Equal([("2026-03-02", "Hari ini")], Separators(cut));

        // An older page of the same day and the day before: one marker per day, the top one moves up.
        messages.InsertRange(0, [At(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero)), At(new DateTimeOffset(2026, 3, 1, 18, 0, 0, TimeSpan.Zero))]);
        cut.Render(p => p.Add(h => h.Messages, messages));
        Assert.Equal([("2026-03-01", "Kemarin"), ("2026-03-02", "Hari ini")], Separators(cut));
        Assert.Equal("day-separator", cut.FindAll("[data-testid=day-separator], [data-testid=message]")[0].GetAttribute("data-testid"));

        // The page stays open past midnight in Jakarta (17:00 UTC) and a message comes in: a new day, and the old "today" is yesterday.
        _time.SetUtcNow(new DateTimeOffset(2026, 3, 2, 17, 5, 0, TimeSpan.Zero));
        messages.Add(At(new DateTimeOffset(2026, 3, 2, 17, 1, 0, TimeSpan.Zero)));
        cut.Render(p => p.Add(h => h.Messages, messages));
        Assert.Equal([("2026-03-01", "1 Maret 2026"), ("2026-03-02", "Kemarin"), ("2026-03-03", "Hari ini")], Separators(cut));
    }

    [Fact]
    public void AnOlderDate_IsWrittenDayFirst_InEnglishToo()
    {
        _culture = new CultureInfo("en-US");

        var cut = Render<MessageHistory>(p => p.Add(h => h.Messages, [At(Utc(27, 16, 59))]));

        Assert.Equal("27 February 2026", Separators(cut)[0].Label);
    }
}
