"""Secrets out of what the harness writes: results, reports, the console.

A secret is masked as ``***`` in free text (reasons, errors, SQL, setup, origins), never in ids,
versions or what a server did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# A secret this long is taken for a random one (the harness's own are 20 and 24 characters): it
# cannot be a word of the evidence, so it is masked wherever it appears. A shorter one ("id",
# "postgres") may be an identifier or a value too, and is masked only where a credential is written.
RANDOM_SECRET_LENGTH = 12
_CREDENTIAL_KEY = r"\w*(?:pass|pwd|secret|token|key|credential)\w*"
# What stands before a credential: a key (``password=``, ``'password': '``, ``"sslpassword": "``), or
# SQL's ``PASSWORD '`` and ``IDENTIFIED BY '``; a quoted string (``'id'``) is matched on its own.
_CREDENTIAL_LEAD = rf"(?i:\b{_CREDENTIAL_KEY}['\"]?\s*[:=]\s*[bu]?['\"]?|\b(?:password|identified\s+by)\s+['\"]?)"


def redact(text: str, secrets: Iterable[str]) -> str:
    """The text with the secrets masked as ``***``, the same mask whatever their length.

    A short secret is masked only where it stands as a credential, a whole token: in a URL
    (``:id@``), after a key (``password=id``, ``{'password': 'id'}``), in SQL (``PASSWORD 'id'``) or
    as a whole quoted string (``'id'``); never inside a word, nor as an identifier (``"id" bigint``,
    ``suites_person.id``), so that masking neither rewrites the evidence nor shows where the secret
    stood.
    """
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        if len(secret) >= RANDOM_SECRET_LENGTH:
            text = text.replace(secret, "***")
            continue
        escaped = re.escape(secret)
        text = re.sub(rf"(?<=:){escaped}(?=@)", "***", text)
        text = re.sub(rf"({_CREDENTIAL_LEAD}){escaped}(?!\w)", r"\1***", text)
        text = re.sub(rf"(?<='){escaped}(?=')", "***", text)
    return text


def redacted(value: Any, secrets: list[str]) -> Any:
    """Every string in a JSON value with the secrets replaced (keys and structure untouched)."""
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, list):
        return [redacted(v, secrets) for v in value]
    if isinstance(value, dict):
        return {k: redacted(v, secrets) for k, v in value.items()}
    return value
