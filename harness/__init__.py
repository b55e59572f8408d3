"""dbcompat: what Django's database layer really does, per server, driver and Django version."""

from __future__ import annotations

__version__ = "0.1.0"
