using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KelolaPesan.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ContactAudienceOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Contacts_WorkspaceId_CreatedAt_Id",
                table: "Contacts",
                columns: new[] { "WorkspaceId", "CreatedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Contacts_WorkspaceId_CreatedAt_Id",
                table: "Contacts");
        }
    }
}
