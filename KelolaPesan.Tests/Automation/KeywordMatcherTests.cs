using KelolaPesan.Core.Automation;

namespace KelolaPesan.Tests.Automation;

public sealed class KeywordMatcherTests
{
    // A Wednesday, 10:00 local time.
    private static readonly DateTime Noonish = new(2025, 1, 15, 10, 0, 0);

    [Theory]
    [InlineData(KeywordMatchMode.Exact, "harga", "harga", true)]
    [InlineData(KeywordMatchMode.Exact, "harga", "  HARGA  ", true)]
    [InlineData(KeywordMatchMode.Exact, "harga", "Hárgà", true)]
    [InlineData(KeywordMatchMode.Exact, "harga", "harga?", false)]
    [InlineData(KeywordMatchMode.Exact, "harga", "berapa harga", false)]
    [InlineData(KeywordMatchMode.Exact, "Café", "cafe", true)]
    [InlineData(KeywordMatchMode.Contains, "ongkir", "Berapa ONGKIR ke Bandung?", true)]
    [InlineData(KeywordMatchMode.Contains, "ongkir", "ongkos kirim", false)]
    [InlineData(KeywordMatchMode.Contains, "jam buka", "jam   buka toko?", true)]
    [InlineData(KeywordMatchMode.StartsWith, "pesan", "Pesan 2 kaos", true)]
    [InlineData(KeywordMatchMode.StartsWith, "pesan", "mau pesan", false)]
    [InlineData(KeywordMatchMode.Regex, @"^order\s+\d+$", "ORDER 12", true)]
    [InlineData(KeywordMatchMode.Regex, @"^order\s+\d+$", "order dua", false)]
    [InlineData(KeywordMatchMode.Regex, @"\bresi\b", "cek résí dong", true)]
    [InlineData(KeywordMatchMode.Regex, "([", "([", false)]
    public void Matches_ByMode_TrimmedCaseAndAccentInsensitive(KeywordMatchMode mode, string keyword, string text, bool expected) =>
        Assert.Equal(expected, KeywordMatcher.IsMatch(mode, keyword, KeywordMatcher.Normalize(text)));

