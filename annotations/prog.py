"""The name a command-line parser shows in its usage line: the entry the user typed.

Every package's parser names itself as its ``python -m`` form (``prog("python -m models")``);
the ``vicluster`` command (``evaluation/command.py``) runs a subcommand inside
``invoked_as("vicluster extract")`` and the same parser then says ``usage: vicluster extract ...``.
A context variable, not a global: nothing leaks past the ``with`` block, an error included.

:func:`guarded` is how every entry (``vicluster`` and each ``python -m`` alias) runs a command:
an unexpected error becomes one line naming it and exit 1, bad usage exit 2, an interrupt 130;
``--debug`` as the first argument shows the traceback instead.
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
from typing import Callable, Iterator, Sequence

__all__ = ["prog", "invoked_as", "guarded", "take_debug"]

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


def take_debug(argv: Sequence[str]) -> tuple[bool, list[str]]:
    """``(True, rest)`` when the first argument is ``--debug``, else ``(False, argv)``."""
    argv = list(argv)
    if argv[:1] == ["--debug"]:
        return True, argv[1:]
    return False, argv


def guarded(name: str, run: Callable[[list[str]], int | None], argv: Sequence[str] | None = None) -> int:
    """``run(argv)`` (``sys.argv[1:]`` by default, less a leading ``--debug``) as the command
    ``name``: its exit code, or, for what it raises, one line on stderr and 2 (argparse's bad
    usage, or a ``SystemExit`` with a message), 130 (interrupted) or 1 (any other failure)."""
    debug, argv = take_debug(sys.argv[1:] if argv is None else argv)
    try:
        with invoked_as(name):
            return int(run(argv) or 0)
    except SystemExit as exc:  # argparse: 0 for --help, 2 for bad usage; a message: cannot run as asked
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(f"{name}: error: {exc.code}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{name}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place that turns any failure into one line
        if debug:
            raise
        print(f"{name}: error: {type(exc).__name__}: {exc} (--debug shows the traceback)", file=sys.stderr)
        return 1
