"""The regression gate: micro-F1 floors per evaluation set (``configs/quality-floor.yaml``).

Floor file::

    sets:
      SET:                   # a set name in report.json
        system: "cv:*"       # system name, shell-style wildcards allowed (every match is checked)
        micro_f1: 0.80       # strict span micro-F1 floor
        required: true       # false: a set missing from the report is skipped, not a failure
        required_if_present: corpus/dev.json
                             # instead of `required`: the set is required while this file exists
                             # (relative to the shared folder, annotations.shared), else skipped
        beat_system: rules   # optional: each checked system must also reach this system's
        margin: 0.0          #   micro-F1 on the same set plus `margin` (default 0.0)
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path

import yaml

KEYS = {"system", "micro_f1", "required", "required_if_present", "beat_system", "margin"}


def load_floor(path: str | Path) -> dict:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    sets = data.get("sets") if isinstance(data, dict) else None
    if not isinstance(sets, dict):
        raise ValueError(f"{path}: expected a mapping 'sets: {{SET: {{system, micro_f1}}}}'")
    for name, rule in sets.items():
        if not isinstance(rule, dict) or "system" not in rule or "micro_f1" not in rule:
            raise ValueError(f"{path}: set {name!r} needs 'system' and 'micro_f1'")
        unknown = sorted(set(rule) - KEYS)
        if unknown:
            raise ValueError(f"{path}: set {name!r}: unknown key(s) {', '.join(unknown)}; known: "
                             f"{', '.join(sorted(KEYS))}")
        if not _number(rule["micro_f1"]) or not 0 <= rule["micro_f1"] <= 1:
            raise ValueError(f"{path}: set {name!r}: micro_f1 must be a number in [0, 1]")
        if "required" in rule and not isinstance(rule["required"], bool):
            raise ValueError(f"{path}: set {name!r}: required must be true or false")
        if "required_if_present" in rule:
            if "required" in rule:
                raise ValueError(f"{path}: set {name!r}: give 'required' or 'required_if_present', not both")
            if not isinstance(rule["required_if_present"], str) or not rule["required_if_present"].strip():
                raise ValueError(f"{path}: set {name!r}: required_if_present must be a file path")
        if "beat_system" in rule and (not isinstance(rule["beat_system"], str) or not rule["beat_system"]):
            raise ValueError(f"{path}: set {name!r}: beat_system must be a system name")
        if "margin" in rule:
            if "beat_system" not in rule:
                raise ValueError(f"{path}: set {name!r}: margin needs beat_system")
            if not _number(rule["margin"]) or not -1 <= rule["margin"] <= 1:
                raise ValueError(f"{path}: set {name!r}: margin must be a number in [-1, 1]")
    return data


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_required(rule: dict) -> tuple[bool, str]:
    """Whether a set missing from the report fails the gate, and why (for the message)."""
    if "required_if_present" in rule:
        from annotations.shared import shared_path

        path = shared_path(rule["required_if_present"])
        if path.is_file():
            return True, f"; {path} is present, so the set is required"
        return False, f": {path} is absent"
    return bool(rule.get("required", True)), ""


def _micro_f1(sysrep: dict | None) -> float | None:
    if sysrep is None or not sysrep.get("available", True):
        return None
    return sysrep.get("strict", {}).get("micro", {}).get("f1")


def check_floor(report: dict, floor: dict) -> tuple[list[str], list[str]]:
    """``(failures, passes)``: one message per checked set and system (and per ``beat_system``
    comparison)."""
    failures, passes = [], []
    for set_name, rule in floor["sets"].items():
        required, why = is_required(rule)
        set_rep = report.get("sets", {}).get(set_name)
        if set_rep is None:
            msg = f"set {set_name!r} is not in the report"
            if required:
                failures.append(msg + why)
            else:
                passes.append(msg + f" (optional; skipped{why})")
            continue
        names = [n for n in set_rep["systems"] if fnmatchcase(n, str(rule["system"]))]
        if not names:
            failures.append(f"set {set_name!r}: no system matches {rule['system']!r} "
                            f"(systems: {', '.join(set_rep['systems']) or 'none'})")
            continue
        for name in names:
            sysrep = set_rep["systems"][name]
            f1 = _micro_f1(sysrep)
            floor_f1 = float(rule["micro_f1"])
            if f1 is None:
                failures.append(f"set {set_name!r}, system {name!r}: no micro-F1 "
                                f"({sysrep.get('reason') or 'nothing scored'}); floor {floor_f1:.3f}")
            elif f1 < floor_f1:
                failures.append(f"set {set_name!r}, system {name!r}: micro-F1 {f1:.3f} is below the floor "
                                f"{floor_f1:.3f}")
            else:
                passes.append(f"set {set_name!r}, system {name!r}: micro-F1 {f1:.3f} >= floor {floor_f1:.3f}")
        if rule.get("beat_system"):
            _check_beat(set_name, set_rep, [n for n in names if n != rule["beat_system"]], rule["beat_system"],
                        float(rule.get("margin", 0.0)), failures, passes)
    return failures, passes


def _check_beat(set_name: str, set_rep: dict, names: list[str], beat: str, margin: float,
                failures: list[str], passes: list[str]) -> None:
    """Each of ``names`` must reach ``beat``'s micro-F1 plus ``margin``."""
    ref = set_rep["systems"].get(beat)
    if ref is None:
        failures.append(f"set {set_name!r}: beat_system {beat!r} is not in the report "
                        f"(systems: {', '.join(set_rep['systems']) or 'none'})")
        return
    ref_f1 = _micro_f1(ref)
    if ref_f1 is None:
        failures.append(f"set {set_name!r}: beat_system {beat!r} has no micro-F1 "
                        f"({ref.get('reason') or 'nothing scored'})")
        return
    target = ref_f1 + margin
    for name in names:
        f1 = _micro_f1(set_rep["systems"][name])
        if f1 is None:
            continue  # already a failure of the floor
        what = f"{beat!r} ({ref_f1:.4f}) + margin {margin:.4f}"
        if f1 < target:
            failures.append(f"set {set_name!r}, system {name!r}: micro-F1 {f1:.4f} is below {what}")
        else:
            passes.append(f"set {set_name!r}, system {name!r}: micro-F1 {f1:.4f} >= {what}")
