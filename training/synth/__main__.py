"""``python -m training.synth``: print generated documents as inline markup (``--stats``: their label mix)."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
