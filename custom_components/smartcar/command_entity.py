"""Compatibility until merge (issue 19): delete, import from controls."""

from .controls import PENDING_RECHECK_SECONDS, async_send_command

__all__ = ["PENDING_RECHECK_SECONDS", "async_send_command"]
