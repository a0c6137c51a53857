#!/usr/bin/env bash
# Installs moto server (a second DynamoDB engine for the integration tests: it implements PITR, tags and
# backups, which DynamoDB Local lacks) into a Python venv at <repo>/.venv. Idempotent: does nothing but
# report the version when .venv/bin/moto_server already exists. Run: `bash scripts/setup-moto.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."

MOTO_VERSION=5.2.5
venv=.venv

if [ -x "$venv/bin/moto_server" ]; then
  installed=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null || echo unknown)
  if [ "$installed" = "$MOTO_VERSION" ]; then
    echo "moto $installed already installed in $venv"
    exit 0
  fi
  echo "moto $installed found in $venv, want $MOTO_VERSION: reinstalling"
fi

if ! command -v python3 >/dev/null 2>&1; then
  echo "setup-moto: python3 is required for moto server (the second test engine); install python3 and python3-venv" >&2
  exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
  if ! python3 -m venv "$venv"; then
    echo "setup-moto: 'python3 -m venv $venv' failed; install python3-venv" >&2
    exit 1
  fi
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
echo "moto $("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("moto"))') installed in $venv"