    [Fact]
    public void ARegexThatTimesOut_IsNoMatch_AndTheNextRuleAnswers()
    {
        // Catastrophic backtracking on a long run of 'a' with no final match.
        var evil = Rule("evil", 1, KeywordMatchMode.Regex, "^(a+)+$");
        var plain = Rule("plain", 2, KeywordMatchMode.Contains, "aaa");
        var text = new string('a', 40) + "!";

        var log = new ListLogger();
        Assert.False(KeywordMatcher.IsMatch(KeywordMatchMode.Regex, "^(a+)+$", text, log));
        Assert.Contains(log.Lines, l => l.Contains("timed out", StringComparison.Ordinal));
        Assert.Equal("plain", KeywordMatcher.Select([evil, plain], text, false, Noonish, log)?.Rule.Name);
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;
        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) => Lines.Add(formatter(state, exception));
    }

    [Fact]
    public void SeveralKeywords_AnyOneFires()
    {
        var rule = Rule("price", 1, KeywordMatchMode.Contains, "harga", "price", "berapa");
        Assert.Equal("price", KeywordMatcher.Select([rule], "Price list please", false, Noonish)?.Rule.Name);
        Assert.Equal("price", KeywordMatcher.Select([rule], "BERAPA kak", false, Noonish)?.Rule.Name);
        Assert.Null(KeywordMatcher.Select([rule], "halo", false, Noonish));
    }

    [Fact]
    public void LowerPriorityNumberWins_AndInactiveRulesNeverFire()
    {
        var second = Rule("second", 2, KeywordMatchMode.Contains, "harga");
        var first = Rule("first", 1, KeywordMatchMode.Contains, "harga");
        Assert.Equal("first", KeywordMatcher.Select([second, first], "harga?", false, Noonish)?.Rule.Name);

        first.IsActive = false;
        Assert.Equal("second", KeywordMatcher.Select([second, first], "harga?", false, Noonish)?.Rule.Name);
    }

    [Fact]
    public void Welcome_OnTheFirstMessageOnly_KeywordsFirst_FallbackLast()
    {
        var keyword = Rule("keyword", 5, KeywordMatchMode.Exact, "harga");
        var welcome = Rule("welcome", 1, trigger: BotTrigger.Welcome);
        var fallback = Rule("fallback", 0, trigger: BotTrigger.Fallback);
        BotRule[] rules = [fallback, welcome, keyword];

        Assert.Equal("welcome", KeywordMatcher.Select(rules, "halo", firstMessage: true, Noonish)?.Rule.Name);
        Assert.Equal("fallback", KeywordMatcher.Select(rules, "halo", firstMessage: false, Noonish)?.Rule.Name);
        Assert.Equal("keyword", KeywordMatcher.Select(rules, "harga", firstMessage: true, Noonish)?.Rule.Name);
        Assert.Null(KeywordMatcher.Select([keyword], "halo", firstMessage: false, Noonish));
    }

    [Theory]
    // Window 22:00-02:00 started on Friday only (2025-01-17 is a Friday).
    [InlineData("2025-01-17 23:30", true)]   // Friday night
    [InlineData("2025-01-18 01:59", true)]   // after midnight, still Friday's window
    [InlineData("2025-01-18 02:00", false)]  // window ended
    [InlineData("2025-01-17 01:00", false)]  // Friday early morning belongs to Thursday's window
    [InlineData("2025-01-18 23:00", false)]  // Saturday night: Saturday is not active
    [InlineData("2025-01-17 21:59", false)]
    public void HoursAcrossMidnight_BelongToTheDayTheyStart(string local, bool active)
    {
        var rule = Rule("night", 1, KeywordMatchMode.Contains, "x");
        rule.ActiveDays = ActiveDays.Friday;
        (rule.ActiveFrom, rule.ActiveTo) = (new TimeOnly(22, 0), new TimeOnly(2, 0));
        Assert.Equal(active, BotHours.IsActive(rule, DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("2025-01-15 08:00", true)]
    [InlineData("2025-01-15 16:59", true)]
    [InlineData("2025-01-15 17:00", false)]
    [InlineData("2025-01-15 07:59", false)]
    [InlineData("2025-01-19 10:00", false)] // Sunday
    public void OfficeHours_WeekdaysOnly(string local, bool active)
    {
        var rule = Office();
        Assert.Equal(active, BotHours.IsActive(rule, DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void OutsideHours_AnswersWithTheOutsideHoursReply_OrSkipsToTheNextRule()
    {
        var office = Office();
        office.OutsideHoursReply = "Kami tutup";
        var sunday = new DateTime(2025, 1, 19, 10, 0, 0);

        var match = KeywordMatcher.Select([office], "harga", false, sunday);
        Assert.True(match?.OutsideHours);
        Assert.Equal("Kami tutup", match!.Template);
        Assert.False(KeywordMatcher.Select([office], "harga", false, Noonish)!.OutsideHours);

        office.OutsideHoursReply = null;
        var fallback = Rule("fallback", 9, trigger: BotTrigger.Fallback);
        Assert.Equal("fallback", KeywordMatcher.Select([office, fallback], "harga", false, sunday)?.Rule.Name);
    }

    [Theory]
    // 01:30 UTC on a Wednesday is 08:30 in Jakarta (UTC+7): inside office hours there, before them in UTC.
    [InlineData("Asia/Jakarta", true)]
    [InlineData("UTC", false)]
    // Jayapura is UTC+9: 10:30, inside.
    [InlineData("Asia/Jayapura", true)]
    // An unknown zone falls back to Asia/Jakarta.
    [InlineData("Not/AZone", true)]
    public void Hours_AreInTheTenantsTimeZone(string zone, bool active)
    {
        var utc = new DateTimeOffset(2025, 1, 15, 1, 30, 0, TimeSpan.Zero);
        Assert.Equal(active, BotHours.IsActive(Office(), BotHours.ToLocal(utc, zone)));
    }

    private static BotRule Office()
    {
        var rule = Rule("office", 1, KeywordMatchMode.Contains, "harga");
        rule.ActiveDays = ActiveDays.Monday | ActiveDays.Tuesday | ActiveDays.Wednesday | ActiveDays.Thursday | ActiveDays.Friday;
        (rule.ActiveFrom, rule.ActiveTo) = (new TimeOnly(8, 0), new TimeOnly(17, 0));
        return rule;
    }

    private static BotRule Rule(string name, int priority, KeywordMatchMode mode = KeywordMatchMode.Contains, params string[] keywords) =>
        Rule(name, priority, BotTrigger.Keyword, mode, keywords);

    private static BotRule Rule(string name, int priority, BotTrigger trigger, KeywordMatchMode mode = KeywordMatchMode.Contains, params string[] keywords) =>
        new()
        {
            Name = name, Priority = priority, Trigger = trigger, MatchMode = mode, ReplyTemplate = "reply " + name,
            Keywords = keywords.Select(k => new BotKeyword { Keyword = k }).ToList(),
        };
}
