"""Claims the docs make by reference: a note for one backend that the docs send another's readers to.

A MariaDB user reading Django's docs meets the MySQL notes, because the MariaDB notes say "See the
MySQL notes for more details"; Connector/Python's Django backend (ENGINE ``mysql.connector.django``)
takes the place of Django's MySQL backend, so Django's MySQL notes are what its users read too.
Where MariaDB or Connector/Python does otherwise, that is a finding.
"""

from __future__ import annotations

from harness.claims.model import Reference

REFERENCES = [
    Reference(
        label='MySQL notes, applied to MariaDB by the MariaDB notes\' reference ("See the MySQL notes")',
        sections=("MySQL notes",),
        vendor="mariadb",
    ),
    # Every claim Django's docs make about a MySQL or MariaDB server is one about Django's MySQL backend,
    # wherever it is written (the MySQL notes, select_for_update() in the QuerySet reference, ...).
    Reference(
        label="Django's MySQL backend, applied to Connector/Python's backend, which replaces it",
        sections=(),
        driver="connector",
    ),
]
