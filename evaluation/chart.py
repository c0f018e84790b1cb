"""Charts as PNG bytes (matplotlib, Agg backend): per-label F1 of one evaluation set, and the
learning curve (:mod:`evaluation.curve`)."""

from __future__ import annotations

import io

from annotations.labels import LABELS


def _png(fig, *, legend: bool) -> bytes:
    """``fig`` (one axes) as PNG bytes, its legend outside the plot on the right when asked."""
    if legend:
        fig.axes[0].legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def f1_chart_png(set_name: str, set_report: dict) -> bytes:
    """Grouped bars: strict F1 per label and micro, one bar per available system, 95 % CI whiskers."""
    from annotations.extras import require

    matplotlib = require("matplotlib", "eval", "charts")

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
    return _png(fig, legend=bool(systems))


def learning_curve_png(curve: dict) -> bytes:
    """Dev F1 (micro, thick; each label, thin) of the model with hints against the shared gold
    documents it trained on; the rules' micro-F1 as a horizontal line, the model without hints
    as markers. ``curve``: :func:`evaluation.curve.build_curve`'s dict."""
    from annotations.extras import require

    matplotlib = require("matplotlib", "eval", "charts")

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    def f1(sysrep: dict, key: str):
        row = sysrep["strict"].get(key)
        return None if row is None else row["f1"]

    systems = curve["systems"]
    hinted = sorted((s for s in systems if s["kind"] == "hints" and s["train_documents"] is not None),
                    key=lambda s: (s["train_documents"], s["fraction"] or 0.0))
    fig = Figure(figsize=(7.5, 4.2), dpi=100)
    ax = fig.subplots()
    colors = {key: f"C{k}" for k, key in enumerate(["micro", *LABELS])}
    xs_all = [s["train_documents"] for s in systems if s["train_documents"] is not None]
    for key in ["micro", *LABELS]:
        pts = [(s["train_documents"], f1(s, key)) for s in hinted if f1(s, key) is not None]
        if pts:
            micro = key == "micro"
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", color=colors[key],
                    linewidth=2.6 if micro else 1.1, markersize=6 if micro else 3.5, alpha=1.0 if micro else 0.75,
                    label=f"hints, {key}")
    for s in systems:
        if s["kind"] == "rules" and f1(s, "micro") is not None:
            ax.axhline(f1(s, "micro"), color="0.35", linestyle="--", linewidth=1.4,
                       label=f"{s['name']}, micro ({f1(s, 'micro'):.3f})")
        elif s["kind"] == "no-hints" and s["train_documents"] is not None:
            for key in ["micro", *LABELS]:
                if f1(s, key) is not None:
                    micro = key == "micro"
                    ax.plot([s["train_documents"]], [f1(s, key)], linestyle="none", marker="*" if micro else "x",
                            markersize=13 if micro else 6, color=colors[key],
                            markeredgecolor="black" if micro else colors[key],
                            label=f"{s['name']}, micro" if micro else None)
    values = [f1(s, k) for s in systems for k in ["micro", *LABELS] if f1(s, k) is not None]
    low = min(values, default=0.0)
    ax.set_ylim(max(0.0, min(low - 0.05, 0.8)), 1.02)
    if xs_all:
        span = max(xs_all) - min(xs_all) or 1
        ax.set_xlim(min(xs_all) - 0.05 * span, max(xs_all) + 0.05 * span)
    ax.set_xlabel("train.json documents trained on")
    ax.set_ylabel("dev strict F1")
    ax.set_title(f"Learning curve on dev ({curve['dev']['documents']} documents)")
    ax.grid(alpha=0.3)
    handles, _ = ax.get_legend_handles_labels()
    return _png(fig, legend=bool(handles))
