"""``python -m models.benchmark``: throughput, compute use and memory of every system on the same texts.

First the machine's own matrix-product peak (``torch.matmul`` of two square matrices, fp32 and
bf16, best of a few; see :func:`matmul_peak`), then each system on the same articles, each in a
fresh subprocess (so that its peak resident memory is its own): the rules baseline, every model
directory given (in float32 and, on a CPU with native bf16, in bfloat16), PhoBERT-base's
architecture with random weights and the real tokenizer (``--phobert-base-random``, by default
the shared ``phobert-tokenizer`` when present) and underthesea's NER when it is installed; then
the peak once more. ``peak_gflops`` is the better of the two peaks (both are in
``peak_gflops_runs``): on cores shared with other work one measure may fall in a busy moment,
and an ``mfu`` above 1 says that both did.

It prints a table to stderr and one JSON object to stdout (and to ``--json PATH``)::

    {"peak_gflops": {"fp32": .., "bf16": ..},
     "systems": [{"name", "dtype", "articles", "chars_per_s", "articles_per_s", "tokens_per_s",
                  "gflops_per_s", "mfu", "peak_rss_mb", ...}],
     "training": [{"name", "dtype", "batch", "seq_len", "steps", "tokens_per_s", "gflops_per_s", "mfu", ...}],
     "peak_gflops_runs": [{..}, {..}], "texts": {...}, "settings": {...}}

The keys of ``peak_gflops`` are the short names of issue 15 (``fp32``, ``bf16``); a row's
``dtype`` is torch's name of the dtype it ran in (``float32``, ``bfloat16``; ``null`` for
systems without a network: the rules, underthesea), and its ``mfu`` is over
``peak_gflops[PEAK_KEY[dtype]]``. Fields a system cannot have (tokens of the rules) are
``null``; a system that failed has ``error`` instead of figures, and the exit code is 1.

``tokens_per_s`` counts model tokens, window overlap and specials included (padding not);
``gflops_per_s`` counts per window of L tokens ``2 * P * L + 4 * layers * hidden * L**2`` (P: the
parameters outside the embeddings; the second term: attention scores and their weighted sum);
``mfu`` is that over the peak of the dtype used. ``peak_rss_mb`` is the subprocess's peak
resident memory (``VmHWM``), interpreter and libraries included (``base_rss_mb``: the same
process after importing them, before loading the system). A bf16 row carries ``span_f1_vs_float32``: strict
span F1 between its spans and the float32 run's of the same model. ``--train-steps N`` also
times N optimizer steps (forward, backward, AdamW; random tokens, full-length windows) of each
model's architecture in each dtype, with ``3 *`` the forward FLOPs.

``--scaling MB,MB,...`` instead times the rules on one text of each size, to see that the time
is linear in the length.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from annotations import ARTICLES_DIR

#: default texts: this file of the shared folder when present, else the repository's articles
SHARED_TEXTS = "corpus/unlabelled.jsonl"
_ROOT = Path(__file__).resolve().parent.parent


# ----------------------------------------------------------------------------- texts


def _read_texts(source: str | None, limit: int | None = None, max_chars: int = 0) -> tuple[list[str], dict]:
    """The first ``limit`` texts of ``source`` (JSON lines with ``text``, a Label Studio export
    ``.json``, a directory of ``.txt``), skipping those longer than ``max_chars`` (0: none)."""
    from annotations.shared import shared_file

    if source is None:
        shared = shared_file(SHARED_TEXTS)
        source = str(shared) if shared else str(ARTICLES_DIR)
    if source.endswith(".json"):
        from annotations.labelstudio import load_documents

        stream = (d.text for d in load_documents(source))
    else:
        from annotations.reader import iter_articles

        stream = (a.text for a in iter_articles([source]))
    texts, skipped = [], 0
    for text in stream:
        if limit is not None and len(texts) >= limit:
            break
        if max_chars and len(text) > max_chars:
            skipped += 1
            continue
        texts.append(text)
    return texts, {"source": source, "articles": len(texts), "chars": sum(map(len, texts)),
                   "skipped_longer_than": max_chars or None, "skipped": skipped}


def _texts(source: str | None, limit: int) -> list[str]:
    return _read_texts(source, limit)[0]


# ----------------------------------------------------------------------------- measures


def _status_mb(field: str) -> float | None:
    """A ``/proc/self/status`` memory field (``VmHWM``, ``VmRSS``) in MB; None where there is none."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _peak_mb() -> float:
    """Peak resident memory of this process: ``VmHWM``, the high-water mark of its own address
    space. Not ``ru_maxrss``: Linux carries that across ``fork`` + ``exec``, so a subprocess would
    report at least its parent's size at the fork."""
    peak = _status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB


