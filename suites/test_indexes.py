"""The model index reference (ref/models/indexes): what each backend does with the index options it names.

The checks share one table (suites/shared.py) with a name, a code, a flag, a time and an IP address (a
GenericIPAddressField: inet on PostgreSQL); each adds one index to it with Django's schema editor, as the
AddIndex migration operation does (``add_index``, which leaves out an index the backend cannot create, as
creating a model does), then reads the table's indexes back (Django's introspection, ``get_constraints``).
"Sent" says whether the CREATE INDEX statement Django ran carries the option: an option Django ignores on a
backend is left out of it.

- ``indexes.functional``: whether Index(Lower("name")) exists afterwards, or the error.
- ``indexes.functional_concat``: whether Index(Concat("name", "code")) exists afterwards, or the error.
- ``indexes.functional_non_deterministic``: what adding Index(Random()) does ("ok" or the error).
- ``indexes.descending``: the order introspection reads for Index(fields=["-name"]) ("DESC" or "ASC"; not
  applicable where the backend's introspection reports no orders).
- ``indexes.opclasses``: adding Index(fields=["name"], opclasses=["varchar_pattern_ops"]): "ok" or the error,
  and whether the operator class was sent.
- ``indexes.condition``: adding Index(fields=["code"], condition=Q(flag=True)): "ok" or the error, and
  whether the WHERE clause was sent.
- ``indexes.include``: adding Index(fields=["name"], include=["code"]): "ok" or the error, and whether the
  INCLUDE clause was sent.
- ``indexes.condition_immutable``: adding Index(fields=["code"]) with condition=Q(stamp__lte=Now()) (the time
  compared with Now()), with condition=Q(stamp__hour=10) (the hour extracted from the time) and with
  condition=Q(name=Concat("code", "code")): "ok" or the error, for each.
- ``indexes.include_gist``: adding django.contrib.postgres's GistIndex(fields=["address"],
  opclasses=["inet_ops"], include=["code"]) (inet_ops: PostgreSQL's built-in GiST operator class for inet, so
  that no extension is needed): "ok" or the error, and whether the INCLUDE clause was sent.
- ``indexes.include_spgist``: the same for SpGistIndex(fields=["address"], include=["code"]) (inet_ops is
  SP-GiST's default operator class for inet).

django.contrib.postgres's index classes are imported on every backend (their module needs no PostgreSQL
driver); where they cannot be imported the check is not applicable, saying why.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from harness.checks import CheckRecorder
from suites.models import check_model
from suites.shared import SharedTables, shared_fixture, statements_of

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Model

MODELS: dict[str, type[Model]] = {}


def _table() -> type[Model]:
    from django.db import models

    if "table" not in MODELS:
        MODELS["table"] = check_model(
            "IndexedThings",
            {
                "name": models.CharField(max_length=50),
                "code": models.CharField(max_length=20),
                "flag": models.BooleanField(default=False),
                "stamp": models.DateTimeField(null=True),
                "address": models.GenericIPAddressField(null=True),
            },
        )
    return MODELS["table"]


SHARED = SharedTables("the table the index checks share", lambda: [_table()], lambda: None)


@pytest.fixture(scope="module")
def shared_tables() -> Iterator[SharedTables]:
    yield from shared_fixture(SHARED)


@pytest.fixture
def table(check: CheckRecorder, shared_tables: SharedTables) -> type[Model]:
    shared_tables.ready(check)
    return _table()


def add(check: CheckRecorder, model: type[Model], index: Any) -> tuple[str, list[str]]:
    """Add the index with Django's schema editor: "ok" or the error, and the statements that ran."""
    from django.db import connection

    def run() -> None:
        with connection.schema_editor() as editor:
            editor.add_index(model, index)

    added, statements = statements_of(check, run)
    return ("ok" if added is None else str(added)), [sql for sql in statements if "INDEX" in sql.upper()]


def found(connection: BaseDatabaseWrapper, model: type[Model], name: str) -> dict[str, Any] | None:
    with connection.cursor() as cursor:
        constraints: dict[str, dict[str, Any]] = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return constraints.get(name)


def exists_after(check: CheckRecorder, connection: BaseDatabaseWrapper, table: type[Model], index: Any) -> object:
    added, _ = add(check, table, index)
    if added != "ok":
        return added
    with check.step("read the table's indexes"):
        return found(connection, table, index.name) is not None


@pytest.mark.check("indexes.functional")
def test_functional(check: CheckRecorder, connection: BaseDatabaseWrapper, table: type[Model]) -> None:
    from django.db.models import Index
    from django.db.models.functions import Lower

    check.flag("supports_expression_indexes", connection.features.supports_expression_indexes)
    check.observe(exists_after(check, connection, table, Index(Lower("name"), name="dbc_idx_lower")))


