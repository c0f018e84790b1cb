"""The slot registry: :data:`SLOTS` maps a template slot (``{cluster}``, ``{prov:bare}`` ...) to
the function that renders it, for a document and the slot's argument, to *segments*:
``(text, label)`` pairs with ``label=None`` for plain text. The ``slots_*`` modules fill it.
"""

from __future__ import annotations

from typing import Callable

from .context import Ctx


Seg = tuple[str, "str | None"]
C, L, A, P = "CLUSTER", "LOCATION", "AREA", "PERCENT"

SlotFn = Callable[[Ctx, str], list[Seg]]
SLOTS: dict[str, SlotFn] = {}


def slot(name: str):
    def deco(fn: SlotFn) -> SlotFn:
        SLOTS[name] = fn
        return fn
    return deco


def _o(text: str) -> Seg:
    return (text, None)


def _loc_slot(fn):
    return lambda ctx, arg: [(fn(ctx, arg), L)]


def _plain(fn):
    return lambda ctx, arg: [_o(fn(ctx, arg))]
