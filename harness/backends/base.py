"""What the harness knows about a vendor, with every default in one place.

Modelled on Django's ``db/backends/base/features.py``: :class:`Backend` holds the defaults,
and each vendor's module overrides only what differs. A method a vendor has nothing for raises
:class:`~harness.checks.NotApplicable` with one full sentence, which a check that calls it ends
with ("not applicable"). Checks never compare vendor names; only these classes know vendors.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from typing import Any, ClassVar

from packaging.version import Version

from harness.checks import NotApplicable


@dataclass(frozen=True)
class ContainerRecipe:
    """How testcontainers starts this vendor's server: its class, port and credentials."""

    module: str  # testcontainers module
    class_name: str  # testcontainers class
    port: int
    user: str
    dbname: str
    # The class's keyword arguments, given the password of this start.
    kwargs: dict[str, Any] = field(default_factory=dict)
    # What the server logs once it is ready, for a class whose own readiness wait cannot be bounded here.
    ready_log: str | None = None
    # The password the server is started with when it is not the one given: a server whose image sets none
    # (TiDB's root has none), or that refuses a weak one (SQL Server's SA).
    password: str | None = None


@dataclass(frozen=True)
class DjangoOption:
    """An OPTIONS key of Django's backend for a vendor, and the Django release whose docs add it."""

    since: str  # "5.1"
    section: str  # where in ref/databases: "PostgreSQL notes > Connection pool"


