"""Shared fixtures: a portal with a department site, columns and an editor."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.metadata
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govsites import testing

# --- test databases cloned from one migrated template ------------------------------------
#
# Migrating a test database costs 40-60 s of CPU (about 200 migrations and the post-migrate
# permissions), and pytest-django did it once per xdist worker and once per pytest run. Instead
# the first worker migrates a template database, the others wait for it, and each worker
# copies it: SQLite's backup API for a file, PostgreSQL's CREATE DATABASE ... TEMPLATE. The
# template is named by a fingerprint of everything that decides its contents (migrations,
# post-migrate receivers, data files, settings, installed packages: every file of govsites
# outside tests/), so a later run (CI's run without the optional tools) reuses it while
# nothing changed and builds a new one when anything did. GOVSITES_TEST_DB_TEMPLATE=0, or
# --reuse-db / --nomigrations, keeps pytest-django's own setup. docs/adr/0006-ci-time.md.

_PACKAGE_ROOT = Path(__file__).resolve().parent


def _template_fingerprint(settings_dict: dict[str, Any]) -> str:
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    for name, version in sorted({(d.metadata["Name"] or "", d.version)
                                 for d in importlib.metadata.distributions()}):
        digest.update(f"{name}=={version};".encode())
    engine = {k: settings_dict.get(k) for k in ("ENGINE", "HOST", "PORT", "USER", "OPTIONS")}
    digest.update(repr(sorted(engine.items(), key=str)).encode())
    for path in sorted(_PACKAGE_ROOT.rglob("*")):
        relative = path.relative_to(_PACKAGE_ROOT)
        if (not path.is_file() or "tests" in relative.parts or "__pycache__" in relative.parts
                or path.suffix in (".pyc", ".mo")):
            continue
        digest.update(str(relative).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sqlite_remove(name: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(name + suffix)


def _postgres_admin(connection: Any) -> Any:
    """A cursor on the server's maintenance database (outside any test database)."""
    return connection._nodb_cursor()


def _postgres_exists(connection: Any, name: str) -> bool:
    with _postgres_admin(connection) as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _build_template(connection: Any, template: str, verbosity: int) -> None:
    """Migrate a new database under a temporary name, then give it the template's name, so
    a template that exists is always complete (a build killed halfway leaves only junk)."""
    vendor = connection.vendor
    building = (template[:-len(".sqlite3")] + ".building.sqlite3" if vendor == "sqlite"
                else template + "_building")
    if vendor == "sqlite":
        _sqlite_remove(building)
    connection.settings_dict["TEST"]["NAME"] = building
    connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, keepdb=False)
    connection.close()
    if vendor == "sqlite":
        with contextlib.closing(sqlite3.connect(building)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("PRAGMA journal_mode=DELETE")
        os.replace(building, template)
        _sqlite_remove(building)
        for stale in Path(template).parent.glob("test-template-*.sqlite3"):
            if str(stale) != template:
                _sqlite_remove(str(stale))
    else:
        prefix = template.rsplit("_tpl_", 1)[0] + "_tpl_"
        with _postgres_admin(connection) as cursor:
            quote = connection.ops.quote_name
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                           [prefix.replace("_", "\\_") + "%"])
            for (stale,) in cursor.fetchall():
                if stale not in (template, building):
                    cursor.execute(f"DROP DATABASE IF EXISTS {quote(stale)} WITH (FORCE)")
            cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(template)}")


def _clone_template(connection: Any, template: str, target: str) -> None:
    if connection.vendor == "sqlite":
        _sqlite_remove(target)
        with contextlib.closing(sqlite3.connect(template)) as source, \
                contextlib.closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
        return
    quote = connection.ops.quote_name
    with _postgres_admin(connection) as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(template)}")


