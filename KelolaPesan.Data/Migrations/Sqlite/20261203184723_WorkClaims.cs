using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KelolaPesan.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WorkClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RecoveryLeaseUntil",
                table: "SendBudgets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ClaimToken",
                table: "InboundWebhookEvents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ClaimedUntil",
                table: "InboundWebhookEvents",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RecoveryLeaseUntil",
                table: "SendBudgets");

            migrationBuilder.DropColumn(
                name: "ClaimToken",
                table: "InboundWebhookEvents");

            migrationBuilder.DropColumn(
                name: "ClaimedUntil",
                table: "InboundWebhookEvents");
        }
    }
}
