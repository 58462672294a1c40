using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KelolaPesan.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SqlServerCorrectness : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Users_AgencyId_Username",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Users_TenantId_Username",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Segments_WorkspaceId_Name",
                table: "Segments");

            migrationBuilder.DropIndex(
                name: "IX_Labels_WorkspaceId_Name",
                table: "Labels");

            migrationBuilder.DropIndex(
                name: "IX_ContactLists_WorkspaceId_Name",
                table: "ContactLists");

            migrationBuilder.DropIndex(
                name: "IX_ContactFieldValues_FieldId_Value",
                table: "ContactFieldValues");

            migrationBuilder.AddColumn<string>(
                name: "NormalizedUsername",
                table: "Users",
                type: "TEXT",
                maxLength: 50,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "NormalizedName",
                table: "Segments",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "NormalizedName",
                table: "Labels",
                type: "TEXT",
                maxLength: 50,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "NormalizedName",
                table: "ContactLists",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ValuePrefix",
                table: "ContactFieldValues",
                type: "TEXT",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            // Fill the new normalised and prefix columns of existing rows before their indexes are built.
            migrationBuilder.Sql("UPDATE \"Users\" SET \"NormalizedUsername\" = upper(trim(\"Username\"));");
            migrationBuilder.Sql("UPDATE \"ContactLists\" SET \"NormalizedName\" = upper(trim(\"Name\"));");
            migrationBuilder.Sql("UPDATE \"Labels\" SET \"NormalizedName\" = upper(trim(\"Name\"));");
            migrationBuilder.Sql("UPDATE \"Segments\" SET \"NormalizedName\" = upper(trim(\"Name\"));");
            migrationBuilder.Sql("UPDATE \"ContactFieldValues\" SET \"ValuePrefix\" = substr(\"Value\", 1, 400);");

            migrationBuilder.CreateIndex(
                name: "IX_Users_AgencyId_NormalizedUsername",
                table: "Users",
                columns: new[] { "AgencyId", "NormalizedUsername" });

            migrationBuilder.CreateIndex(
                name: "IX_Users_TenantId_NormalizedUsername",
                table: "Users",
                columns: new[] { "TenantId", "NormalizedUsername" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Segments_WorkspaceId_NormalizedName",
                table: "Segments",
                columns: new[] { "WorkspaceId", "NormalizedName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Labels_WorkspaceId_NormalizedName",
                table: "Labels",
                columns: new[] { "WorkspaceId", "NormalizedName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactLists_WorkspaceId_NormalizedName",
                table: "ContactLists",
                columns: new[] { "WorkspaceId", "NormalizedName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactFieldValues_FieldId_ValuePrefix",
                table: "ContactFieldValues",
                columns: new[] { "FieldId", "ValuePrefix" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Users_AgencyId_NormalizedUsername",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Users_TenantId_NormalizedUsername",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Segments_WorkspaceId_NormalizedName",
                table: "Segments");

            migrationBuilder.DropIndex(
                name: "IX_Labels_WorkspaceId_NormalizedName",
                table: "Labels");

            migrationBuilder.DropIndex(
                name: "IX_ContactLists_WorkspaceId_NormalizedName",
                table: "ContactLists");

            migrationBuilder.DropIndex(
                name: "IX_ContactFieldValues_FieldId_ValuePrefix",
                table: "ContactFieldValues");

            migrationBuilder.DropColumn(
                name: "NormalizedUsername",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "NormalizedName",
                table: "Segments");

            migrationBuilder.DropColumn(
                name: "NormalizedName",
                table: "Labels");

            migrationBuilder.DropColumn(
                name: "NormalizedName",
                table: "ContactLists");

            migrationBuilder.DropColumn(
                name: "ValuePrefix",
                table: "ContactFieldValues");

            migrationBuilder.CreateIndex(
                name: "IX_Users_AgencyId_Username",
                table: "Users",
                columns: new[] { "AgencyId", "Username" });

            migrationBuilder.CreateIndex(
                name: "IX_Users_TenantId_Username",
                table: "Users",
                columns: new[] { "TenantId", "Username" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Segments_WorkspaceId_Name",
                table: "Segments",
                columns: new[] { "WorkspaceId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Labels_WorkspaceId_Name",
                table: "Labels",
                columns: new[] { "WorkspaceId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactLists_WorkspaceId_Name",
                table: "ContactLists",
                columns: new[] { "WorkspaceId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactFieldValues_FieldId_Value",
                table: "ContactFieldValues",
                columns: new[] { "FieldId", "Value" });
        }
    }
}
