using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Audit;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Data;
using KelolaPesan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Tests.Admin;

public sealed class WatermarkTests : IAsyncLifetime
{
    private static readonly AuditActor Admin = new(AuditActorType.Admin, Guid.NewGuid(), "Admin Test");
    private const string Footer = "_Dikirim dengan *Kelola Pesan*_";
    private SqliteTestDatabase _db = null!;
    private WatermarkService _watermarks = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteTestDatabase.CreateAsync();
        var factory = _db.CreateFactory(SystemTenant.Instance);
        await new PlatformDefaults(factory).EnsureAsync();
        _watermarks = new WatermarkService(factory, new AuditLog(factory, TimeProvider.System));
        await _watermarks.SaveAsync(new WatermarkSettings { Enabled = true, Text = Footer, Tiers = PolicyTierSet.Basic | PolicyTierSet.Standard }, Admin);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [InlineData(PolicyTier.Basic, true)]
    [InlineData(PolicyTier.Standard, true)]
    [InlineData(PolicyTier.Premium, false)]
    public async Task TheFooter_IsAppendedExactly_ForTheChosenTiersOnly(PolicyTier tier, bool watermarked)
    {
        var footer = await _watermarks.FooterForAsync(tier);
        var sent = WatermarkService.Append("Halo Kak, promo hari ini!  ", footer);

        Assert.Equal(watermarked ? "Halo Kak, promo hari ini!\n\n" + Footer : "Halo Kak, promo hari ini!  ", sent);
        Assert.Equal(watermarked, await _watermarks.EndsWithWatermarkAsync(sent));
    }

    [Fact]
    public async Task AWatermarkThatIsOff_AppendsNothing_AndTheChangeIsAudited()
    {
        await _watermarks.SaveAsync(new WatermarkSettings { Enabled = false, Text = Footer, Tiers = PolicyTierSet.Basic }, Admin);

        Assert.Null(await _watermarks.FooterForAsync(PolicyTier.Basic));
        await using var db = _db.CreateSystem();
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == AuditActions.WatermarkChanged));
    }

    [Fact]
    public void AnAgentsInboxReply_IsNotAWatermarkEcho() =>
        Assert.False(WatermarkService.EndsWithWatermark("Baik Kak, pesanan dikirim besok.", Footer));

    [Fact]
    public async Task ATextPastTheLimit_IsRefused_AndTheOldSettingStays()
    {
        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() =>
            _watermarks.SaveAsync(new WatermarkSettings { Enabled = true, Text = new string('x', PlatformSettings.WatermarkMaxLength + 1), Tiers = PolicyTierSet.Basic }, Admin));

        Assert.Equal(Footer, (await _watermarks.GetAsync()).Text);
    }
}
