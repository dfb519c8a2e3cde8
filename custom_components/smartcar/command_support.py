"""Compatibility until merge (issue 19): delete, import `RefusedCommands` from refused_commands."""

from .refused_commands import RefusedCommands as CommandSupport

__all__ = ["CommandSupport"]
