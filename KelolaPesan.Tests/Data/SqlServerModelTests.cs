using System.Text.RegularExpressions;
using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Instagram;
using KelolaPesan.Core.Webhooks;
using KelolaPesan.Core.Workspaces;
using KelolaPesan.Data;
using KelolaPesan.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace KelolaPesan.Tests.Data;

/// <summary>
/// The SQL Server model and commands, checked without a server (none runs on these machines): index key sizes,
/// clustering, collations of external ids, and the sizes of the prepared inserts' parameters.
/// </summary>
public sealed class SqlServerModelTests
{
    // Never opened: building the model and commands needs no server.
    private const string UnusedSqlServer = "Server=127.0.0.1,1;Database=KelolaPesanUnused;User Id=unused;Password=unused;TrustServerCertificate=True";

    private const int NonClusteredKeyLimit = 1700;
    private const int ClusteredKeyLimit = 900;

    [Fact]
    public void EveryIndexKey_FitsSqlServersLimits()
    {
        using var db = SqlServer();
        var tooLong = new List<string>();

        foreach (var table in DesignModel(db).GetRelationalModel().Tables)
        {
            var keys = new List<(string Name, IEnumerable<IColumn> Columns, bool Clustered)>();
            if (table.PrimaryKey is { } pk)
                keys.Add((pk.Name, pk.Columns, pk.MappedKeys.First().IsClustered() ?? true));
            keys.AddRange(table.UniqueConstraints.Where(u => !u.GetIsPrimaryKey()).Select(u => (u.Name, (IEnumerable<IColumn>)u.Columns, u.MappedKeys.First().IsClustered() ?? false)));
            keys.AddRange(table.Indexes.Select(i => (i.Name, (IEnumerable<IColumn>)i.Columns, i.MappedIndexes.First().IsClustered() ?? false)));
            foreach (var (name, columns, clustered) in keys)
            {
                var bytes = columns.Sum(c => (long)KeyBytes(c.StoreType));
                if (bytes > (clustered ? ClusteredKeyLimit : NonClusteredKeyLimit))
                    tooLong.Add($"{table.Name}.{name} ({string.Join(", ", columns.Select(c => c.StoreType))}) = {bytes} bytes{(clustered ? ", clustered" : "")}");
            }
        }

        Assert.True(tooLong.Count == 0, string.Join(Environment.NewLine, tooLong));
    }

    [Fact]
    public void ACustomFieldValue_IsIndexedByItsPrefix_WhichFollowsTheValue()
    {
        var value = new ContactFieldValue { Value = new string('x', ContactFieldValue.ValuePrefixLength) + "tail" };

        Assert.Equal(new string('x', ContactFieldValue.ValuePrefixLength), value.ValuePrefix);
        value.Value = "Jakarta";
        Assert.Equal("Jakarta", value.ValuePrefix);
    }

    [Fact]
    public void EveryTableWithAGuidKey_IsClusteredOnAnAscendingIdentity_WithANonClusteredPrimaryKey()
    {
        using var db = SqlServer();
        var wrong = new List<string>();

        foreach (var entity in DesignModel(db).GetEntityTypes().Where(t => t.BaseType is null && t.GetTableName() is not null))
        {
            var key = entity.FindPrimaryKey()!;
            if (!key.Properties.Any(p => p.ClrType == typeof(Guid)))
                continue;
            var cluster = entity.GetIndexes().Where(i => i.IsClustered() == true).ToList();
            if (key.IsClustered() != false || cluster.Count != 1 || !cluster[0].IsUnique
                || cluster[0].Properties is not [{ Name: SqlServerKelolaDbContext.ClusterKey } identity]
                || SqlServerPropertyExtensions.GetValueGenerationStrategy(identity) != SqlServerValueGenerationStrategy.IdentityColumn)
                wrong.Add(entity.GetTableName()!);
        }

        Assert.True(wrong.Count == 0, "clustered on a random GUID: " + string.Join(", ", wrong));
    }

    [Fact]
    public void IdsFromMetaAndWaha_AreComparedExactly_OnSqlServer()
    {
        using var db = SqlServer();
        var model = DesignModel(db);
        (Type Entity, string Property)[] external =
        [
            (typeof(Message), nameof(Message.ExternalMessageId)), (typeof(Message), nameof(Message.ReplyToExternalId)),
            (typeof(Chat), nameof(Chat.ExternalChatId)), (typeof(LidMapping), nameof(LidMapping.Lid)),
            (typeof(BroadcastRecipient), nameof(BroadcastRecipient.ExternalMessageId)), (typeof(InboundWebhookEvent), nameof(InboundWebhookEvent.EventKey)),
            (typeof(InstagramAccount), nameof(InstagramAccount.InstagramUserId)), (typeof(InstagramComment), nameof(InstagramComment.CommentId)),
            (typeof(InstagramComment), nameof(InstagramComment.CommenterId)), (typeof(InstagramMedia), nameof(InstagramMedia.MediaId)),
            (typeof(Workspace), nameof(Workspace.ExternalSessionId)),
        ];

        foreach (var (entity, property) in external)
            Assert.Equal((entity.Name, property, SqlServerKelolaDbContext.ExactCollation),
                (entity.Name, property, model.FindEntityType(entity)!.FindProperty(property)!.GetCollation()));
        // And every other string id, so a new one is not compared case-insensitively by the server's default collation.
        var caseInsensitive = model.GetEntityTypes().SelectMany(t => t.GetDeclaredProperties())
            .Where(p => p.ClrType == typeof(string) && p.Name.EndsWith("Id", StringComparison.Ordinal) && p.GetCollation() != SqlServerKelolaDbContext.ExactCollation)
            .Select(p => $"{p.DeclaringType.ClrType.Name}.{p.Name}").ToList();
        Assert.True(caseInsensitive.Count == 0, string.Join(", ", caseInsensitive));
    }

