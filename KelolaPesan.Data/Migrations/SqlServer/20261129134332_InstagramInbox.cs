using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KelolaPesan.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class InstagramInbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                table: "CommentReplies",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastAttemptAt",
                table: "CommentReplies",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "NextAttemptAt",
                table: "CommentReplies",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_InstagramComments_WorkspaceId_CommentedAt",
                table: "InstagramComments",
                columns: new[] { "WorkspaceId", "CommentedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InstagramComments_WorkspaceId_CommenterId",
                table: "InstagramComments",
                columns: new[] { "WorkspaceId", "CommenterId" });

            migrationBuilder.CreateIndex(
                name: "IX_CommentReplies_Status_NextAttemptAt",
                table: "CommentReplies",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CommentReplies_WorkspaceId_LastAttemptAt",
                table: "CommentReplies",
                columns: new[] { "WorkspaceId", "LastAttemptAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_InstagramComments_WorkspaceId_CommentedAt",
                table: "InstagramComments");

            migrationBuilder.DropIndex(
                name: "IX_InstagramComments_WorkspaceId_CommenterId",
                table: "InstagramComments");

            migrationBuilder.DropIndex(
                name: "IX_CommentReplies_Status_NextAttemptAt",
                table: "CommentReplies");

            migrationBuilder.DropIndex(
                name: "IX_CommentReplies_WorkspaceId_LastAttemptAt",
                table: "CommentReplies");

            migrationBuilder.DropColumn(
                name: "Attempts",
                table: "CommentReplies");

            migrationBuilder.DropColumn(
                name: "LastAttemptAt",
                table: "CommentReplies");

            migrationBuilder.DropColumn(
                name: "NextAttemptAt",
                table: "CommentReplies");
        }
    }
}
