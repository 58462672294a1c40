using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KelolaPesan.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SequencesEnrolSourceStepFiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "EnrolSource",
                table: "Sequences",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "EnrolSourceId",
                table: "Sequences",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Source",
                table: "SequenceEnrollments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "SourceId",
                table: "SequenceEnrollments",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EnrolSource",
                table: "Sequences");

            migrationBuilder.DropColumn(
                name: "EnrolSourceId",
                table: "Sequences");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "SequenceEnrollments");

            migrationBuilder.DropColumn(
                name: "SourceId",
                table: "SequenceEnrollments");
        }
    }
}