@pytest.mark.check("indexes.functional_concat")
def test_functional_concat(check: CheckRecorder, connection: BaseDatabaseWrapper, table: type[Model]) -> None:
    from django.db.models import Index
    from django.db.models.functions import Concat

    check.observe(exists_after(check, connection, table, Index(Concat("name", "code"), name="dbc_idx_concat")))


@pytest.mark.check("indexes.functional_non_deterministic")
def test_functional_non_deterministic(check: CheckRecorder, table: type[Model]) -> None:
    from django.db.models import Index
    from django.db.models.functions import Random

    added, _ = add(check, table, Index(Random(), name="dbc_idx_random"))
    check.observe(added)


@pytest.mark.check("indexes.descending")
def test_descending(check: CheckRecorder, connection: BaseDatabaseWrapper, table: type[Model]) -> None:
    from django.db.models import Index

    added, _ = add(check, table, Index(fields=["-name"], name="dbc_idx_desc"))
    if added != "ok":
        check.observe(added)
        return
    with check.step("read the table's indexes"):
        info = found(connection, table, "dbc_idx_desc")
    check.flag("supports_index_column_ordering", connection.features.supports_index_column_ordering)
    if info is not None and "orders" not in info:
        check.not_applicable("This backend's introspection does not report the order of an index's columns.")
    check.observe(info.get("orders") if info is not None else None)


def sent(check: CheckRecorder, table: type[Model], index: Any, clause: str) -> dict[str, Any]:
    added, statements = add(check, table, index)
    return {"added": added, "sent": any(clause in sql for sql in statements)}


@pytest.mark.check("indexes.opclasses")
def test_opclasses(check: CheckRecorder, table: type[Model]) -> None:
    from django.db.models import Index

    index = Index(fields=["name"], name="dbc_idx_opclass", opclasses=["varchar_pattern_ops"])
    check.observe(sent(check, table, index, "varchar_pattern_ops"))


@pytest.mark.check("indexes.condition")
def test_condition(check: CheckRecorder, connection: BaseDatabaseWrapper, table: type[Model]) -> None:
    from django.db.models import Index, Q

    check.flag("supports_partial_indexes", connection.features.supports_partial_indexes)
    check.observe(sent(check, table, Index(fields=["code"], name="dbc_idx_partial", condition=Q(flag=True)), " WHERE "))


@pytest.mark.check("indexes.include")
def test_include(check: CheckRecorder, connection: BaseDatabaseWrapper, table: type[Model]) -> None:
    from django.db.models import Index

    check.flag("supports_covering_indexes", connection.features.supports_covering_indexes)
    check.observe(sent(check, table, Index(fields=["name"], name="dbc_idx_include", include=["code"]), " INCLUDE "))


@pytest.mark.check("indexes.condition_immutable")
def test_condition_immutable(check: CheckRecorder, connection: BaseDatabaseWrapper, table: type[Model]) -> None:
    from django.db.models import Index, Q
    from django.db.models.functions import Concat, Now

    check.flag("supports_partial_indexes", connection.features.supports_partial_indexes)
    conditions = {
        "Q(stamp__lte=Now())": Index(fields=["code"], name="dbc_idx_now", condition=Q(stamp__lte=Now())),
        "Q(stamp__hour=10)": Index(fields=["code"], name="dbc_idx_hour", condition=Q(stamp__hour=10)),
        "Q(name=Concat('code', 'code'))": Index(
            fields=["code"], name="dbc_idx_cond_concat", condition=Q(name=Concat("code", "code"))
        ),
    }
    check.observe({condition: add(check, table, index)[0] for condition, index in conditions.items()})


def postgres_index(check: CheckRecorder, name: str) -> Any:
    """A django.contrib.postgres index class; the check is not applicable where its module cannot be imported."""
    import importlib

    try:
        return getattr(importlib.import_module("django.contrib.postgres.indexes"), name)
    except ImportError as exc:
        check.not_applicable(f"django.contrib.postgres.indexes cannot be imported in this environment ({exc}).")


@pytest.mark.check("indexes.include_gist")
def test_include_gist(check: CheckRecorder, connection: BaseDatabaseWrapper, table: type[Model]) -> None:
    gist_index = postgres_index(check, "GistIndex")
    index = gist_index(fields=["address"], name="dbc_idx_gist", opclasses=["inet_ops"], include=["code"])
    check.flag("supports_covering_indexes", connection.features.supports_covering_indexes)
    check.observe(sent(check, table, index, " INCLUDE "))


@pytest.mark.check("indexes.include_spgist")
def test_include_spgist(check: CheckRecorder, connection: BaseDatabaseWrapper, table: type[Model]) -> None:
    spgist_index = postgres_index(check, "SpGistIndex")
    index = spgist_index(fields=["address"], name="dbc_idx_spgist", include=["code"])
    check.flag("supports_covering_indexes", connection.features.supports_covering_indexes)
    check.observe(sent(check, table, index, " INCLUDE "))
