using KelolaPesan.Core.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KelolaPesan.Data.Configurations.Contacts;

public class ContactImportErrorConfiguration : IEntityTypeConfiguration<ContactImportError>
{
    public void Configure(EntityTypeBuilder<ContactImportError> b)
    {
        b.Property(x => x.Reason).HasMaxLength(ContactImportError.ReasonMaxLength);
        b.HasOne<ContactImport>().WithMany().HasForeignKey(x => x.ImportId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.ImportId, x.RowNumber });
    }
}
