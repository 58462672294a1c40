using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KelolaPesan.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class CommentAutomationAllComments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AllComments",
                table: "CommentAutomations",
                type: "bit",
                nullable: false,
                defaultValue: false);

            // An empty keyword list used to answer every comment: such automations keep doing so, now by explicit choice.
            migrationBuilder.Sql("UPDATE [CommentAutomations] SET [AllComments] = 1 WHERE [Keywords] = N''");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AllComments",
                table: "CommentAutomations");
        }
    }
}
