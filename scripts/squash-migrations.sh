#!/usr/bin/env bash
# Replaces every migration with one `Initial` per provider (SQLite, SQL Server, PostgreSQL), generated from the
# current model. Only before a release, or on a branch whose databases are recreated: an existing database that
# applied the old migrations cannot move to the new ones (delete KelolaPesan.Web/data in development).
# The SQLite FTS5 search tables and triggers are not part of EF's model: the SQLite Initial gets the two calls to
# Data/Inbox/SqliteInboxSearchSql added back by this script (MigrationTests checks the triggers exist).
set -euo pipefail

cd "$(dirname "$0")/.."

DATA=KelolaPesan.Data
PROVIDERS=(Sqlite SqlServer Postgres)

dotnet tool restore >/dev/null

for provider in "${PROVIDERS[@]}"; do
    rm -rf "$DATA/Migrations/$provider"
done

# One build without the old migrations; the three `migrations add` then reuse it (each looks up only its own
# context's snapshot, which no longer exists).
dotnet build "$DATA" -nologo -v quiet

for provider in "${PROVIDERS[@]}"; do
    dotnet ef migrations add Initial --no-build \
        --project "$DATA" --startup-project "$DATA" \
        --context "${provider}KelolaDbContext" --output-dir "Migrations/$provider"
done

initial=$(ls "$DATA"/Migrations/Sqlite/*_Initial.cs | grep -v Designer)
# The search objects after every table (Up), and dropped before the tables (Down).
perl -0pi -e 's/(\n        \}\n\n        \/\/\/ <inheritdoc \/>\n        protected override void Down\(MigrationBuilder migrationBuilder\)\n        \{\n)/\n            KelolaPesan.Data.Inbox.SqliteInboxSearchSql.Up(migrationBuilder);$1            KelolaPesan.Data.Inbox.SqliteInboxSearchSql.Down(migrationBuilder);\n\n/' "$initial"
if [[ $(grep -c 'SqliteInboxSearchSql\.\(Up\|Down\)(migrationBuilder)' "$initial") -ne 2 ]]; then
    echo "error: could not add the SqliteInboxSearchSql calls to $initial; add them by hand (end of Up, start of Down)." >&2
    exit 1
fi

echo "== squashed: $(ls "$DATA"/Migrations/*/*_Initial.cs | grep -v Designer | tr '\n' ' ')"
echo "   Build and run: dotnet test KelolaPesan.Tests --filter FullyQualifiedName~MigrationTests"