def _setup_from_template(alias: str, verbosity: int) -> tuple[Any, str, bool] | None:
    """Give `alias` a fresh copy of the migrated template; None when it cannot (then the
    caller migrates as usual). Returns Django's (connection, old name, destroy) triple."""
    from django.db import connections

    connection: Any = connections[alias]
    settings_dict = connection.settings_dict
    if settings_dict.get("TEST", {}).get("MIRROR") or settings_dict["TEST"].get("MIGRATE") is False:
        return None
    target = connection.creation._get_test_db_name()
    fingerprint = _template_fingerprint(settings_dict)
    if connection.vendor == "sqlite":
        if connection.creation.is_in_memory_db(target):
            return None
        template = str(Path(target).parent / f"test-template-{fingerprint}.sqlite3")
        lock = Path(target).parent / "test-template.lock"
        exists: Any = lambda: Path(template).is_file()  # noqa: E731
    elif connection.vendor == "postgresql":
        template = f"test_{settings_dict['NAME']}"[:40] + f"_tpl_{fingerprint}"
        lock = Path(tempfile.gettempdir()) / f"govsites-{template}.lock"
        exists = lambda: _postgres_exists(connection, template)  # noqa: E731
    else:
        return None
    old_name = settings_dict["NAME"]
    with _exclusive(lock):
        if not exists():
            if verbosity:
                print(f"\nMigrating the template test database {template} ...", flush=True)
            _build_template(connection, template, verbosity)
        _clone_template(connection, template, target)
    connection.close()
    settings_dict["TEST"]["NAME"] = target
    settings_dict["NAME"] = target
    connection.ensure_connection()
    return connection, old_name, True