    [Fact]
    public async Task PreparedInserts_SizeEveryTextParameter_FromItsColumn()
    {
        await using var db = SqlServer();
        var relational = DesignModel(db).GetRelationalModel();
        var wrong = new List<string>();

        foreach (var entity in db.Model.GetEntityTypes().Where(t => t.BaseType is null && t.GetTableName() is not null && !t.IsPropertyBag))
        {
            var table = relational.FindTable(entity.GetTableName()!, entity.GetSchema())!;
            var parameters = await InsertParametersAsync(db, entity.ClrType);
            foreach (var (column, parameter) in parameters)
            {
                if (parameter.SqlDbType is not (System.Data.SqlDbType.NVarChar or System.Data.SqlDbType.VarChar or System.Data.SqlDbType.VarBinary
                    or System.Data.SqlDbType.NChar or System.Data.SqlDbType.Char or System.Data.SqlDbType.Binary))
                    continue;
                var expected = ColumnSize(table.FindColumn(column)!.StoreType);
                if (parameter.Size != expected)
                    wrong.Add($"{table.Name}.{column}: {parameter.Size}, column {table.FindColumn(column)!.StoreType}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Theory]
    [InlineData(typeof(Message), nameof(Message.Body))]
    [InlineData(typeof(BroadcastRecipient), nameof(BroadcastRecipient.RenderedText))]
    [InlineData(typeof(InboundWebhookEvent), nameof(InboundWebhookEvent.Payload))]
    public async Task ALargeText_GoesIntoItsPreparedInsert_Whole(Type entity, string property)
    {
        // SqlClient sizes a parameter made with a null value at 4,000 characters and cuts longer values to that size.
        await using var db = SqlServer();
        var mapped = db.Model.FindEntityType(entity)!.FindProperty(property)!;
        var column = mapped.GetColumnName();

        var (_, parameter) = (await InsertParametersAsync(db, entity)).Single(p => p.Column == column);

        Assert.Equal(-1, parameter.Size);
        Assert.Equal(System.Data.SqlDbType.NVarChar, parameter.SqlDbType);
        // The fault this guards against: the parameter as EF's mapping makes it for a null value, as the inserts used to.
        using var bare = new SqlCommand();
        Assert.Equal(4000, ((RelationalTypeMapping)mapped.GetRelationalTypeMapping()).CreateParameter(bare, "@p", null, mapped.IsNullable).Size);
    }

    private static async Task<List<(string Column, SqlParameter Parameter)>> InsertParametersAsync(DbContext db, Type entity) =>
        await (Task<List<(string, SqlParameter)>>)typeof(SqlServerModelTests).GetMethod(nameof(InsertParametersOfAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(entity).Invoke(null, [db])!;

    private static async Task<List<(string, SqlParameter)>> InsertParametersOfAsync<T>(DbContext db) where T : class
    {
        await using var command = new ModelCommand<T>(db);
        var columns = command.Columns();
        command.BindInsert();
        var table = StoreObjectIdentifier.Table(db.Model.FindEntityType(typeof(T))!.GetTableName()!);
        return columns.Select((c, i) => (c.Property.GetColumnName(table)!, (SqlParameter)command.Parameters[i])).ToList();
    }

    private static int ColumnSize(string storeType)
    {
        var m = Regex.Match(storeType, @"\((max|\d+)\)$", RegexOptions.IgnoreCase);
        return !m.Success || m.Groups[1].Value.Equals("max", StringComparison.OrdinalIgnoreCase) ? -1 : int.Parse(m.Groups[1].Value);
    }

    /// <summary>The bytes a column takes in an index key (nvarchar: 2 a character); max types cannot be keys at all.</summary>
    private static int KeyBytes(string storeType)
    {
        var m = Regex.Match(storeType.ToLowerInvariant(), @"^(\w+)(?:\((max|\d+)(?:,\s*(\d+))?\))?$");
        Assert.True(m.Success, "unknown store type " + storeType);
        var (type, size) = (m.Groups[1].Value, m.Groups[2].Value);
        var length = size == "max" ? int.MaxValue / 2 : size.Length > 0 ? int.Parse(size) : 1;
        return type switch
        {
            "nvarchar" or "nchar" => length * 2,
            "varchar" or "char" or "varbinary" or "binary" => length,
            "uniqueidentifier" => 16,
            "bigint" or "datetime2" or "datetime" or "float" or "rowversion" or "money" => 8,
            "int" or "real" => 4,
            "smallint" => 2,
            "tinyint" or "bit" => 1,
            "datetimeoffset" => 10,
            "date" => 3,
            "time" => 5,
            "decimal" or "numeric" => length <= 9 ? 5 : length <= 19 ? 9 : length <= 28 ? 13 : 17,
            _ => throw new InvalidOperationException("unknown store type " + storeType),
        };
    }

    private static IModel DesignModel(DbContext db) => db.GetService<IDesignTimeModel>().Model;

    private static SqlServerKelolaDbContext SqlServer() => new(
        new DbContextOptionsBuilder<SqlServerKelolaDbContext>().UseSqlServer(UnusedSqlServer).Options, SystemTenant.Instance);
}
