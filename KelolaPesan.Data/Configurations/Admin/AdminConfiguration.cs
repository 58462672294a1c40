using KelolaPesan.Core.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Admin;

public class PolicySettingsConfiguration : IEntityTypeConfiguration<PolicySettings>
{
    public void Configure(EntityTypeBuilder<PolicySettings> b)
    {
        b.ToTable("Policies");
        b.HasIndex(x => x.Tier).IsUnique();
    }
}

public class PlatformSettingsConfiguration : IEntityTypeConfiguration<PlatformSettings>
{
    public void Configure(EntityTypeBuilder<PlatformSettings> b)
    {
        b.Property(x => x.WatermarkText).HasMaxLength(PlatformSettings.WatermarkMaxLength);
    }
}

public class NotificationTemplateConfiguration : IEntityTypeConfiguration<NotificationTemplate>
{
    public void Configure(EntityTypeBuilder<NotificationTemplate> b)
    {
        b.Property(x => x.Body).HasMaxLength(NotificationTemplate.BodyMaxLength);
        b.HasIndex(x => x.Event).IsUnique();
    }
}

public class NotificationLogConfiguration : IEntityTypeConfiguration<NotificationLog>
{
    public void Configure(EntityTypeBuilder<NotificationLog> b)
    {
        b.Property(x => x.EventKey).HasMaxLength(NotificationLog.EventKeyMaxLength);
        b.Property(x => x.Recipient).HasMaxLength(40);
        b.Property(x => x.Body).HasMaxLength(NotificationTemplate.BodyMaxLength + 500);
        b.Property(x => x.Error).HasMaxLength(1000);
        // Each event is notified once, however often the job runs.
        b.HasIndex(x => x.EventKey).IsUnique();
    }
}
