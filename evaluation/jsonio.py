"""JSON as the reports write it: UTF-8, indented, and never a NaN."""

from __future__ import annotations

import json
import math


def clean_json(obj):
    """JSON-safe: NaN/inf become null (they never should appear, but json would write NaN)."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: clean_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean_json(v) for v in obj]
    return obj


def dumps_json(obj) -> str:
    return json.dumps(clean_json(obj), ensure_ascii=False, indent=1) + "\n"
