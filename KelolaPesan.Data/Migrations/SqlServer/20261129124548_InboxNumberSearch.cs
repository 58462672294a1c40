using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KelolaPesan.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class InboxNumberSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PhoneNumberReversed",
                table: "Chats",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: true,
                computedColumnSql: "REVERSE([PhoneNumber])",
                stored: true);

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

            migrationBuilder.DropColumn(
                name: "PhoneNumberReversed",
                table: "Chats");
        }
    }
}
