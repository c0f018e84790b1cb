"""The regression gate: micro-F1 floors per evaluation set (``configs/quality-floor.yaml``).

Floor file::

    sets:
      SET:                   # a set name in report.json
        system: "cv:*"       # system name, shell-style wildcards allowed (every match is checked)
        micro_f1: 0.80       # strict span micro-F1 floor
        required: true       # false: a set missing from the report is skipped, not a failure
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path

import yaml


def load_floor(path: str | Path) -> dict:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    sets = data.get("sets") if isinstance(data, dict) else None
    if not isinstance(sets, dict):
        raise ValueError(f"{path}: expected a mapping 'sets: {{SET: {{system, micro_f1}}}}'")
    for name, rule in sets.items():
        if not isinstance(rule, dict) or "system" not in rule or "micro_f1" not in rule:
            raise ValueError(f"{path}: set {name!r} needs 'system' and 'micro_f1'")
        if not isinstance(rule["micro_f1"], (int, float)) or not 0 <= rule["micro_f1"] <= 1:
            raise ValueError(f"{path}: set {name!r}: micro_f1 must be a number in [0, 1]")
    return data


def check_floor(report: dict, floor: dict) -> tuple[list[str], list[str]]:
    """``(failures, passes)``: one message per checked set and system."""
    failures, passes = [], []
    for set_name, rule in floor["sets"].items():
        required = rule.get("required", True)
        set_rep = report.get("sets", {}).get(set_name)
        if set_rep is None:
            msg = f"set {set_name!r} is not in the report"
            (failures if required else passes).append(msg + ("" if required else " (optional; skipped)"))
            continue
        names = [n for n in set_rep["systems"] if fnmatchcase(n, str(rule["system"]))]
        if not names:
            failures.append(f"set {set_name!r}: no system matches {rule['system']!r} "
                            f"(systems: {', '.join(set_rep['systems']) or 'none'})")
            continue
        for name in names:
            sysrep = set_rep["systems"][name]
            f1 = sysrep.get("strict", {}).get("micro", {}).get("f1") if sysrep.get("available", True) else None
            floor_f1 = float(rule["micro_f1"])
            if f1 is None:
                failures.append(f"set {set_name!r}, system {name!r}: no micro-F1 "
                                f"({sysrep.get('reason') or 'nothing scored'}); floor {floor_f1:.3f}")
            elif f1 < floor_f1:
                failures.append(f"set {set_name!r}, system {name!r}: micro-F1 {f1:.3f} is below the floor "
                                f"{floor_f1:.3f}")
            else:
                passes.append(f"set {set_name!r}, system {name!r}: micro-F1 {f1:.3f} >= floor {floor_f1:.3f}")
    return failures, passes
