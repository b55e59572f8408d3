"""Model Meta options (ref/models/options): its statements that a backend behaves differently.

The options page's notes on table names (lowercase names on MySQL, Oracle's shortened upper-case names and
quoted names) are checked by the identifiers checks (``identifiers.*``).
"""

from __future__ import annotations

from harness.claims.model import Claim, Expect, Explanation, Source

PAGE = "ref/models/options"

CLAIMS = [
    Claim(
        check="meta-options.required_db_vendor",
        statement=(
            "The built-in vendor names are sqlite, postgresql, mysql and oracle; a model whose required_db_vendor "
            "is not the connection's vendor is not synchronized (MariaDB's connections are the mysql backend's)."
        ),
        source=Source(
            PAGE, "Available Meta options > required_db_vendor", anchor="django.db.models.Options.required_db_vendor"
        ),
        expect=(
            Expect("sqlite", ["sqlite"]),
            Expect("postgresql", ["postgresql"]),
            Expect(("mysql", "mariadb"), ["mysql"]),
            Expect("oracle", ["oracle"]),
        ),
    ),
    Claim(
        check="meta-options.db_table_comment",
        statement="db_table_comment is the comment on the database table to use for the model.",
        source=Source(
            PAGE, "Available Meta options > db_table_comment", anchor="django.db.models.Options.db_table_comment"
        ),
        expect=(Expect("*", "The table"),),
    ),
    Claim(
        check="meta-options.select_on_save",
        statement=(
            "save() tries an UPDATE directly, and in some rare cases the UPDATE of an existing row isn't visible to "
            "Django, such as with a PostgreSQL ON UPDATE trigger which returns NULL: then save() ends up doing an "
            "INSERT even when the row exists. With select_on_save, it uses SELECT to determine if there is an "
            "existing row to be updated, and does no INSERT."
        ),
        source=Source(
            PAGE, "Available Meta options > select_on_save", anchor="django.db.models.Options.select_on_save"
        ),
        expect=(Expect("postgresql", {"without select_on_save": True, "with select_on_save": False}),),
    ),
]

EXPLANATIONS = [
    Explanation(
        check="meta-options.db_table_comment",
        when="sqlite",
        text=(
            "SQLite has no comments on tables (its CREATE TABLE grammar has no COMMENT clause), and Django's SQLite "
            "backend says so (supports_comments is False) and leaves db_table_comment out."
        ),
        source="SQLite docs, CREATE TABLE (syntax diagrams); Django source, django/db/backends/sqlite3/features.py",
        url="https://www.sqlite.org/lang_createtable.html",
    ),
    Explanation(
        check="meta-options.db_table_comment",
        when="+connector",
        observed="django.db.utils.ProgrammingError",
        text=(
            "Connector/Python's schema editor quotes a value with the connection's converter.escape(), which escapes "
            "it but adds no quotes (lib/mysql/connector/django/schema.py, quote_value), so Django's COMMENT = %s "
            "becomes COMMENT = The table, a syntax error (1064), and the table is not created."
        ),
        source="MySQL Connector/Python source, lib/mysql/connector/django/schema.py (DatabaseSchemaEditor.quote_value)",
        url=(
            ""
            "https://github.com/mysql/mysql-connector-python/blob/trunk/mysql-connector-python/lib/mysql/connector/django/schema.py"
        ),
    ),
]