@pytest.fixture(scope="session")
def django_db_setup(request: Any, django_test_environment: Any, django_db_blocker: Any,
                    django_db_use_migrations: bool, django_db_keepdb: bool,
                    django_db_createdb: bool, django_db_modify_db_settings: Any) -> Any:
    """pytest-django's django_db_setup, with each test database cloned from one template."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    verbosity = request.config.option.verbose
    aliases: Any
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    use_template = (django_db_use_migrations and not django_db_keepdb
                    and os.environ.get("GOVSITES_TEST_DB_TEMPLATE", "1") != "0"
                    and not serialized_aliases)
    if not use_template:
        # pytest-django's own fixture, unchanged.
        if not django_db_use_migrations:
            from pytest_django.fixtures import _disable_migrations
            _disable_migrations()
        with django_db_blocker.unblock():
            db_cfg = setup_databases(verbosity=verbosity, interactive=False, aliases=aliases,
                                     serialized_aliases=serialized_aliases,
                                     keepdb=django_db_keepdb and not django_db_createdb)
    else:
        db_cfg = []
        with django_db_blocker.unblock():
            rest: Any = []
            for alias in sorted(aliases):
                made = _setup_from_template(alias, verbosity)
                if made is None:
                    rest.append(alias)
                else:
                    db_cfg.append(made)
            if rest:
                db_cfg += setup_databases(verbosity=verbosity, interactive=False, aliases=rest,
                                          serialized_aliases=[])
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            try:
                teardown_databases(db_cfg, verbosity=verbosity)
            except Exception as exc:  # as pytest-django reports it
                request.node.warn(pytest.PytestWarning(
                    f"Error when trying to teardown test databases: {exc!r}"))


@pytest.fixture(autouse=True, scope="session")
def _report_connections_closed_in_a_transaction() -> Iterator[None]:
    """Print who closed a connection inside a transaction (its test then fails with "Cannot
    operate on a closed database" or a rollback error): the stack names the closer, which may
    be another thread or a finaliser running during a later test. The output shows with the
    failing test's captured stderr."""
    import threading
    import traceback

    from django.db.backends.base.base import BaseDatabaseWrapper

    original = BaseDatabaseWrapper.close

    def close(self: Any) -> None:
        if self.in_atomic_block and self.connection is not None:
            sys.stderr.write(f"[conftest] connection {self.alias!r} closed inside a transaction "
                             f"by thread {threading.current_thread().name!r}:\n"
                             + "".join(traceback.format_stack(limit=25)))
        original(self)

    BaseDatabaseWrapper.close = close  # type: ignore[method-assign]
    yield
    BaseDatabaseWrapper.close = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _remember_current_test(request: Any) -> Any:
    """Let testing.tools.require() check that its caller carries the optional_tool mark."""
    from govsites.testing import tools

    tools.current_test = request.node
    yield
    tools.current_test = None


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: a rolled-back test leaves none of its cached rows
    (registered hosts, the cluster's sites, a site's rendered chrome, the rule snapshots a
    transactional test's process kept) to the next."""
    from django.core.cache import cache

    from govsites.rules import resolve

    cache.clear()
    resolve.forget()


@pytest.fixture(autouse=True)
def _migration_data_after_a_flush(request: Any) -> None:
    """A transactional test starts on whatever an earlier one left: Django flushes the tables
    after each, which removes the rows the data migrations made (Wagtail's root page and
    collection, the default locale). Put them back before a transactional test runs."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from govsites.testing.processes import ensure_page_tree

    ensure_page_tree()


@pytest.fixture
def portal(db: Any) -> Any:
    """示例市人民政府 portal, served at localhost."""
    return testing.make_site()


@pytest.fixture
def portal_home(portal: Any) -> Any:
    return portal.site.root_page.specific


@pytest.fixture
def department_site(portal: Any) -> Any:
    """示例市教育局, a department site under the portal's domain."""
    org = testing.make_organisation("示例市教育局", kind="department",
                                    parent=portal.host_organisation)
    return testing.make_site(name="示例市教育局", kind="department", organisation=org,
                             domain="jyj.shili.gov.cn", hostname="jyj.localhost",
                             portal=portal, is_default=False)


@pytest.fixture
def news_column(portal_home: Any) -> Any:
    return testing.make_column(portal_home, title="工作动态", column_type="工作动态")


@pytest.fixture
def policy_column(portal_home: Any) -> Any:
    return testing.make_column(portal_home, title="政策文件", column_type="政策文件")


@pytest.fixture
def superuser_client(client: Any, django_user_model: Any) -> Any:
    """A test client logged into the admin as a superuser who has passed two-factor."""
    user = django_user_model.objects.create_superuser(
        "chief", password="Chief@2026x", real_name="总编", mobile="13900000000")
    return testing.login_verified(client, user)


# --- which tests also run on PostgreSQL (CI's PostgreSQL leg: -m postgres) ------------------
#
# Every test runs on SQLite. CI runs on PostgreSQL the tests that exercise a code path whose
# behaviour can differ there (docs/adr/0006-ci-time.md says why each is here): the collection
# hook below marks them `postgres`. A test outside these rules that needs PostgreSQL coverage
# carries @pytest.mark.postgres (or postgres_only) itself.

#: Whole apps whose own code differs by database: core (the audit chain's row locks, the
#: outbox, singleton and periodic-job locks every write goes through), search (FTS5 against
#: tsvector, Wagtail's two backends), deployment (backup/restore with pg_dump or SQLite's
#: online backup, health checks, the replica router, the scheduler lock).
POSTGRES_APPS = ("core", "search", "deployment")

#: Single test files, with the path they cover.
POSTGRES_FILES = {
    # raw multi-row INSERT fast path (explicit ids refused on PostgreSQL), batch row locks
    "content/tests/test_import_fast_path.py", "content/tests/test_import_runs.py",
    "content/tests/test_bulk_import.py", "content/tests/test_index_numbers.py",
    # bulk SQL builder, query plans, publishing under killed processes and at scale
    "publishing/tests/test_killed_processes.py", "publishing/tests/test_publish_at_scale.py",
    "publishing/tests/test_atomic_and_variants.py", "disclosure/tests/test_catalogue_page.py",
    # JSON key lookups on the audit records' details
    "accounts/tests/test_login_abuse.py", "accounts/tests/test_two_factor.py",
    # threads or processes sharing the database: locks and commits seen across connections
    "interaction/tests/test_hotline.py", "monitoring/tests/test_inspect_command.py",
    "config/tests/test_hosts_and_headers.py",
    # the production start on PostgreSQL (its checks, the migrations' state)
    "config/tests/test_production_settings.py",
}

#: Words in a test's name that say it is about concurrency, locking or transactions.
POSTGRES_WORDS = ("concurren", "race", "lock", "parallel", "at once", "at_once", "same_time",
                  "simultaneous", "deadlock", "transaction", "rollback", "atomic", "twice",
                  "duplicate", "order")


def _runs_on_postgres(item: Any) -> bool:
    path = Path(str(item.fspath)).resolve()
    if path.is_relative_to(_PACKAGE_ROOT):
        relative = path.relative_to(_PACKAGE_ROOT).as_posix()
        if relative.split("/", 1)[0] in POSTGRES_APPS or relative in POSTGRES_FILES:
            return True
    if item.get_closest_marker("postgres_only"):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction")
                               or marker.kwargs.get("reset_sequences")):
        return True
    if {"transactional_db", "live_server", "django_db_serialized_rollback"} & set(
            getattr(item, "fixturenames", ())):
        return True
    name = item.name.lower()
    return any(word in name for word in POSTGRES_WORDS)


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    for item in items:
        if not item.get_closest_marker("postgres") and _runs_on_postgres(item):
            item.add_marker(pytest.mark.postgres)
