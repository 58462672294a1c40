using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KelolaPesan.Data;

public class SqliteKelolaDbContext(DbContextOptions<SqliteKelolaDbContext> options, ITenantContext tenant)
    : KelolaDbContext(options, tenant)
{
    public override IChatTextIndex ChatTextIndex => new Inbox.SqliteChatTextIndex(this);

    public override bool SingleWriter => true;

    private Broadcasts.SqliteSendResultWriter? _sendResults;

    public override Core.Broadcasts.ISendResultWriter SendResults => _sendResults ??= new Broadcasts.SqliteSendResultWriter(this);

    /// <summary>
    /// SQLite cannot compare or ORDER BY a DateTimeOffset, and the inbox sorts by time everywhere:
    /// store them as a long that orders by the UTC instant.
    /// </summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUtcTicksConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // SQLite has no reverse(): a phone number is at most PhoneNumberMaxLength characters, so spell it out.
        // A VIRTUAL generated column can be added by ALTER TABLE (no rebuild of Chats, so its triggers stay) and indexed.
        // A null number stays null: substr(NULL) is NULL and so is anything concatenated with it.
        var reversed = string.Join(" || ", Enumerable.Range(1, Chat.PhoneNumberMaxLength).Select(i => $"substr(\"PhoneNumber\", -{i}, 1)"));
        modelBuilder.Entity<Chat>().Property<string?>(Chat.PhoneNumberReversedColumn)
            .HasComputedColumnSql(reversed, stored: false);
    }
}

/// <summary>
/// Stores a DateTimeOffset as its UTC ticks, so SQL comparisons and ORDER BY follow the instant, exactly
/// like <see cref="DateTimeOffset"/>'s own comparison, at full precision. EF's DateTimeOffsetToBinaryConverter
/// encodes the local clock time instead, which sorts 10:00+07:00 after 05:00+00:00. The offset is not kept:
/// values come back in UTC, which is what the app stores anyway (times come from TimeProvider.GetUtcNow()).
/// </summary>
public sealed class DateTimeOffsetToUtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
