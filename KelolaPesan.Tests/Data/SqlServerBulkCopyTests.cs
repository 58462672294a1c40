using System.Data;
using System.Text.RegularExpressions;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Data;
using KelolaPesan.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace KelolaPesan.Tests.Data;

/// <summary>
/// What SqlBulkCopy would be handed on SQL Server, checked without a server (none runs on these machines): every
/// column of the table the model says an INSERT writes, by its column name, with values of the CLR type SqlClient sends
/// for the column's store type, after the same converters EF applies.
/// </summary>
public sealed class SqlServerBulkCopyTests
{
    // Never opened: building the model and the copy needs no server.
    private const string UnusedSqlServer = "Server=127.0.0.1,1;Database=KelolaPesanUnused;User Id=unused;Password=unused;TrustServerCertificate=True";

    /// <summary>The entities that go through IBulkInserter: recipients, imported contacts and their rows, messages, webhook events.</summary>
    public static TheoryData<Type> BulkEntities => new()
    {
        typeof(BroadcastRecipient), typeof(Contact), typeof(ContactFieldValue), typeof(ContactListMember), typeof(ContactLabel),
        typeof(Message), typeof(InboundWebhookEvent),
    };

    [Theory, MemberData(nameof(BulkEntities))]
    public async Task TheCopy_WritesEveryColumnOfTheTable_ByName_WithItsStoreType(Type entity)
    {
        await using var db = SqlServer();
        var table = db.GetService<IDesignTimeModel>().Model.GetRelationalModel().FindTable(db.Model.FindEntityType(entity)!.GetTableName()!, null)!;

        var columns = await ColumnsOfAsync(db, entity);

        // The server fills the clustering identity and computed columns; every other column comes from the batch, once.
        var expected = table.Columns.Where(c => c.Name != SqlServerKelolaDbContext.ClusterKey && c.ComputedColumnSql is null).Select(c => c.Name).Order();
        Assert.Equal(expected, columns.Select(c => c.ColumnName).Order());
        foreach (var column in columns)
        {
            var stored = table.FindColumn(column.ColumnName)!;
            Assert.True(ClrTypeFor(stored.StoreType) == column.DataType, $"{table.Name}.{column.ColumnName}: {column.DataType.Name} for {stored.StoreType}");
            Assert.Equal(stored.IsNullable, column.AllowDBNull);
        }
    }

    [Fact]
    public async Task TheRows_CarryProviderValues_WholeTexts_AndNulls()
    {
        await using var db = SqlServer();
        var text = new string('x', 10_000);
        var sentAt = new DateTimeOffset(2026, 12, 3, 20, 15, 0, TimeSpan.FromHours(7));
        var recipient = new BroadcastRecipient
        {
            TenantId = Guid.NewGuid(), WorkspaceId = Guid.NewGuid(), BroadcastId = Guid.NewGuid(), Phone = "6281311100001",
            RenderedText = text, IdempotencyKey = "k-1", Sequence = 7, Status = RecipientStatus.Read, SentAt = sentAt,
        };
        await using var command = new ModelCommand<BroadcastRecipient>(db);
        var copy = new SqlServerBulkCopy<BroadcastRecipient>(command);

        using var data = copy.ToDataTable([recipient, recipient]);

        Assert.Equal("[BroadcastRecipients]", copy.Table);
        Assert.Equal(2, data.Rows.Count);
        var row = data.Rows[0];
        Assert.Equal(recipient.Id, row[nameof(BroadcastRecipient.Id)]);
        Assert.Equal(text, row[nameof(BroadcastRecipient.RenderedText)]);
        Assert.Equal((int)RecipientStatus.Read, row[nameof(BroadcastRecipient.Status)]);
        Assert.Equal(7, row[nameof(BroadcastRecipient.Sequence)]);
        // SQL Server keeps the offset: the value goes as it is, not normalised.
        Assert.True(sentAt.EqualsExact((DateTimeOffset)row[nameof(BroadcastRecipient.SentAt)]));
        Assert.Equal(DBNull.Value, row[nameof(BroadcastRecipient.ContactId)]);
        Assert.Equal(DBNull.Value, row[nameof(BroadcastRecipient.ExternalMessageId)]);
    }

    /// <summary>The CLR type SqlClient sends (and SqlBulkCopy accepts without conversion) for a SQL Server store type.</summary>
    private static Type ClrTypeFor(string storeType) => Regex.Match(storeType.ToLowerInvariant(), @"^\w+").Value switch
    {
        "nvarchar" or "varchar" or "nchar" or "char" => typeof(string),
        "varbinary" or "binary" or "rowversion" => typeof(byte[]),
        "uniqueidentifier" => typeof(Guid),
        "bigint" => typeof(long),
        "int" => typeof(int),
        "smallint" => typeof(short),
        "tinyint" => typeof(byte),
        "bit" => typeof(bool),
        "datetimeoffset" => typeof(DateTimeOffset),
        "datetime2" or "datetime" => typeof(DateTime),
        "date" => typeof(DateOnly),
        "time" => typeof(TimeOnly),
        "decimal" or "money" => typeof(decimal),
        "float" => typeof(double),
        "real" => typeof(float),
        var other => throw new InvalidOperationException("unknown store type " + other),
    };

    private static async Task<IReadOnlyList<DataColumn>> ColumnsOfAsync(DbContext db, Type entity) =>
        await (Task<IReadOnlyList<DataColumn>>)typeof(SqlServerBulkCopyTests).GetMethod(nameof(ColumnsOfGenericAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(entity).Invoke(null, [db])!;

    private static async Task<IReadOnlyList<DataColumn>> ColumnsOfGenericAsync<T>(DbContext db)
    {
        await using var command = new ModelCommand<T>(db);
        return new SqlServerBulkCopy<T>(command).Columns;
    }

    private static SqlServerKelolaDbContext SqlServer() => new(
        new DbContextOptionsBuilder<SqlServerKelolaDbContext>().UseSqlServer(UnusedSqlServer).Options, SystemTenant.Instance);
}
