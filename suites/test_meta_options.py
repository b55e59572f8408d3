"""Model Meta options (ref/models/options): required_db_vendor and db_table_comment.

- ``meta-options.required_db_vendor``: the vendor names among sqlite, postgresql, mysql and oracle for which a
  model with that required_db_vendor would be created on this cell's connection (``Options.can_migrate()``).
- ``meta-options.db_table_comment``: the comment the server reports on a table created with db_table_comment
  (or the error creating it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from harness.checks import CheckRecorder
from suites.models import check_model
from suites.outcomes import outcome_of

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from harness.fixtures import CreateTables

VENDORS = ("sqlite", "postgresql", "mysql", "oracle")


@pytest.mark.check("meta-options.required_db_vendor")
def test_required_db_vendor(check: CheckRecorder, connection: BaseDatabaseWrapper) -> None:
    from django.db import models

    check.note("connection.vendor", connection.vendor)
    check.observe(
        [
            vendor
            for vendor in VENDORS
            if check_model(
                f"Only{vendor.capitalize()}", {"n": models.IntegerField()}, required_db_vendor=vendor
            )._meta.can_migrate(connection)
        ]
    )


@pytest.mark.check("meta-options.db_table_comment")
def test_db_table_comment(check: CheckRecorder, connection: BaseDatabaseWrapper, tables: CreateTables) -> None:
    from django.db import models

    Commented = check_model("CommentedTable", {"n": models.IntegerField()}, db_table_comment="The table")
    check.flag("supports_comments", connection.features.supports_comments)
    # Creating the table is part of what is observed: the comment is written as it is created.
    created = outcome_of(lambda: tables(Commented))
    if created != "ok":
        check.observe(created)
        return
    with check.step("list the tables"), connection.cursor() as cursor:
        (info,) = [t for t in connection.introspection.get_table_list(cursor) if t.name == Commented._meta.db_table]
    check.observe(getattr(info, "comment", None) or None)
