using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KelolaPesan.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BroadcastsEngine : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "FailureStreak",
                table: "SendBudgets",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "NeedsRecovery",
                table: "SendBudgets",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "SequenceStepId",
                table: "Broadcasts",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FailureStreak",
                table: "SendBudgets");

            migrationBuilder.DropColumn(
                name: "NeedsRecovery",
                table: "SendBudgets");

            migrationBuilder.DropColumn(
                name: "SequenceStepId",
                table: "Broadcasts");
        }
    }
}
