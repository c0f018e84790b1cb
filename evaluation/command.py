"""``vicluster``: one command for the whole system.

    vicluster train [--config NAME] [--output DIR] ...     train a tagger (python -m training)
    vicluster pretrain ...                                 masked-language pre-training of the backbone
    vicluster extract FILE... --model DIR                  entities of articles (python -m models extract)
    vicluster records FILE... --model DIR [--aggregate CSV] one record per cluster (python -m models records)
    vicluster evaluate [score|learning-curve|cross-validate|ci|check-floor] ...
                                                           scores and reports (python -m evaluation)
    vicluster annotate validate|convert|lint|push|pull|serve ...
                                                           gold files and Label Studio (python -m annotations)
    vicluster benchmark [MODEL...] ...                     throughput and memory (python -m models.benchmark)
    vicluster lexicon stats|show NAME|build                the annotation vocabulary and gazetteers

Every subcommand takes ``--help``. Exit codes: 0 success, 1 the work failed, 2 bad usage or
bad input. An unexpected error prints one line; ``--debug`` (before the subcommand) shows
the traceback. The command lives in the top layer because it dispatches to all of them.
"""

from __future__ import annotations

import sys
from typing import Callable

from annotations.prog import guarded, invoked_as, take_debug

#: subcommand -> (one-line help, the function that runs it with the remaining arguments)
COMMANDS: dict[str, tuple[str, Callable[[list[str]], int]]] = {}


def _command(name: str, summary: str):
    def register(fn: Callable[[list[str]], int]) -> Callable[[list[str]], int]:
        COMMANDS[name] = (summary, fn)
        return fn
    return register


@_command("train", "train a tagger and write a self-contained model directory")
def _train(argv: list[str]) -> int:
    from training.__main__ import main

    return main(argv)


@_command("pretrain", "continue masked-language pre-training of the backbone on unlabelled news")
def _pretrain(argv: list[str]) -> int:
    from training.__main__ import pretrain_main

    return pretrain_main(argv)


@_command("extract", "extract CLUSTER, LOCATION, AREA and PERCENT spans from articles")
def _extract(argv: list[str]) -> int:
    from models.__main__ import main

    with invoked_as("vicluster"):  # its subcommand's parser adds "extract"
        return main(["extract", *argv])


@_command("records", "group the spans of articles into cluster records: province, area, fill rate")
def _records(argv: list[str]) -> int:
    from models.__main__ import main

    with invoked_as("vicluster"):
        return main(["records", *argv])


@_command("evaluate", "score systems against gold, write reports, learning curve, quality floor")
def _evaluate(argv: list[str]) -> int:
    from .cli import main

    return main(argv)


@_command("annotate", "validate, convert and lint gold files; push to, pull from and serve Label Studio")
def _annotate(argv: list[str]) -> int:
    from annotations.__main__ import main

    return main(argv)


@_command("benchmark", "inference throughput and memory of the rules and models; rules scaling")
def _benchmark(argv: list[str]) -> int:
    from models.benchmark import main

    return main(argv)


@_command("lexicon", "print the lexicon's lists and version, or rebuild the administrative units")
def _lexicon(argv: list[str]) -> int:
    from annotations.lexicon.build import main

    return main(argv)


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = ["usage: vicluster [--debug] COMMAND [ARGS...]", "",
             "Extract industrial clusters and parks, their locations, areas and percentages from Vietnamese news.",
             "", "commands:"]
    lines += [f"  {name:{width}}  {summary}" for name, (summary, _) in COMMANDS.items()]
    lines += ["", "vicluster COMMAND --help shows a command's options.",
              "--debug: show the traceback of an unexpected error."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    debug, argv = take_debug(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage())
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"vicluster: unknown command {name!r}; choose from {', '.join(COMMANDS)}", file=sys.stderr)
        return 2
    # usage lines say "vicluster NAME", not "python -m ..."; failures become one line
    return guarded(f"vicluster {name}", COMMANDS[name][1], ["--debug", *rest] if debug else rest)

if __name__ == "__main__":
    sys.exit(main())
