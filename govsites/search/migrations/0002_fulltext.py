"""The full-text index over SearchDocument: FTS5 (SQLite) or a weighted tsvector (PostgreSQL)."""

from django.db import migrations

TABLE = "govsites_search_searchdocument"
FTS = f"{TABLE}_fts"
COLUMNS = "terms_title, terms_ids, terms_body"

SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5({COLUMNS}, content='{TABLE}', "
    "content_rowid='page_id', tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER {TABLE}_ai AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES "
    "(new.page_id, new.terms_title, new.terms_ids, new.terms_body); END",
    f"CREATE TRIGGER {TABLE}_ad AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) VALUES "
    "('delete', old.page_id, old.terms_title, old.terms_ids, old.terms_body); END",
    f"CREATE TRIGGER {TABLE}_au AFTER UPDATE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) VALUES "
    "('delete', old.page_id, old.terms_title, old.terms_ids, old.terms_body); "
    f"INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES "
    "(new.page_id, new.terms_title, new.terms_ids, new.terms_body); END",
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {TABLE}_{s}" for s in ("ai", "ad", "au")] + [
    f"DROP TABLE IF EXISTS {FTS}"]
POSTGRES_FORWARD = [
    f"ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, terms_title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, terms_ids), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, terms_body), 'D')) STORED",
    f"CREATE INDEX {TABLE}_vector ON {TABLE} USING gin (search_vector)",
]
POSTGRES_BACKWARD = [f"DROP INDEX IF EXISTS {TABLE}_vector",
                     f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("govsites_search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
