using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace KelolaPesan.Data;

public class SqlServerKelolaDbContext(DbContextOptions<SqlServerKelolaDbContext> options, ITenantContext tenant)
    : KelolaDbContext(options, tenant)
{
    /// <summary>Compares code points exactly: ids from Meta and WAHA differ by case (Instagram's are base64).</summary>
    public const string ExactCollation = "Latin1_General_100_BIN2";

    /// <summary>The ascending bigint identity each table is clustered on (docs/adr/0010-transactions-and-sql-server.md).</summary>
    public const string ClusterKey = "ClusterKey";

    /// <summary>String columns other than <c>...Id</c> that hold a key compared exactly (webhook event keys, idempotency keys, storage keys...).</summary>
    private static readonly HashSet<string> ExactNames = ["Lid", "EventKey", "IdempotencyKey", "StorageKey", "Key", "Prefix", "CodePrefix", "ConfirmationCode"];

    /// <summary>Whether a string property holds an identifier compared exactly (binary collation on SQL Server).</summary>
    public static bool IsExactMatch(IReadOnlyProperty property) =>
        property.ClrType == typeof(string) && (property.Name.EndsWith("Id", StringComparison.Ordinal) || ExactNames.Contains(property.Name));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Persisted so the (TenantId, PhoneNumberReversed) index stores it; number search reads it as "ends with".
        modelBuilder.Entity<Chat>().Property<string?>(Chat.PhoneNumberReversedColumn)
            .HasComputedColumnSql("REVERSE([PhoneNumber])", stored: true);

        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(t => t.BaseType is null && !t.IsOwned() && t.GetTableName() is not null).ToList())
        {
            foreach (var property in entity.GetDeclaredProperties().Where(IsExactMatch))
                property.SetCollation(ExactCollation);
            ClusterOnIdentity(modelBuilder, entity);
        }
    }

    /// <summary>
    /// Version 7 GUIDs ascend in time, but SQL Server orders uniqueidentifier from its last six bytes, so a clustered GUID
    /// key would take every insert at a random page. The GUID stays the primary key (non-clustered); the table is
    /// clustered on an ascending identity that no code reads or writes, so inserts append.
    /// </summary>
    private static void ClusterOnIdentity(ModelBuilder modelBuilder, IMutableEntityType entity)
    {
        var key = entity.FindPrimaryKey();
        if (key is null || key.Properties is [{ ClrType: var type }] && (type == typeof(int) || type == typeof(long)))
            return;
        var builder = modelBuilder.Entity(entity.ClrType);
        // Named explicitly: Npgsql's UseIdentityColumn has the same signature and would be picked.
        var cluster = SqlServerPropertyBuilderExtensions.UseIdentityColumn(builder.Property<long>(ClusterKey)).Metadata;
        cluster.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
        cluster.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        builder.HasKey(key.Properties.Select(p => p.Name).ToArray()).IsClustered(false);
        builder.HasIndex(ClusterKey).IsUnique().IsClustered();
    }
}
