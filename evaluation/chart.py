"""Per-label F1 chart of one evaluation set (PNG bytes, matplotlib Agg backend)."""

from __future__ import annotations

import io

from annotations.labels import LABELS


def f1_chart_png(set_name: str, set_report: dict) -> bytes:
    """Grouped bars: strict F1 per label and micro, one bar per available system, 95 % CI whiskers."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    groups = [*LABELS, "micro"]
    systems = [(n, s) for n, s in set_report["systems"].items() if s.get("available", True)]
    fig = Figure(figsize=(max(6.0, 1.4 * len(groups) + 0.4 * len(systems)), 3.6), dpi=100)
    ax = fig.subplots()
    width = 0.8 / max(1, len(systems))
    for k, (name, sysrep) in enumerate(systems):
        xs, ys, lo, hi = [], [], [], []
        for g, key in enumerate(groups):
            row = sysrep["strict"].get(key)
            if row is None or row["f1"] is None:
                continue
            ci = row["ci"]["f1"] or [row["f1"], row["f1"]]
            xs.append(g - 0.4 + width * (k + 0.5))
            ys.append(row["f1"])
            lo.append(max(0.0, row["f1"] - ci[0]))
            hi.append(max(0.0, ci[1] - row["f1"]))
        ax.bar(xs, ys, width * 0.95, yerr=[lo, hi], capsize=2, label=name)
    ax.set_xticks(range(len(groups)), groups)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("strict F1")
    ax.set_title(f"{set_name}: F1 per label (95% CI)")
    ax.grid(axis="y", alpha=0.3)
    if systems:
        ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
