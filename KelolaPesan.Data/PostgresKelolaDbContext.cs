using KelolaPesan.Core.Broadcasts;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KelolaPesan.Data;

public class PostgresKelolaDbContext(DbContextOptions<PostgresKelolaDbContext> options, ITenantContext tenant)
    : KelolaDbContext(options, tenant)
{
    /// <summary>The inbox search's trigram GIN indexes (docs/adr/0009-postgresql-provider-and-server-tests.md).</summary>
    public const string ChatNameTrigramIndex = "IX_Chats_DisplayName_Trgm";
    public const string MessageBodyTrigramIndex = "IX_Messages_Body_Trgm";

    private Broadcasts.PostgresSendResultWriter? _sendResults;

    public override IChatTextIndex ChatTextIndex => new Inbox.PostgresChatTextIndex(this);

    public override bool CaseSensitiveLike => true;

    public override ISendResultWriter SendResults => _sendResults ??= new Broadcasts.PostgresSendResultWriter(this);

    /// <summary>
    /// Npgsql writes a DateTimeOffset to timestamptz only with offset zero and throws otherwise. The app's times come
    /// from TimeProvider.GetUtcNow(), but a schedule typed in the tenant's zone may keep its offset: store the instant.
    /// </summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUtcConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.HasPostgresExtension("pg_trgm");

        // Number search compares with ranges whose bounds assume byte order ('+' < digits < ':'); a linguistic
        // collation of the database would skip punctuation. "C" keeps SQLite's binary order and lets the btree seek.
        var chat = modelBuilder.Entity<Chat>();
        chat.Property(c => c.PhoneNumber).UseCollation("C");
        chat.Property<string?>(Chat.PhoneNumberReversedColumn).UseCollation("C")
            .HasComputedColumnSql("reverse(\"PhoneNumber\")", stored: true);

        // Substring search (ILIKE '%term%') of names and message text reads these; pg_trgm folds case like ILIKE.
        chat.HasIndex(c => c.DisplayName, ChatNameTrigramIndex).HasMethod("gin").HasOperators("gin_trgm_ops");
        modelBuilder.Entity<Message>().HasIndex(m => m.Body, MessageBodyTrigramIndex).HasMethod("gin").HasOperators("gin_trgm_ops");
    }
}

/// <summary>Stores the instant with offset zero (what timestamptz holds anyway); values read back in UTC.</summary>
public sealed class DateTimeOffsetToUtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
    value => value.ToUniversalTime(),
    value => value.ToUniversalTime());
