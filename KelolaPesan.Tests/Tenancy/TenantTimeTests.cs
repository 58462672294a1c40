using KelolaPesan.Core.Tenancy;

namespace KelolaPesan.Tests.Tenancy;

public sealed class TenantTimeTests
{
    private static readonly DateTimeOffset Noon = new(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Asia/Jakarta", "WIB", "UTC+7")]
    [InlineData("Asia/Makassar", "WITA", "UTC+8")]
    [InlineData("Asia/Jayapura", "WIT", "UTC+9")]
    [InlineData("Asia/Kolkata", "UTC+5:30", "UTC+5:30")]
    [InlineData("Europe/Amsterdam", "UTC+2", "UTC+2")]
    public void TheZoneIsNamedByItsIndonesianNameOrItsOffset(string id, string label, string offset)
    {
        var zone = TenantTime.Zone(id);
        Assert.Equal(label, TenantTime.Label(zone, Noon));
        Assert.Equal(offset, TenantTime.Offset(zone, Noon));
        Assert.Equal($"{id} ({offset})", TenantTime.Name(zone, Noon));
    }
}
