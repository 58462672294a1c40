using KelolaPesan.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Admin;

/// <summary>
/// Rows the platform cannot run without, created on every start when missing (in every environment):
/// the default workspace policy, the platform settings row and the notification templates.
/// Nothing here has a password. Several nodes starting together may all find a row missing: the singletons get fixed
/// ids (a second insert breaks the primary key, not the "one row" rule) and a refused insert is read again.
/// </summary>
public sealed class PlatformDefaults(IKelolaDbFactory dbFactory)
{
    public static readonly Guid DefaultPolicyId = new("0190d9a0-0000-7000-8000-000000000001");
    public static readonly Guid PlatformSettingsId = new("0190d9a0-0000-7000-8000-000000000002");
    private const int Attempts = 5;

    public async Task EnsureAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EnsureOnceAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
                // Another node inserted the same row first (unique index or primary key): what is missing now is read again.
            }
        }
    }

    private async Task EnsureOnceAsync(CancellationToken cancellationToken)
    {
        await using var db = dbFactory.CreateSystem();
        if (!await db.Policies.AnyAsync(p => p.Tier == null, cancellationToken))
            db.Policies.Add(new PolicySettings { Id = DefaultPolicyId });
        if (!await db.PlatformSettings.AnyAsync(cancellationToken))
            db.PlatformSettings.Add(new PlatformSettings { Id = PlatformSettingsId });

        var existing = await db.NotificationTemplates.Select(t => t.Event).ToListAsync(cancellationToken);
        foreach (var (evt, body) in DefaultTemplates.Where(t => !existing.Contains(t.Key)))
            db.NotificationTemplates.Add(new NotificationTemplate { Event = evt, Body = body });

        await db.SaveChangesAsync(cancellationToken);
    }

    private static readonly Dictionary<NotificationEvent, string> DefaultTemplates = new()
    {
        [NotificationEvent.LicenceExpiring] = "Halo {owner}, lisensi {tenant} akan berakhir pada {expiry}. Perpanjang agar layanan tidak terhenti.",
        [NotificationEvent.LicenceExpired] = "Halo {owner}, lisensi {tenant} telah berakhir pada {expiry}.",
        [NotificationEvent.WorkspaceDisconnected] = "Halo {owner}, workspace {workspace} terputus dari WhatsApp. Silakan hubungkan kembali.",
        [NotificationEvent.BroadcastFinished] = "Halo {owner}, broadcast {broadcast} selesai: {sent} terkirim, {failed} gagal.",
        [NotificationEvent.BroadcastPaused] = "Halo {owner}, broadcast {broadcast} dijeda: {reason}.",
        [NotificationEvent.DailyCapReached] = "Halo {owner}, workspace {workspace} mencapai batas harian pengiriman.",
        [NotificationEvent.InstagramDisconnected] = "Halo {owner}, akun Instagram @{account} di workspace {workspace} terputus. Silakan hubungkan kembali.",
    };
}
