using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KelolaPesan.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class InboxListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Chats_TenantId_LastMessageAt",
                table: "Chats");

            migrationBuilder.DropIndex(
                name: "IX_Chats_WorkspaceId_LastMessageAt",
                table: "Chats");

            migrationBuilder.CreateIndex(
                name: "IX_Messages_WorkspaceId_SentAt",
                table: "Messages",
                columns: new[] { "WorkspaceId", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Chats_TenantId_LastMessageAt_Id",
                table: "Chats",
                columns: new[] { "TenantId", "LastMessageAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Chats_WorkspaceId_LastMessageAt_Id",
                table: "Chats",
                columns: new[] { "WorkspaceId", "LastMessageAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Messages_WorkspaceId_SentAt",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Chats_TenantId_LastMessageAt_Id",
                table: "Chats");

            migrationBuilder.DropIndex(
                name: "IX_Chats_WorkspaceId_LastMessageAt_Id",
                table: "Chats");

            migrationBuilder.CreateIndex(
                name: "IX_Chats_TenantId_LastMessageAt",
                table: "Chats",
                columns: new[] { "TenantId", "LastMessageAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Chats_WorkspaceId_LastMessageAt",
                table: "Chats",
                columns: new[] { "WorkspaceId", "LastMessageAt" });
        }
    }
}
