"""A second FTS5 index over the title and 文号/索引号 terms only (SQLite).

A search ranks the newest title matches first among its candidates. Asked of the whole index
with a column filter, that read every matching document's entry of each query word, body
matches included, to find the few whose title matched: at 1,000,000 documents a quarter of a
search. Titles are short, so this index's posting lists are a fraction of the whole index's.
It is kept by its own triggers and built from the documents; PostgreSQL is unchanged (its
title matches are the tsvector's weights A and B).
"""

from django.db import migrations

TABLE = "govsites_search_searchdocument"
TITLES = f"{TABLE}_fts_titles"
COLUMNS = "terms_title, terms_ids"

FORWARD = [
    f"CREATE VIRTUAL TABLE {TITLES} USING fts5({COLUMNS}, content='{TABLE}', "
    "content_rowid='page_id', tokenize='unicode61 remove_diacritics 0', detail=column)",
    f"CREATE TRIGGER {TABLE}_ai_titles AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {TITLES}(rowid, {COLUMNS}) VALUES (new.page_id, new.terms_title, "
    "new.terms_ids); END",
    f"CREATE TRIGGER {TABLE}_ad_titles AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {TITLES}({TITLES}, rowid, {COLUMNS}) VALUES ('delete', old.page_id, "
    "old.terms_title, old.terms_ids); END",
    f"CREATE TRIGGER {TABLE}_au_titles AFTER UPDATE ON {TABLE} BEGIN "
    f"INSERT INTO {TITLES}({TITLES}, rowid, {COLUMNS}) VALUES ('delete', old.page_id, "
    "old.terms_title, old.terms_ids); "
    f"INSERT INTO {TITLES}(rowid, {COLUMNS}) VALUES (new.page_id, new.terms_title, "
    "new.terms_ids); END",
    f"INSERT INTO {TITLES}({TITLES}) VALUES ('rebuild')",
]
BACKWARD = [f"DROP TRIGGER IF EXISTS {TABLE}_{s}_titles" for s in ("ai", "ad", "au")] + [
    f"DROP TABLE IF EXISTS {TITLES}"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("govsites_search", "0004_fts_detail_column")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
