using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KelolaPesan.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class BroadcastRecipientSentIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_BroadcastRecipients_WorkspaceId_ExternalMessageId",
                table: "BroadcastRecipients");

            migrationBuilder.CreateIndex(
                name: "IX_BroadcastRecipients_WorkspaceId_ExternalMessageId",
                table: "BroadcastRecipients",
                columns: new[] { "WorkspaceId", "ExternalMessageId" },
                filter: "\"ExternalMessageId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_BroadcastRecipients_WorkspaceId_ExternalMessageId",
                table: "BroadcastRecipients");

            migrationBuilder.CreateIndex(
                name: "IX_BroadcastRecipients_WorkspaceId_ExternalMessageId",
                table: "BroadcastRecipients",
                columns: new[] { "WorkspaceId", "ExternalMessageId" });
        }
    }
}
