"""The name a command-line parser shows in its usage line: the entry the user typed.

Every package's parser names itself as its ``python -m`` form (``prog("python -m models")``);
the ``vicluster`` command (``evaluation/command.py``) runs a subcommand inside
``invoked_as("vicluster extract")`` and the same parser then says ``usage: vicluster extract ...``.
A context variable, not a global: nothing leaks past the ``with`` block, an error included.
"""

from __future__ import annotations

import contextlib
import contextvars
from typing import Iterator

__all__ = ["prog", "invoked_as"]

_INVOKED_AS: contextvars.ContextVar[str | None] = contextvars.ContextVar("vicluster_invoked_as", default=None)


def prog(default: str) -> str:
    """The program name for a parser: the entry set by :func:`invoked_as`, else ``default``
    (the module's ``python -m`` form)."""
    return _INVOKED_AS.get() or default


@contextlib.contextmanager
def invoked_as(name: str) -> Iterator[None]:
    """Parsers built inside this block name themselves ``name`` (``"vicluster train"``)."""
    token = _INVOKED_AS.set(name)
    try:
        yield
    finally:
        _INVOKED_AS.reset(token)