def _rss_mb() -> float:
    rss = _status_mb("VmRSS")
    return rss if rss is not None else _peak_mb()


def _time(fn, repeat: int, warm=None) -> float:
    (warm or fn)()  # warm-up: loading, caches, kernels
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


#: the key of ``peak_gflops`` for each dtype a row may name
PEAK_KEY = {"float32": "fp32", "bfloat16": "bf16"}


def matmul_peak(size: int = 3072, reps: int = 5, seconds: float = 1.0) -> dict[str, float]:
    """GFLOP/s of ``torch.matmul`` of two square matrices, best of ``reps``: ``{"fp32": .., "bf16": ..}``.

    The side is ``size``, or less (at least 1024) where one product would take longer than about
    ``seconds``, as estimated from a 1024 x 1024 product: bf16 without native instructions is
    emulated, many times slower than fp32, and a 3072 product would take most of a minute."""
    import torch

    from .precision import limit_threads

    limit_threads()
    out = {}
    for dtype in (torch.float32, torch.bfloat16):
        probe = torch.randn(1024, 1024).to(dtype)
        rate = 2 * 1024 ** 3 / _time(lambda: torch.matmul(probe, probe), 1)
        side = max(1024, min(size, int((seconds * rate / 2) ** (1 / 3)) // 256 * 256))
        a, b = torch.randn(side, side).to(dtype), torch.randn(side, side).to(dtype)
        best = _time(lambda: torch.matmul(a, b), reps)
        out[PEAK_KEY[str(dtype).rpartition(".")[2]]] = round(2 * side ** 3 / best / 1e9, 1)
    return out


def model_flops(model, lengths) -> float:
    """Forward FLOPs of ``model`` on windows of ``lengths`` tokens: ``2 * P * L`` (P: parameters
    outside the embeddings) plus ``4 * layers * hidden * L**2`` (attention) per window."""
    embeddings = getattr(getattr(model, "base_model", model), "embeddings", None) or model.get_input_embeddings()
    params = model.num_parameters() - sum(p.numel() for p in embeddings.parameters())
    layers, hidden = model.config.num_hidden_layers, model.config.hidden_size
    return float(sum(2 * params * n + 4 * layers * hidden * n * n for n in lengths))


# ----------------------------------------------------------------------------- one system (subprocess)


def _run_system(spec: dict) -> dict:
    """Measure one system in this process: what ``--_system`` runs in the subprocess."""
    texts = json.loads(Path(spec["texts"]).read_text(encoding="utf-8"))
    repeat, kind = spec["repeat"], spec["kind"]
    warm = texts[:2]
    row: dict = {"name": spec["name"], "dtype": None, "articles": len(texts)}
    tokens = flops = None
    spans = None
    if kind == "rules":
        from .rules import extract as rules_extract

        row["base_rss_mb"] = round(_rss_mb())
        seconds = _time(lambda: [rules_extract(t) for t in texts], repeat, lambda: [rules_extract(t) for t in warm])
    elif kind == "underthesea":
        import underthesea

        row["base_rss_mb"] = round(_rss_mb())

        def ner(batch):
            for text in batch:
                for line in text.splitlines():
                    for sentence in underthesea.sent_tokenize(line) if line.strip() else ():
                        underthesea.ner(sentence)

        seconds = _time(lambda: ner(texts), repeat, lambda: ner(warm))
        row["version"] = getattr(underthesea, "__version__", None)
    elif kind == "tagger":
        import torch  # noqa: F401  (imported before the baseline memory is read)
        import transformers  # noqa: F401

        from .precision import dtype_name
        from .tagger import Tagger

        row["base_rss_mb"] = round(_rss_mb())
        tagger = Tagger.from_pretrained(spec["model"], device="cpu", dtype=spec["dtype"],
                                        **({"segmenter": spec["segmenter"]} if spec.get("segmenter") else {}))
        row["dtype"] = dtype_name(tagger.dtype)
        lengths = [len(w.input_ids) for t in texts for w in tagger.encode(t).windows]
        tokens, flops = sum(lengths), model_flops(tagger.model, lengths)
        row.update(params_m=round(tagger.model.num_parameters() / 1e6, 1), segmenter=tagger.settings.segmenter,
                   threads=torch.get_num_threads(), windows=len(lengths))
        run = lambda batch: tagger.extract_batch(batch, batch_size=spec["batch_size"],  # noqa: E731
                                                 max_tokens=spec.get("max_tokens"))
        results: list = []
        seconds = _time(lambda: results.__setitem__(slice(None), run(texts)), repeat, lambda: run(warm))
        spans = [[[s.start, s.end, s.label] for s in doc] for doc in results]
    elif kind == "train":
        return _run_training(spec)
    else:
        raise ValueError(f"unknown system kind {kind!r}")
    chars = sum(map(len, texts))
    row.update(seconds=round(seconds, 3), chars_per_s=round(chars / seconds), articles_per_s=round(len(texts) / seconds, 2),
               tokens_per_s=round(tokens / seconds) if tokens is not None else None,
               gflops_per_s=round(flops / seconds / 1e9, 1) if flops is not None else None,
               mfu=None, peak_rss_mb=round(_peak_mb()))
    if spans is not None and spec.get("spans_out"):
        Path(spec["spans_out"]).write_text(json.dumps(spans), encoding="utf-8")
    return row


def _run_training(spec: dict) -> dict:
    """Time optimizer steps of a model's architecture (random weights, random tokens)."""
    import torch
    from transformers import AutoConfig, AutoModelForTokenClassification

    from .precision import autocast, dtype_name, limit_threads, resolve_dtype
    from .tagger import TaggerSettings

    limit_threads()
    base = round(_rss_mb())
    config = AutoConfig.from_pretrained(spec["model"])
    torch.manual_seed(0)
    model = AutoModelForTokenClassification.from_config(config).train()
    dtype = resolve_dtype(spec["dtype"], torch.device("cpu"))
    length = min(TaggerSettings.load(Path(spec["model"])).max_length, config.max_position_embeddings - 2)
    batch = spec["train_batch"]
    ids = torch.randint(3, config.vocab_size, (batch, length))
    labels = torch.randint(0, config.num_labels, (batch, length))
    types = torch.randint(0, config.type_vocab_size, (batch, length))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-5)

    def step():
        with autocast(torch.device("cpu"), dtype):
            loss = model(input_ids=ids, token_type_ids=types, labels=labels).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    step()  # warm-up
    start = time.perf_counter()
    for _ in range(spec["steps"]):
        step()
    seconds = time.perf_counter() - start
    tokens = batch * length * spec["steps"]
    flops = 3 * model_flops(model, [length] * batch * spec["steps"])
    return {"name": spec["name"], "kind": "train", "dtype": dtype_name(dtype), "batch": batch, "seq_len": length,
            "steps": spec["steps"], "seconds": round(seconds, 3), "tokens_per_s": round(tokens / seconds),
            "gflops_per_s": round(flops / seconds / 1e9, 1), "mfu": None, "base_rss_mb": base,
            "peak_rss_mb": round(_peak_mb())}


def _subprocess(spec: dict, timeout: float | None) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-m", "models.benchmark", "--_system", json.dumps(spec)],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=timeout)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        kind = {"kind": "train"} if spec.get("kind") == "train" else {}
        return {"name": spec["name"], **kind, "dtype": spec.get("dtype"), "error": tail[0][:300]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- the whole run


def _set_mfu(row: dict, peak: dict[str, float]) -> dict:
    """``row["mfu"]``: its GFLOP/s over the matmul peak of the dtype it ran in."""
    key = PEAK_KEY.get(row.get("dtype") or "")
    if key in peak and peak[key] and row.get("gflops_per_s") is not None:
        row["mfu"] = round(row["gflops_per_s"] / peak[key], 3)
    return row


def _span_f1(a: list, b: list) -> float:
    gold = {(i, *s) for i, doc in enumerate(a) for s in map(tuple, doc)}
    pred = {(i, *s) for i, doc in enumerate(b) for s in map(tuple, doc)}
    if not gold and not pred:
        return 1.0
    return round(2 * len(gold & pred) / (len(gold) + len(pred)), 4)


def _dtypes(value: str) -> list[str]:
    from .precision import DTYPES, cpu_has_bf16

    if value == "default":
        return ["float32", "bfloat16"] if cpu_has_bf16() else ["float32"]
    names = [v.strip() for v in value.split(",") if v.strip()]
    bad = [n for n in names if n not in DTYPES or DTYPES[n] == "float16"]
    if bad or not names:
        raise SystemExit(f"--dtype: expected a comma-separated list of auto, float32, bfloat16; got {value!r}")
    return [n if n == "auto" else DTYPES[n] for n in names]


def _print_table(result: dict, out) -> None:
    """The figures as a table: one line per system, then one per training measurement
    (its name followed by ``train``)."""
    peak = result["peak_gflops"]
    print(f"matmul peak: fp32 {peak.get('fp32')} GFLOP/s, bf16 {peak.get('bf16')} GFLOP/s; "
          f"{result['texts']['articles']} articles, {result['texts']['chars']} chars", file=out)
    cols = ("name", "dtype", "chars_per_s", "articles_per_s", "tokens_per_s", "gflops_per_s", "mfu", "peak_rss_mb")
    every = result["systems"] + result["training"]
    rows = [[("-" if r.get(c) is None else str(r[c])) for c in cols] for r in every]
    for r, row in zip(rows, every):
        if row.get("kind") == "train":
            r[0] += " train"
    widths = [max(len(c), *(len(r[i]) for r in rows)) if rows else len(c) for i, c in enumerate(cols)]
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip(), file=out)
    for r, row in zip(rows, every):
        extra = f"  span F1 vs fp32 {row['span_f1_vs_float32']}" if "span_f1_vs_float32" in row else ""
        extra += f"  error: {row['error']}" if "error" in row else ""
        print(("  ".join(v.ljust(w) for v, w in zip(r, widths)) + extra).rstrip(), file=out)


def _scaling(texts: list[str], sizes: str, extract) -> int:
    try:
        megabytes = [float(x) for x in sizes.split(",")]
    except ValueError:
        raise SystemExit(f"--scaling: expected sizes in MB such as 1,2,4, got {sizes!r}") from None
    blob = "\n\n".join(texts)
    extract(blob[:2000])  # warm-up: the gazetteer patterns compile once
    print(f"{'MB':>6}  {'seconds':>8}  {'s/MB':>6}  spans")
    for mb in megabytes:
        n = int(mb * 1e6)
        text = (blob * (n // max(len(blob), 1) + 1))[:n]
        start = time.perf_counter()
        spans = extract(text)
        seconds = time.perf_counter() - start
        print(f"{mb:6.1f}  {seconds:8.2f}  {seconds / mb:6.2f}  {len(spans)}", flush=True)
    print(f"peak resident memory {_peak_mb():.0f} MB")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from annotations.prog import prog

    p = argparse.ArgumentParser(prog=prog("python -m models.benchmark"), description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("models", nargs="*", help="model directories")
    p.add_argument("--texts", help=f"JSON lines with 'text', a Label Studio .json or a directory of .txt (default: "
                                   f"the shared {SHARED_TEXTS} when present, else the repository's articles)")
    p.add_argument("--limit", type=int, default=20, help="articles read from the texts (default 20)")
    p.add_argument("--max-article-chars", type=int, default=20000,
                   help="skip longer articles, such as whole law texts (default 20000; 0: keep all)")
    p.add_argument("--repeat", type=int, default=1, help="timed runs after a warm-up, best kept (default 1)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--max-tokens", type=int, default=None, help="tokens a batch (default batch size x max_length)")
    p.add_argument("--dtype", default="default",
                   help="comma-separated dtypes to run each model in: auto, float32, bfloat16 (default: float32, "
                        "and bfloat16 too on a CPU with native bf16)")
    p.add_argument("--phobert-base-random", metavar="TOKENIZER_DIR", type=Path,
                   help="PhoBERT-base's architecture (random weights) with this tokenizer "
                        "(default: the shared phobert-tokenizer when present)")
    p.add_argument("--no-phobert", action="store_true", help="leave PhoBERT-base random out")
    p.add_argument("--no-underthesea", action="store_true", help="leave underthesea's NER out")
    p.add_argument("--peak-size", type=int, default=3072, help="largest side of the matrices of the matmul peak (default 3072; less where one "
                        "product would take over half a second, as emulated bf16)")
    p.add_argument("--peak-reps", type=int, default=5)
    p.add_argument("--train-steps", type=int, default=0,
                   help="also time this many training steps of each model's architecture (default 0: off)")
    p.add_argument("--train-batch", type=int, default=8, help="windows a training step (default 8)")
    p.add_argument("--train-models", metavar="NAME,...",
                   help="time training steps of these systems only (names as in the table, such as "
                        "phobert-base-random; default: every model)")
    p.add_argument("--timeout", type=float, default=None, help="seconds each system may take (default: no limit)")
    p.add_argument("--json", type=Path, metavar="PATH", help="also write the JSON object here")
    p.add_argument("--scaling", metavar="MB,MB,...",
                   help="instead: time the rules on one text of each size (megabytes of the articles, repeated) "
                        "and print seconds per MB, to see that the time is linear in the length")
    p.add_argument("--_system", help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args._system:
        print(json.dumps(_run_system(json.loads(args._system))))
        return 0
    for name in ("limit", "repeat", "batch_size", "peak_size", "peak_reps", "train_batch"):
        if getattr(args, name) < 1:
            raise SystemExit(f"--{name.replace('_', '-')} must be at least 1")
    if args.scaling:
        from models.rules import extract as rules_extract

        return _scaling(_texts(args.texts, args.limit), args.scaling, rules_extract)
    dtypes = _dtypes(args.dtype)
    if args.train_models and not args.train_steps:
        raise SystemExit("--train-models needs --train-steps")
    from .precision import cpu_has_bf16, cpu_threads

    for model in args.models:
        if not (Path(model) / "config.json").is_file():
            raise SystemExit(f"{model}: not a model directory (no config.json)")
    texts, about = _read_texts(args.texts, args.limit, args.max_article_chars)
    if not texts:
        raise SystemExit(f"no texts in {about['source']}")
    log = sys.stderr
    print(f"{about['articles']} articles, {about['chars']} characters from {about['source']}; "
          f"measuring the matmul peak", file=log, flush=True)
    first_peak = matmul_peak(args.peak_size, args.peak_reps)
    result: dict = {"peak_gflops": first_peak, "systems": [], "training": [],
                    "texts": about, "settings": {"repeat": args.repeat, "batch_size": args.batch_size,
                                                 "max_tokens": args.max_tokens, "cpus": os.cpu_count(),
                                                 "cpu_threads": cpu_threads(), "cpu_bf16": cpu_has_bf16(),
                                                 "date": time.strftime("%Y-%m-%d")}}
    with tempfile.TemporaryDirectory() as tmp:
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        common = {"texts": str(texts_file), "repeat": args.repeat, "batch_size": args.batch_size,
                  "max_tokens": args.max_tokens}
        models: list[tuple[str, str, str | None]] = [(Path(m).name, str(m), None) for m in args.models]
        tokenizer = args.phobert_base_random
        if tokenizer is None and not args.no_phobert:
            from annotations.shared import shared_path

            default = shared_path("phobert-tokenizer")
            tokenizer = default if (default / "bpe.codes").is_file() else None
        if tokenizer is not None and not args.no_phobert:
            from transformers.utils import logging as hf_logging

            from .phobert import random_phobert_base

            hf_logging.disable_progress_bar()  # "Writing model shards" would land in the table
            try:
                import pyvi  # noqa: F401

                segmenter = "pyvi"
            except ImportError:
                segmenter = "syllable"
            print("writing PhoBERT-base random", file=log, flush=True)
            models.append(("phobert-base-random", str(random_phobert_base(tokenizer, Path(tmp) / "phobert")), segmenter))
        specs = [{"kind": "rules", "name": "rules"}]
        if not args.no_underthesea:
            try:
                import importlib.util

                if importlib.util.find_spec("underthesea") is not None:
                    specs.append({"kind": "underthesea", "name": "underthesea-ner"})
            except (ImportError, ValueError):
                pass
        for name, path, segmenter in models:
            for dtype in dtypes:
                specs.append({"kind": "tagger", "name": name, "model": path, "dtype": dtype, "segmenter": segmenter,
                              "spans_out": str(Path(tmp) / f"spans-{len(specs)}.json")})
        for spec in specs:
            print(f"running {spec['name']} {spec.get('dtype') or ''}", file=log, flush=True)
            row = _subprocess({**common, **spec}, args.timeout)
            result["systems"].append(row)
            spec["row"] = row
        for spec in specs:  # bf16 against the float32 run of the same model
            if spec["kind"] != "tagger" or spec["row"].get("dtype") != "bfloat16":
                continue
            ref = next((s for s in specs if s["kind"] == "tagger" and s["model"] == spec["model"]
                        and s["row"].get("dtype") == "float32"), None)
            if ref is not None and Path(ref["spans_out"]).is_file() and Path(spec["spans_out"]).is_file():
                spec["row"]["span_f1_vs_float32"] = _span_f1(json.loads(Path(ref["spans_out"]).read_text()),
                                                             json.loads(Path(spec["spans_out"]).read_text()))
        if args.train_steps:
            only = {n.strip() for n in args.train_models.split(",")} if args.train_models else None
            for name, path, _ in models:
                if only is not None and name not in only:
                    continue
                for dtype in dtypes:
                    print(f"training steps {name} {dtype}", file=log, flush=True)
                    row = _subprocess({"kind": "train", "name": name, "model": path, "dtype": dtype,
                                       "steps": args.train_steps, "train_batch": args.train_batch,
                                       "texts": str(texts_file), "repeat": 1}, args.timeout)
                    result["training"].append(row)
    # the peak again, at the end: on cores shared with other work a single measure can fall in a
    # busy moment; the best of the two is the peak every row's mfu is taken against
    print("measuring the matmul peak again", file=log, flush=True)
    last_peak = matmul_peak(args.peak_size, args.peak_reps)
    result["peak_gflops"] = {k: max(first_peak[k], last_peak[k]) for k in first_peak}
    result["peak_gflops_runs"] = [first_peak, last_peak]
    for row in result["systems"] + result["training"]:
        _set_mfu(row, result["peak_gflops"])
    _print_table(result, log)
    text = json.dumps(result, indent=1)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
    return 1 if any("error" in r for r in result["systems"] + result["training"]) else 0


if __name__ == "__main__":
    from annotations.prog import guarded

    sys.exit(guarded("python -m models.benchmark", main))
