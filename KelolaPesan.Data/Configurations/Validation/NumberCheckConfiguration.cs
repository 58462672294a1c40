using KelolaPesan.Core.Validation;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Validation;

public class NumberCheckConfiguration : IEntityTypeConfiguration<NumberCheck>
{
    public void Configure(EntityTypeBuilder<NumberCheck> b)
    {
        b.Property(x => x.Phone).HasMaxLength(NumberCheck.PhoneMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        // One answer per number of a workspace: the dispatcher looks a page of numbers up at once and updates in place.
        b.HasIndex(x => new { x.WorkspaceId, x.Phone }).IsUnique();
    }
}
