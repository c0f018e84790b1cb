#!/usr/bin/env bash
# Install the Label Studio server into its own virtual environment (idempotent).
# Venv path: $VICLUSTER_LS_VENV, default <repo>/.ls-venv. Used by tests/labelstudio_server.py.
set -euo pipefail

LS_VERSION="${VICLUSTER_LS_VERSION:-1.23.2}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${VICLUSTER_LS_VENV:-$repo/.ls-venv}"
py="${PYTHON:-python3}"

installed_version() {
  "$venv/bin/python" - <<'PY' 2>/dev/null || true
from importlib.metadata import version
print(version("label-studio"))
PY
}

if [ -x "$venv/bin/label-studio" ] && [ "$(installed_version)" = "$LS_VERSION" ]; then
  echo "label-studio $LS_VERSION already installed in $venv"
  exit 0
fi

start=$(date +%s)
if [ ! -x "$venv/bin/python" ]; then
  "$py" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "label-studio==$LS_VERSION"
echo "label-studio $(installed_version) installed in $venv in $(( $(date +%s) - start ))s"
