"""Servers given by URL: ``DBCOMPAT_URL_<SERVER>=mysql://root@127.0.0.1:3306/``."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from harness.backends import backend_for
from harness.errors import UsageError


def parse_server_url(variable: str, url: str, vendor: str) -> dict[str, Any]:
    """Django connection settings (no ENGINE, no NAME) for a server URL.

    Raises :class:`UsageError` naming the variable when the URL is malformed or
    speaks another vendor's scheme. The message never repeats the password.
    """
    import dj_database_url

    shown = mask_url(url)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError as exc:
        raise UsageError(f"{variable}={shown}: malformed URL ({exc})") from None
    allowed = backend_for(vendor).url_schemes
    if parts.scheme not in allowed:
        example = f"{allowed[0]}://user:password@host:port/" if allowed else ""
        raise UsageError(
            f"{variable}={shown}: scheme {parts.scheme or '(none)'!r} does not reach a {vendor} server; "
            f"write e.g. {example}"
        )
    if not parts.hostname:
        raise UsageError(f"{variable}={shown}: no host; write e.g. {allowed[0]}://user@127.0.0.1:port/")
    scheme = "mysql" if parts.scheme == "mariadb" else parts.scheme
    try:
        settings: dict[str, Any] = dict(dj_database_url.parse(urlunsplit(parts._replace(scheme=scheme))))
    except Exception as exc:
        raise UsageError(f"{variable}={shown}: malformed URL ({exc})") from None
    settings.pop("ENGINE", None)
    if settings.get("PORT"):
        settings["PORT"] = int(settings["PORT"])  # dj-database-url gives Oracle's as text
    admin_name = settings.pop("NAME", "") or None
    settings["ADMIN_NAME"] = admin_name
    return settings


def mask_url(url: str) -> str:
    """The URL with any password replaced by ``***``."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.rsplit("@", 1)[1]
        user = parts.username or ""
        return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))
    except ValueError:
        return "(a malformed URL, not shown)"


def url_passwords(url: str) -> tuple[str, ...]:
    """The URL's password as written and as decoded (what the driver is given): both are secrets."""
    try:
        written = urlsplit(url).password
    except ValueError:
        return ()
    if not written:
        return ()
    return tuple(dict.fromkeys((written, unquote(written))))


def build_url(vendor: str, host: str, port: int, user: str, password: str, name: str = "") -> str:
    """A URL for a server this harness started, in the form ``parse_server_url`` reads."""
    scheme = backend_for(vendor).url_schemes[0]
    return f"{scheme}://{quote(user, safe='')}:{quote(password, safe='')}@{host}:{port}/{quote(name, safe='')}"