class Backend:
    vendor: ClassVar[str]
    display_name: ClassVar[str]
    # What Django's MySQL backends should take the server for (``mysql_is_mariadb``).
    is_mariadb: ClassVar[bool] = False
    # URL schemes a server of this vendor is given by; the first is the one the harness writes.
    url_schemes: ClassVar[tuple[str, ...]] = ()
    in_process: ClassVar[bool] = False
    # Whether a cell's throwaway "database" is a user of the server's own database (Oracle).
    throwaway_is_user: ClassVar[bool] = False
    # Whether Django's test-database creation makes the test database with CREATE DATABASE (SQLite opens a file or
    # memory, Oracle creates a user and tablespaces).
    creates_test_database_by_sql: ClassVar[bool] = True
    # SQL returning the version string the server reports.
    version_sql: ClassVar[str]
    # The server settings that change behaviour, each with the SQL that reads it.
    settings_sql: ClassVar[dict[str, str]] = {}
    # The OPTIONS Django's backend for this vendor added in a release the matrix may still run (from the
    # docs' "versionadded" and release notes): a cell whose Django predates one its driver sets is not
    # applicable. Options not listed (libpq's, MySQLdb's, a third-party backend's) are passed on as they are.
    django_options: ClassVar[dict[str, DjangoOption]] = {}

    def _nothing(self, what: str) -> NotApplicable:
        return NotApplicable(f"{self.display_name} offers nothing for {what}.")

    # -- the server and how to reach it ----------------------------------------------------

    def reported_vendor(self, version_reported: str | None) -> str:
        """The vendor the server's own version string names (a MySQL URL may reach MariaDB)."""
        return self.vendor

    def server_version(self, version_reported: str | None) -> Version | None:
        """The vendor's release in the version string the server reports (claims are matched against it)."""
        from harness.versions import leading_version

        return leading_version(version_reported) if version_reported else None

    def container(self, password: str) -> ContainerRecipe:
        raise NotApplicable(f"{self.display_name} has no container recipe.")

    def answers(self, sock: socket.socket) -> bool:
        """Whether what listens on a connected socket is this vendor's server (not merely a port)."""
        return True

    def admin_database(self, settings: dict[str, Any], named: str | None) -> str:
        """The NAME Django connects to as the URL's own user: never a database the harness drops."""
        return named or ""

    def admin_cursor(self, admin: Any) -> Any:
        """Where databases are created and dropped: outside any database."""
        return admin._nodb_cursor()

    def create_database_sql(self, name: str, password: str, charset: str | None) -> list[str]:
        raise NotApplicable(f"{self.display_name} has no throwaway databases.")

    def drop_database_sql(self, name: str, force: bool) -> list[str]:
        raise NotApplicable(f"{self.display_name} has no throwaway databases.")

    def throwaway_user_settings(self, name: str, password: str, admin_database: str) -> dict[str, Any]:
        """The DATABASES entry's changes that make Django log in as the throwaway user."""
        return {}

    def can_force_drop(self, version: Version | None) -> bool:
        """Whether a database other sessions still hold can be dropped (a check's stuck thread)."""
        return False

    def timeout_options(self, module: str, connect: float, read: float) -> dict[str, Any]:
        """Django OPTIONS bounding a connection of driver ``module``: connecting, and each read where it can."""
        return {}

    def bounded_options(self, options: dict[str, Any], connect: float) -> dict[str, Any]:
        """A driver entry's OPTIONS with the waits in them bounded as every connection's are (a pool's wait for
        a connection); the configuration is otherwise the matrix's."""
        return options

    def abandon(self, wrapper: Any) -> None:
        """Give up a connection whose statement neither finished nor answered its cancel: shut its socket,
        so that the read waiting on it fails at once, from another thread."""
        import os
        import socket

        raw = wrapper.connection
        fileno = getattr(raw, "fileno", None)
        if raw is None or not callable(fileno):
            return
        # shutdown() acts on the socket itself, whichever descriptor names it; the duplicate is ours to close.
        with socket.socket(fileno=os.dup(fileno())) as sock:
            sock.shutdown(socket.SHUT_RDWR)

    def cancel(self, wrapper: Any) -> None:
        """Cancel the statement running on a Django connection, from another thread."""
        raw = wrapper.connection
        if raw is not None:  # psycopg, psycopg2 and python-oracledb cancel from another thread themselves
            raw.cancel()

    # -- collations -------------------------------------------------------------------------

    def default_collation_sql(self) -> str:
        """SQL returning the current database's default collation."""
        raise self._nothing("default collation")

    def database_charset(self, django: Version) -> str | None:
        """The character set the docs of this Django version create a database with (None: the server's)."""
        return None

    def case_sensitive_collation(self, django: Version, test_collations: dict[str, str | None]) -> str:
        """The collation a vendor documents for case-sensitive comparisons (Django's ``test_collations``)."""
        found = test_collations.get("cs")
        if found is None:
            raise self._nothing("case sensitive collation")
        return found

    # -- locks ------------------------------------------------------------------------------

    def lock_timeout_sql(self, seconds: int) -> str | None:
        """A statement bounding how long this session waits for a lock; None where there is none to set."""
        return None

    def write_lock_sql(self) -> str:
        """A statement that takes the whole database's write lock until commit."""
        raise NotApplicable(
            f"{self.display_name} locks rows, not the whole database: there is no 'database is locked'."
        )

    # -- time zones -------------------------------------------------------------------------

    def legacy_timestamp_table_sql(self, table: str) -> str:
        """A table as a legacy database has it: an id, a TIMESTAMP and a DATETIME-like column."""
        raise self._nothing("legacy timestamp")

    def session_time_zone_sql(self, offset: str) -> str:
        """Set this session's time zone to a fixed offset such as ``+02:00``."""
        raise self._nothing("session time zone")

    def epoch_sql(self, table: str, column: str) -> str:
        """The instant a column holds, as Unix seconds, read in a UTC session."""
        raise self._nothing("epoch")

    def utc_session_sql(self) -> str:
        return self.session_time_zone_sql("+00:00")

    def time_zone_tables_sql(self) -> str:
        """SQL counting the named time zones the server knows."""
        raise self._nothing("time zone tables")

    # -- transactions -----------------------------------------------------------------------

    def isolation_level_sql(self) -> str:
        """SQL returning this session's transaction isolation level, as the server names it."""
        raise self._nothing("isolation level")

    def isolation_option(self, level: str) -> Any:
        """The OPTIONS["isolation_level"] value for a level such as "serializable"."""
        raise NotApplicable(f"Django's {self.display_name} backend has no isolation_level option.")

    # -- sessions ---------------------------------------------------------------------------

    def session_time_zone_query(self) -> str:
        """SQL returning the session's time zone."""
        raise self._nothing("session time zone")

    def client_encoding_sql(self) -> str:
        """SQL returning the character set the session talks in."""
        raise self._nothing("client encoding")

    def init_command_probe(self) -> tuple[str, str]:
        """An init_command setting a session value, and the SQL reading it back."""
        raise NotApplicable(f"Django's {self.display_name} backend has no init_command option.")

    def non_strict_init_command(self) -> str:
        """An init_command turning MySQL's strict mode off for a connection."""
        raise NotApplicable("Only MySQL and MariaDB have a strict sql_mode to turn off.")

    def only_full_group_by_sql(self) -> tuple[list[str], list[str]] | None:
        """Statements adding ONLY_FULL_GROUP_BY to this session's SQL mode, and statements putting the session's mode
        back; None where the server has no such mode (its GROUP BY rules are always its own)."""
        return None

    def session_id_sql(self) -> str:
        """SQL returning this session's id on the server."""
        raise self._nothing("server side close")

    def terminate_session_sql(self, session_id: int) -> str:
        """SQL closing another session from the server's side."""
        raise self._nothing("server side close")

    def session_count_sql(self, session_id: int) -> str:
        """SQL counting the server's sessions with this id: 0 once the server has closed it."""
        raise self._nothing("server side close")

    # -- session state (what a pooler in transaction mode does not carry over) ----------------

    def session_settings(self) -> dict[str, tuple[str, str, str]]:
        """Session settings a check changes: {name: (SQL setting it, SQL reading it, the value read once set)}."""
        raise self._nothing("session settings")

    def temporary_table_sql(self, table: str) -> str:
        """A temporary table, seen by this session only, with one INTEGER column ``id``."""
        raise self._nothing("temporary tables")

    def advisory_lock_sql(self) -> tuple[str, str]:
        """SQL taking a session-level advisory lock, and SQL giving 1 while this session holds it, else 0."""
        raise self._nothing("advisory locks")

    def prepared_statement_options(self, module: str) -> dict[str, dict[str, Any]]:
        """OPTIONS to compare when a statement runs again and again: {name: OPTIONS}, through driver ``module``."""
        raise NotApplicable(
            "server_side_binding and prepare_threshold are options of Django's PostgreSQL backend only."
        )

    def prepared_statements_sql(self) -> str:
        """SQL counting the prepared statements this session holds on the server."""
        raise self._nothing("prepared statements")

    def discard_session_sql(self) -> list[str]:
        """Statements, each allowed in a transaction, undoing the session state checks may leave behind.

        A second client that a pooler in transaction mode handed the server connection of the first
        runs them, so that no cursor, lock, temporary table, prepared statement or setting of one check
        is left on that server connection for the next check to meet.
        """
        return []

    # -- storage engines --------------------------------------------------------------------

    def table_engine_sql(self) -> str:
        """SQL (one %s: the table) returning the storage engine of a table."""
        raise NotApplicable("Only MySQL and MariaDB have storage engines.")

    def myisam_table_sql(self, table: str) -> str:
        raise NotApplicable("Only MySQL and MariaDB have storage engines.")

    def myisam_child_sql(self, table: str, parent: str) -> str:
        """A MyISAM table with a foreign key to ``parent``."""
        raise NotApplicable("Only MySQL and MariaDB have storage engines.")

    # -- cursors and options ----------------------------------------------------------------

    def open_cursors_sql(self) -> str:
        """SQL counting the server-side cursors this session holds."""
        raise NotApplicable("Django uses server-side cursors for iterator() on PostgreSQL only.")

    def server_side_binding_options(self) -> dict[str, Any]:
        """OPTIONS asking for server-side parameter binding."""
        raise NotApplicable("server_side_binding is an option of Django's PostgreSQL backend only.")

    def returning_into_off_options(self) -> dict[str, Any]:
        """OPTIONS turning off INSERT ... RETURNING INTO."""
        raise NotApplicable("use_returning_into is an option of Django's Oracle backend only.")

    # -- triggers ---------------------------------------------------------------------------

    def skip_update_trigger_sql(self, table: str) -> tuple[list[str], list[str]]:
        """Statements creating a BEFORE UPDATE trigger on ``table`` (its unquoted name) that silently skips every row
        an UPDATE matches, so that the UPDATE reports no row changed; and the statements dropping what they made."""
        raise self._nothing("a trigger that silently skips the rows of an UPDATE")

    # -- NULL -------------------------------------------------------------------------------

    def is_null_sql(self, table: str, column: str) -> str:
        """1 when the column of row 1 is NULL, else 0 (every vendor)."""
        return f"SELECT CASE WHEN {column} IS NULL THEN 1 ELSE 0 END FROM {table} WHERE id = 1"
