using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KelolaPesan.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class WorkClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RecoveryLeaseUntil",
                table: "SendBudgets",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ClaimToken",
                table: "InboundWebhookEvents",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ClaimedUntil",
                table: "InboundWebhookEvents",
                type: "datetimeoffset",
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
