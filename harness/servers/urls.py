"""Servers given by URL: ``DBCOMPAT_URL_<SERVER>=mysql://root@127.0.0.1:3306/``."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, unquote, unquote_plus, urlsplit, urlunsplit

from harness.backends import backend_for
from harness.errors import UsageError

# What a user name or password must percent-encode to be read as one.
ENCODE_HINT = "percent-encode the user and password: write @ as %40, : as %3A, / as %2F, # as %23, ? as %3F, % as %25"

# A query parameter whose name says it holds a credential (password, passwd, sslpassword, api_token, ...).
SECRET_KEY = re.compile(r"pass|pwd|secret|token|key|credential", re.IGNORECASE)
_QUERY_VALUE = re.compile(r"[?&]([^=&?#]*)=([^&#]*)")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def parse_server_url(variable: str, url: str, vendor: str) -> dict[str, Any]:
    """Django connection settings (no ENGINE, no NAME) for a server URL.

    Raises :class:`UsageError` naming the variable when the URL is malformed or
    speaks another vendor's scheme. The message never repeats the password.
    """
    import dj_database_url

    shown = mask_url(url)
    why = _ambiguity(url)
    if why is not None:
        raise UsageError(f"{variable}={shown}: the URL cannot be read unambiguously ({why}); {ENCODE_HINT}")
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


def _authority_start(url: str) -> int | None:
    """Where the authority (``user:password@host:port``) begins, if the URL has one."""
    scheme_end = url.find("://")
    return None if scheme_end < 0 else scheme_end + 3


def _ambiguity(url: str) -> str | None:
    """Why the URL's credentials could be read more than one way (an unencoded password), or None."""
    start = _authority_start(url)
    if start is not None:
        if url.count("@", start) > 1:
            return "more than one '@'"
        userinfo = url[start : max(url.find("@", start), start)]
        if any(mark in userinfo for mark in "/?#"):
            return "a '/', '?' or '#' before the '@'"
        if _BAD_ESCAPE.search(userinfo):
            return "a '%' that starts no %XX escape"
    if "#" in url:
        return "a '#', which would end the URL there"
    return None


def _secret_spans(url: str) -> list[tuple[int, int]]:
    """Where the URL holds a credential, however it is read.

    The password as a URL parser reads it (up to the last '@' before the first '/', '?' or '#'),
    as a person wrote it (up to the last '@' of all, for a password nobody encoded), and the
    values of query parameters named like credentials, with anything after a '#' that may be
    the rest of one.
    """
    spans: list[tuple[int, int]] = []
    start = _authority_start(url)
    last_at = -1
    if start is not None:
        ends = [index for index in (url.find(mark, start) for mark in "/?#") if index >= 0]
        end = min(ends, default=len(url))
        last_at = url.rfind("@", start)
        for at in (url.rfind("@", start, end), last_at):
            colon = url.find(":", start, at) if at >= 0 else -1
            if colon >= 0:
                spans.append((colon + 1, at))
    for match in _QUERY_VALUE.finditer(url):
        if SECRET_KEY.search(match.group(1)):
            spans.append(match.span(2))
    fragment = url.find("#", max(last_at, 0))
    if fragment >= 0:
        spans.append((fragment, len(url)))
    return [(begin, end) for begin, end in spans if end > begin]


def mask_url(url: str) -> str:
    """The URL with every credential it carries replaced by ``***``, whatever its length."""
    merged: list[tuple[int, int]] = []
    for begin, end in sorted(_secret_spans(url)):
        if merged and begin <= merged[-1][1]:  # overlapping or touching: one mask for both
            previous = merged.pop()
            begin, end = previous[0], max(previous[1], end)
        merged.append((begin, end))
    shown: list[str] = []
    position = 0
    for begin, end in merged:
        shown += [url[position:begin], "***"]
        position = end
    return "".join([*shown, url[position:]])


def url_passwords(url: str) -> tuple[str, ...]:
    """Every credential of the URL, as written and as decoded (what the driver is given): all are secrets."""
    written: list[str] = []
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    if password:
        written.append(password)
    written += [match.group(2) for match in _QUERY_VALUE.finditer(url) if SECRET_KEY.search(match.group(1))]
    found = [form for value in written if value for form in (value, unquote(value), unquote_plus(value))]
    return tuple(dict.fromkeys(found))


def build_url(vendor: str, host: str, port: int, user: str, password: str, name: str = "") -> str:
    """A URL for a server this harness started, in the form ``parse_server_url`` reads."""
    scheme = backend_for(vendor).url_schemes[0]
    return f"{scheme}://{quote(user, safe='')}:{quote(password, safe='')}@{host}:{port}/{quote(name, safe='')}"
