using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KelolaPesan.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BroadcastOutlookAndQuietChats : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "BroadcastOnly",
                table: "Chats",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "CancelledCount",
                table: "Broadcasts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "PausedByUserId",
                table: "Broadcasts",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BroadcastOnly",
                table: "Chats");

            migrationBuilder.DropColumn(
                name: "CancelledCount",
                table: "Broadcasts");

            migrationBuilder.DropColumn(
                name: "PausedByUserId",
                table: "Broadcasts");
        }
    }
}
