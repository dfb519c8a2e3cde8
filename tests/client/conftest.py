"""Fixtures of the client tests."""

from .fakes import fake_smartcar

__all__ = ["fake_smartcar"]
