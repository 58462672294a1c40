using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KelolaPesan.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SearchRowsByChat : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The search index's message rows numbered by chat (docs/adr/0039); EF's model does not know these objects.
            KelolaPesan.Data.Inbox.SqliteMessageSearchByChatSql.Up(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            KelolaPesan.Data.Inbox.SqliteMessageSearchByChatSql.Down(migrationBuilder);
        }
    }
}
