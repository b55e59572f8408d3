"""The QuerySet API reference (ref/models/querysets): what each backend does with what its caveats name.

The checks share one set of tables (suites/shared.py): items named "Fred", "fred", "Émile" and "alfred"
(ids 1 to 4) with ranks 1, NULL, 2, NULL, n 1, 1, 2, 2, flags a/b/c true for 1, 2 and 3 of them (rows 1,
2, 3; row 4 none), row 1 at 2024-01-15 23:30 UTC; a tag on row 1; unique codes ("a", "old", 1); ranks 1, 2
and 3 in a unique column; rows for bulk inserts; JSON rows. A check that writes does so in a transaction
that is rolled back.

- ``querysets.distinct_on_fields``: the ids ``distinct("n")`` (ordered by n, id) returns, or the error.
- ``querysets.values_json_keywords``: what ``values()`` and ``values_list()`` give for JSON keys holding the
  strings "true", "false" and "null".
- ``querysets.datetimes_time_zone``: the days ``datetimes("at", "day", tzinfo=Europe/Paris)`` gives for 23:30 UTC
  (not applicable where Django says the server's time zone tables are not loaded, as the docs require).
- ``querysets.select_for_update_window``: what ``select_for_update()`` with a Window annotation does.
- ``querysets.select_for_update_of_join``: what ``select_for_update(of=("self",))`` of a query that joins the
  tag's item (``select_related``) does ("ok" or the error); whether FOR UPDATE OF was sent is kept.
- ``querysets.xor``: the ids ``Q(a) ^ Q(b) ^ Q(c)`` matches (true for 1, 2 and 3 operands in rows 1, 2, 3),
  and whether Django sent the SQL XOR operator.
- ``querysets.bulk_create_sets_pk``: whether ``bulk_create()`` sets the primary keys of the objects.
- ``querysets.bulk_create_ignore_conflicts``: with ``ignore_conflicts=True`` and one duplicate code: the error
  (None), the rows there are afterwards, and whether any primary key was set.
- ``querysets.bulk_create_ignore_conflicts_null``: what ``ignore_conflicts=True`` does with a NULL for a
  column that may not be NULL ("ok" or the error).
- ``querysets.bulk_create_update_conflicts``: the value of the conflicting row after ``update_conflicts=True``
  with ``unique_fields``, or the error.
- ``querysets.bulk_create_update_conflicts_no_target``: the same without ``unique_fields``.
- ``querysets.bulk_create_batches``: how many INSERT statements ``bulk_create()`` of 1200 rows of two
  fields (2400 parameters) runs by default.
- ``querysets.bulk_update_batches``: how many UPDATE statements ``bulk_update()`` of 340 rows runs by default
  (1020 parameters; the rows are inserted by one INSERT in the backend's multi-row form,
  ``connection.ops.bulk_insert_sql()``).
- ``querysets.iterator_sees_later_writes``: while ``iterator(chunk_size=2)`` runs, rows 3 and 4, not yet read,
  are upper-cased on the same connection: the names the iteration reads for them.
- ``querysets.null_ordering``: the ranks ``order_by("rank")`` gives, and the rank of ``latest("rank")``.
- ``querysets.update_order_by``: what ``order_by("-rank").update(rank=F("rank") + 1)`` on a unique column
  does ("ok" or the error); whether Django sent the ORDER BY is kept with the result.
- ``querysets.update_order_by_sent``: whether Django sends that ORDER BY to the server.
- ``querysets.update_related_filter``: the statements ``update()`` filtered on a related table runs.
- ``querysets.explain``: what ``explain()`` does ("ok" or the error).
- ``querysets.explain_formats``: for each of TEXT, TRADITIONAL, JSON, YAML, XML and TREE, what
  ``explain(format=...)`` does.
- ``querysets.explain_default_tree``: whether ``explain()`` with no format gives what ``format="TREE"`` gives.
- ``querysets.explain_analyze``: what ``explain(analyze=True)`` does.
- ``querysets.explain_generic_plan``: what ``explain(generic_plan=True)`` does.
- ``querysets.explain_memory_serialize``: what ``explain(memory=True)`` does, and ``explain(analyze=True,
  serialize="text")`` (PostgreSQL takes SERIALIZE only with ANALYZE).
- ``querysets.like_lookups_ignore_case``: whether ``startswith="FR"`` and ``endswith="RED"`` find anything.
- ``querysets.regex_case``: whether ``regex`` and ``iregex`` of "^FRED$" find "Fred".
- ``querysets.regex_python_syntax``: whether a regex in Python's syntax (a named group) finds "Fred".
- ``querysets.aggregate_datetime``: what Max() and Sum() of a DateTimeField do.
- ``querysets.any_value``: what ``AnyValue()`` does (Django 6.0+).
- ``querysets.any_value_only_full_group_by``: with ONLY_FULL_GROUP_BY added to the session's SQL mode where the
  server has one, what the docs' aggregation does ("ok" or the error): ``values(top=Greatest("n", 1))`` annotated
  with ``Count("id")`` and ``F("top") / F("count")``, then averaged, without AnyValue and with
  ``AnyValue(F("top"))`` (Django 6.0+).
- ``querysets.bit_aggregate_default``: what ``BitAnd(default=0)`` of no rows gives (Django 6.1+).
- ``querysets.string_agg_distinct``: what ``StringAgg(distinct=True)`` does with the delimiters "," and ";"
  (Django 6.1+).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from harness.checks import CheckRecorder
from suites.models import BulkRow, Item, ItemTag, JsonRow, Ranked, UniqueCode
from suites.outcomes import outcome_of, value_or_error
from suites.shared import SharedTables, first_word, optional, rolled_back, shared_fixture, statements_of

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.backends import Backend

AT = datetime(2024, 1, 15, 23, 30, tzinfo=UTC)
PARIS = "Europe/Paris"  # UTC+1 in January
FORMATS = ("TEXT", "TRADITIONAL", "JSON", "YAML", "XML", "TREE")


def _fill() -> None:
    rows = (
        (1, "Fred", 1, 1, True, False, False, AT),
        (2, "fred", None, 1, True, True, False, None),
        (3, "Émile", 2, 2, True, True, True, None),
        (4, "alfred", None, 2, False, False, False, None),
    )
    for pk, name, rank, n, a, b, c, at in rows:
        Item.objects.create(pk=pk, name=name, rank=rank, n=n, a=a, b=b, c=c, at=at)
    ItemTag.objects.create(item_id=1, label="x")
    UniqueCode.objects.create(code="a", value="old", count=1)
    for rank in (1, 2, 3):
        Ranked.objects.create(pk=rank, rank=rank)
    if json_supported():
        for label, value in (("true", "true"), ("false", "false"), ("null", "null")):
            JsonRow.objects.create(label=label, data={"k": value})


def json_supported() -> bool:
    from django.db import connection

    return bool(connection.features.supports_json_field)


SHARED = SharedTables(
    "the tables the QuerySet checks share, and their rows",
    lambda: [Item, ItemTag, UniqueCode, Ranked, BulkRow, *([JsonRow] if json_supported() else [])],
    _fill,
)


@pytest.fixture(scope="module")
def shared_tables() -> Iterator[SharedTables]:
    yield from shared_fixture(SHARED)


@pytest.fixture
def items(check: CheckRecorder, shared_tables: SharedTables) -> None:
    shared_tables.ready(check)


@pytest.mark.check("querysets.distinct_on_fields")
def test_distinct_on_fields(check: CheckRecorder, items: None) -> None:
    queryset = Item.objects.order_by("n", "id").distinct("n").values_list("id", flat=True)
    check.observe(value_or_error(lambda: list(queryset)))


@pytest.mark.check("querysets.values_json_keywords")
def test_values_json_keywords(check: CheckRecorder, connection: BaseDatabaseWrapper, items: None) -> None:
    if not connection.features.supports_json_field:
        check.not_applicable("Django reports no JSON support on this backend (supports_json_field is False).")
    ordered = JsonRow.objects.order_by("label")  # false, null, true
    check.observe(
        {
            "values": value_or_error(lambda: [row["data__k"] for row in ordered.values("data__k")]),
            "values_list": value_or_error(lambda: list(ordered.values_list("data__k", flat=True))),
        }
    )


@pytest.mark.check("querysets.datetimes_time_zone")
def test_datetimes_time_zone(check: CheckRecorder, connection: BaseDatabaseWrapper, items: None) -> None:
    # Django's MySQL backend says whether the server's time zone tables are loaded, which its docs require.
    loaded = getattr(connection.features, "has_zoneinfo_database", True)
    check.flag("has_zoneinfo_database", loaded)
    if not loaded:
        check.not_applicable(
            "Django reports the server's time zone tables are not loaded (has_zoneinfo_database is False), "
            "which the docs require for datetimes() in a time zone."
        )
    days = value_or_error(
        lambda: [
            value.date().isoformat() if value is not None else None
            for value in Item.objects.filter(pk=1).datetimes("at", "day", tzinfo=ZoneInfo(PARIS))
        ]
    )
    check.note("at", AT.isoformat())
    check.observe(days)


@pytest.mark.check("querysets.select_for_update_window")
def test_select_for_update_window(check: CheckRecorder, items: None) -> None:
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    queryset = Item.objects.select_for_update().annotate(row=Window(RowNumber(), order_by=F("id").asc()))
    with rolled_back(check):
        observed = outcome_of(lambda: list(queryset))
    check.observe(observed)


@pytest.mark.check("querysets.select_for_update_of_join")
def test_select_for_update_of_join(check: CheckRecorder, items: None) -> None:
    queryset = ItemTag.objects.select_related("item").select_for_update(of=("self",))
    with rolled_back(check):
        observed, statements = statements_of(check, lambda: list(queryset))
    check.note("FOR UPDATE OF sent", any(" FOR UPDATE OF " in sql for sql in statements))
    check.observe("ok" if isinstance(observed, list) else observed)


@pytest.mark.check("querysets.xor")
def test_xor(check: CheckRecorder, items: None) -> None:
    from django.db.models import Q

    queryset = Item.objects.filter(Q(a=True) ^ Q(b=True) ^ Q(c=True)).order_by("id").values_list("id", flat=True)
    ids, statements = statements_of(check, lambda: list(queryset))
    check.observe({"ids": ids, "XOR sent": any(" XOR " in sql for sql in statements)})


@pytest.mark.check("querysets.bulk_create_sets_pk")
def test_bulk_create_sets_pk(check: CheckRecorder, connection: BaseDatabaseWrapper, items: None) -> None:
    objects = [BulkRow(name=name) for name in "abc"]
    with rolled_back(check):
        created = outcome_of(lambda: BulkRow.objects.bulk_create(objects))
    check.flag("can_return_rows_from_bulk_insert", connection.features.can_return_rows_from_bulk_insert)
    check.observe(created if created != "ok" else [obj.pk is not None for obj in objects])


@pytest.mark.check("querysets.bulk_create_ignore_conflicts")
def test_bulk_create_ignore_conflicts(check: CheckRecorder, items: None) -> None:
    objects = [UniqueCode(code="a", value="new", count=2), UniqueCode(code="b", value="new", count=2)]
    with rolled_back(check):
        raised = outcome_of(lambda: UniqueCode.objects.bulk_create(objects, ignore_conflicts=True))
        with check.step("count the rows"):
            rows = UniqueCode.objects.count() if raised == "ok" else None
    observed: dict[str, Any] = {"raised": None if raised == "ok" else raised, "rows": rows}
    observed["pk set"] = any(obj.pk is not None for obj in objects)
    check.observe(observed)


@pytest.mark.check("querysets.bulk_create_ignore_conflicts_null")
def test_bulk_create_ignore_conflicts_null(check: CheckRecorder, items: None) -> None:
    with rolled_back(check):
        inserted = outcome_of(
            lambda: UniqueCode.objects.bulk_create([UniqueCode(code="n", value="x", count=None)], ignore_conflicts=True)
        )
        if inserted == "ok":
            with check.step("read back the count of the row inserted"):
                check.note("count stored", UniqueCode.objects.filter(code="n").values_list("count", flat=True).first())
    check.observe(inserted)


def _upsert(check: CheckRecorder, **unique: Any) -> str | None:
    with rolled_back(check):
        upserted = outcome_of(
            lambda: UniqueCode.objects.bulk_create(
                [UniqueCode(code="a", value="new", count=2)], update_conflicts=True, update_fields=["value"], **unique
            )
        )
        if upserted != "ok":
            return upserted
        with check.step("read the conflicting row's value"):
            value: str | None = UniqueCode.objects.get(code="a").value
    return value


@pytest.mark.check("querysets.bulk_create_update_conflicts")
def test_bulk_create_update_conflicts(check: CheckRecorder, items: None) -> None:
    check.observe(_upsert(check, unique_fields=["code"]))


@pytest.mark.check("querysets.bulk_create_update_conflicts_no_target")
def test_bulk_create_update_conflicts_no_target(check: CheckRecorder, items: None) -> None:
    check.observe(_upsert(check))


def _count(check: CheckRecorder, verb: str, action: Callable[[], object]) -> int | str:
    """How many statements of ``verb`` the action ran, or the class of what it raised."""

    def run() -> None:
        action()

    done, statements = statements_of(check, run)
    return done if isinstance(done, str) else sum(first_word(sql) == verb for sql in statements)


@pytest.mark.check("querysets.bulk_create_batches")
def test_bulk_create_batches(check: CheckRecorder, items: None) -> None:
    objects = [BulkRow(name=f"r{i}", n=i) for i in range(1200)]
    with rolled_back(check):
        observed = _count(check, "INSERT", lambda: BulkRow.objects.bulk_create(objects))
    check.note("parameters", 2400)
    check.observe(observed)


@pytest.mark.check("querysets.bulk_update_batches")
def test_bulk_update_batches(check: CheckRecorder, connection: BaseDatabaseWrapper, items: None) -> None:
    table = connection.ops.quote_name(BulkRow._meta.db_table)
    name, n = connection.ops.quote_name("name"), connection.ops.quote_name("n")
    with rolled_back(check):
        # One INSERT of the 340 rows, in the backend's own multi-row form (not bulk_create(), which is observed).
        fields = [BulkRow._meta.get_field("name"), BulkRow._meta.get_field("n")]
        rows_sql = connection.ops.bulk_insert_sql(fields, [["%s", "%s"]] * 340)
        with check.step("insert 340 rows"), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({name}, {n}) {rows_sql}", [v for i in range(340) for v in (f"u{i}", i)]
            )
        with check.step("read the 340 rows"):
            objects = list(BulkRow.objects.all())
        for obj in objects:
            obj.name = obj.name.upper()
        observed = _count(check, "UPDATE", lambda: BulkRow.objects.bulk_update(objects, ["name"]))
    check.observe(observed)


@pytest.mark.check("querysets.iterator_sees_later_writes")
def test_iterator_sees_later_writes(check: CheckRecorder, connection: BaseDatabaseWrapper, items: None) -> None:
    from django.db.models.functions import Upper

    def iterate() -> list[str]:
        names = Item.objects.order_by("id").values_list("name", flat=True).iterator(chunk_size=2)
        read = [next(names)]
        # Rows 3 and 4 have not been read yet: change them on the same connection.
        Item.objects.filter(pk__gte=3).update(name=Upper("name"))
        read.extend(names)
        return read

    with rolled_back(check):
        read = value_or_error(iterate)
    check.flag("can_use_chunked_reads", connection.features.can_use_chunked_reads)
    if isinstance(read, str):
        check.observe(read)
        return
    check.note("names read", read)
    check.observe(read[2:])


@pytest.mark.check("querysets.null_ordering")
def test_null_ordering(check: CheckRecorder, items: None) -> None:
    check.observe(
        {
            "order_by": list(Item.objects.order_by("rank", "id").values_list("rank", flat=True)),
            "latest": value_or_error(lambda: Item.objects.latest("rank").rank),
        }
    )


def _update_in_order(check: CheckRecorder) -> tuple[str, bool]:
    from django.db.models import F

    with rolled_back(check):
        updated, statements = statements_of(check, lambda: Ranked.objects.order_by("-rank").update(rank=F("rank") + 1))
    sent = any(first_word(sql) == "UPDATE" and "ORDER BY" in sql for sql in statements)
    return ("ok" if isinstance(updated, int) else updated), sent


@pytest.mark.check("querysets.update_order_by")
def test_update_order_by(check: CheckRecorder, items: None) -> None:
    updated, sent = _update_in_order(check)
    check.note("ORDER BY sent", sent)
    check.observe(updated)


@pytest.mark.check("querysets.update_order_by_sent")
def test_update_order_by_sent(check: CheckRecorder, items: None) -> None:
    updated, sent = _update_in_order(check)
    check.note("update", updated)
    check.observe(sent)


@pytest.mark.check("querysets.update_related_filter")
def test_update_related_filter(check: CheckRecorder, connection: BaseDatabaseWrapper, items: None) -> None:
    from django.db.models import F

    with rolled_back(check):
        updated, statements = statements_of(check, lambda: Item.objects.filter(itemtag__label="x").update(n=F("n") + 1))
    check.flag("update_can_self_select", connection.features.update_can_self_select)
    check.observe([first_word(sql) for sql in statements] if isinstance(updated, int) else updated)


@pytest.mark.check("querysets.explain")
def test_explain(check: CheckRecorder, items: None) -> None:
    check.observe(outcome_of(lambda: Item.objects.filter(name="Fred").explain()))


@pytest.mark.check("querysets.explain_formats")
def test_explain_formats(check: CheckRecorder, connection: BaseDatabaseWrapper, items: None) -> None:
    queryset = Item.objects.filter(name="Fred")
    check.flag("supported_explain_formats", sorted(connection.features.supported_explain_formats))
    check.observe({name: outcome_of(lambda name=name: queryset.explain(format=name)) for name in FORMATS})  # type: ignore[misc]


@pytest.mark.check("querysets.explain_default_tree")
def test_explain_default_tree(check: CheckRecorder, items: None) -> None:
    queryset = Item.objects.filter(name="Fred")
    default = value_or_error(queryset.explain)
    tree = value_or_error(lambda: queryset.explain(format="TREE"))
    check.note("explain()", default[:500])
    check.observe(default == tree and not tree.startswith(("django.", "builtins.")))


@pytest.mark.check("querysets.explain_analyze")
def test_explain_analyze(check: CheckRecorder, items: None) -> None:
    check.observe(outcome_of(lambda: Item.objects.filter(name="Fred").explain(analyze=True)))


@pytest.mark.check("querysets.explain_generic_plan")
def test_explain_generic_plan(check: CheckRecorder, items: None) -> None:
    check.observe(outcome_of(lambda: Item.objects.filter(name="Fred").explain(generic_plan=True)))


@pytest.mark.check("querysets.explain_memory_serialize")
def test_explain_memory_serialize(check: CheckRecorder, items: None) -> None:
    queryset = Item.objects.filter(name="Fred")
    check.observe(
        {
            "memory": outcome_of(lambda: queryset.explain(memory=True)),
            "serialize": outcome_of(lambda: queryset.explain(analyze=True, serialize="text")),
        }
    )


@pytest.mark.check("querysets.like_lookups_ignore_case")
def test_like_lookups_ignore_case(check: CheckRecorder, items: None) -> None:
    check.observe(
        {
            "startswith": value_or_error(lambda: Item.objects.filter(name__startswith="FR").exists()),
            "endswith": value_or_error(lambda: Item.objects.filter(name__endswith="RED").exists()),
        }
    )


@pytest.mark.check("querysets.regex_case")
def test_regex_case(check: CheckRecorder, items: None) -> None:
    check.observe(
        {
            "regex": value_or_error(lambda: Item.objects.filter(name__regex="^FRED$").exists()),
            "iregex": value_or_error(lambda: Item.objects.filter(name__iregex="^FRED$").exists()),
        }
    )


@pytest.mark.check("querysets.regex_python_syntax")
def test_regex_python_syntax(check: CheckRecorder, items: None) -> None:
    check.observe(value_or_error(lambda: Item.objects.filter(name__regex=r"^(?P<first>F)red$").exists()))


@pytest.mark.check("querysets.aggregate_datetime")
def test_aggregate_datetime(check: CheckRecorder, items: None) -> None:
    from django.db.models import Max, Sum

    check.observe(
        {
            name: outcome_of(lambda function=function: Item.objects.aggregate(value=function("at")))  # type: ignore[misc]
            for name, function in (("Max", Max), ("Sum", Sum))
        }
    )


@pytest.mark.check("querysets.any_value")
def test_any_value(check: CheckRecorder, connection: BaseDatabaseWrapper, items: None) -> None:
    any_value = optional("AnyValue")
    if any_value is None:
        check.not_applicable("This Django has no AnyValue aggregate (added in Django 6.0).")
    check.flag("supports_any_value", connection.features.supports_any_value)
    observed = value_or_error(lambda: Item.objects.filter(pk=1).aggregate(some=any_value("name"))["some"])
    check.observe("ok" if observed == "Fred" else observed)


@pytest.mark.check("querysets.any_value_only_full_group_by")
def test_any_value_only_full_group_by(
    check: CheckRecorder, connection: BaseDatabaseWrapper, backend: Backend, items: None
) -> None:
    from django.db.models import Avg, Count, F, Value
    from django.db.models.functions import Greatest

    any_value = optional("AnyValue")
    if any_value is None:
        check.not_applicable("This Django has no AnyValue aggregate (added in Django 6.0).")
    mode = backend.only_full_group_by_sql()

    def aggregation(top: Any) -> Any:
        # The docs' example: groups by a function of a column, and an annotation mixes it with an aggregate.
        grouped = Item.objects.values(top=Greatest("n", Value(1))).annotate(count=Count("id"), per=top / F("count"))
        return grouped.aggregate(Avg("per"))["per__avg"]

    setting, resetting = mode or ([], [])
    with check.step("add ONLY_FULL_GROUP_BY to the session's SQL mode"), connection.cursor() as cursor:
        for sql in setting:
            cursor.execute(sql)
    try:
        observed = {
            "without AnyValue": outcome_of(lambda: aggregation(F("top"))),
            "with AnyValue": outcome_of(lambda: aggregation(any_value(F("top")))),
        }
    finally:
        with check.step("put the session's SQL mode back"), connection.cursor() as cursor:
            for sql in resetting:
                cursor.execute(sql)
    check.note("session", setting or "nothing set: the server has no ONLY_FULL_GROUP_BY mode")
    check.flag("supports_any_value", connection.features.supports_any_value)
    check.observe(observed)


@pytest.mark.check("querysets.bit_aggregate_default")
def test_bit_aggregate_default(check: CheckRecorder, items: None) -> None:
    bit_and = optional("BitAnd")
    if bit_and is None:
        check.not_applicable("This Django has no BitAnd aggregate in django.db.models (added in Django 6.1).")
    check.observe(value_or_error(lambda: Item.objects.filter(pk=0).aggregate(bits=bit_and("n", default=0))["bits"]))


@pytest.mark.check("querysets.string_agg_distinct")
def test_string_agg_distinct(check: CheckRecorder, items: None) -> None:
    from django.db.models import Value

    string_agg = optional("StringAgg")
    if string_agg is None:
        check.not_applicable("This Django has no StringAgg aggregate in django.db.models (added in Django 6.1).")

    def joined(delimiter: str) -> object:
        found = value_or_error(
            lambda: Item.objects.filter(pk__lte=2).aggregate(names=string_agg("name", Value(delimiter), distinct=True))[
                "names"
            ]
        )
        return "ok" if isinstance(found, str) and sorted(found.split(delimiter)) == ["Fred", "fred"] else found

    check.observe({"','": joined(","), "';'": joined(";")})
