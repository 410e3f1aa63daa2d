"""The title and 文号/索引号 terms in a tsvector of their own, with its own GIN index (PostgreSQL).

A search ranks the newest title matches first among its candidates. On PostgreSQL they were
the matches of the whole tsvector restricted to weights A and B (`'word':AB`); a weighted
query makes the GIN index recheck every candidate against the stored vector, which PostgreSQL
must read back from its TOAST storage, body terms and all: at 100,000 documents 0.5 s of a
search on common characters, at 1,000,000 five seconds (docs/search.md). This column holds the
same terms as weights A and B, so the same documents match, without weights and without the
recheck. SQLite is unchanged (its title index is the FTS5 table of migration 0005).
"""

from django.db import migrations

TABLE = "govsites_search_searchdocument"

FORWARD = [
    f"ALTER TABLE {TABLE} ADD COLUMN title_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, terms_title) || "
    "to_tsvector('simple'::regconfig, terms_ids)) STORED",
    f"CREATE INDEX {TABLE}_title_vector ON {TABLE} USING gin (title_vector)",
]
BACKWARD = [f"DROP INDEX IF EXISTS {TABLE}_title_vector",
            f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS title_vector"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("govsites_search", "0005_title_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
