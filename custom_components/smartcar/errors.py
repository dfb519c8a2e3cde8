"""Compatibility until merge (issue 19): delete, import from controls."""

from .controls import command_error

__all__ = ["command_error"]
