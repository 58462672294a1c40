using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KelolaPesan.Data.Migrations.Sqlite
{
    /// <summary>
    /// Number search by index ranges (docs/adr/0006-inbox-search.md): the number reversed as a VIRTUAL generated
    /// column, added by ALTER TABLE so Chats is not rebuilt and keeps its search triggers.
    /// </summary>
    public partial class InboxNumberSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PhoneNumberReversed",
                table: "Chats",
                type: "TEXT",
                maxLength: 20,
                nullable: true,
                computedColumnSql: "substr(\"PhoneNumber\", -1, 1) || substr(\"PhoneNumber\", -2, 1) || substr(\"PhoneNumber\", -3, 1) || substr(\"PhoneNumber\", -4, 1) || substr(\"PhoneNumber\", -5, 1) || substr(\"PhoneNumber\", -6, 1) || substr(\"PhoneNumber\", -7, 1) || substr(\"PhoneNumber\", -8, 1) || substr(\"PhoneNumber\", -9, 1) || substr(\"PhoneNumber\", -10, 1) || substr(\"PhoneNumber\", -11, 1) || substr(\"PhoneNumber\", -12, 1) || substr(\"PhoneNumber\", -13, 1) || substr(\"PhoneNumber\", -14, 1) || substr(\"PhoneNumber\", -15, 1) || substr(\"PhoneNumber\", -16, 1) || substr(\"PhoneNumber\", -17, 1) || substr(\"PhoneNumber\", -18, 1) || substr(\"PhoneNumber\", -19, 1) || substr(\"PhoneNumber\", -20, 1)",
                stored: false);

            migrationBuilder.CreateIndex(
                name: "IX_Chats_TenantId_PhoneNumber",
                table: "Chats",
                columns: new[] { "TenantId", "PhoneNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_Chats_TenantId_PhoneNumberReversed",
                table: "Chats",
                columns: new[] { "TenantId", "PhoneNumberReversed" });

            migrationBuilder.CreateIndex(
                name: "IX_Chats_WorkspaceId_PhoneNumber",
                table: "Chats",
                columns: new[] { "WorkspaceId", "PhoneNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_Chats_WorkspaceId_PhoneNumberReversed",
                table: "Chats",
                columns: new[] { "WorkspaceId", "PhoneNumberReversed" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Chats_TenantId_PhoneNumber",
                table: "Chats");

            migrationBuilder.DropIndex(
                name: "IX_Chats_TenantId_PhoneNumberReversed",
                table: "Chats");

            migrationBuilder.DropIndex(
                name: "IX_Chats_WorkspaceId_PhoneNumber",
                table: "Chats");

            migrationBuilder.DropIndex(
                name: "IX_Chats_WorkspaceId_PhoneNumberReversed",
                table: "Chats");

            // Not DropColumn: EF would rebuild Chats on SQLite and lose its search triggers (InboxSearchIndex).
            migrationBuilder.Sql("""ALTER TABLE "Chats" DROP COLUMN "PhoneNumberReversed";""");
        }
    }
}
