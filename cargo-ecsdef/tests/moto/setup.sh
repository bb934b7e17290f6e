#!/usr/bin/env bash
# Installs moto (a local AWS emulator, pinned in requirements.txt) in a venv under the target
# dir for the AWS verbs' tests (cargo-ecsdef/tests/aws_verbs.rs), and prints the venv's
# python, which the tests take from `ECSDEF_MOTO_PYTHON`:
#
#   export ECSDEF_MOTO_PYTHON=$(cargo-ecsdef/tests/moto/setup.sh)
#   cargo test -p cargo-ecsdef --test aws_verbs
#
# Needs python3 (3.11+) with venv and pip, and the package index.
set -euo pipefail
cd "$(dirname "$0")/../../.."
here=cargo-ecsdef/tests/moto
target=${CARGO_TARGET_DIR:-target}
venv=$target/moto-venv
python=${PYTHON:-python3}

# Rebuilt only when the pins change.
stamp=$(sha256sum "$here/requirements.txt" | cut -c1-16)
if [[ ! -x $venv/bin/python || "$(cat "$venv/.requirements" 2>/dev/null)" != "$stamp" ]]; then
    echo "==> python venv $venv ($($python --version))" >&2
    rm -rf "$venv"
    "$python" -m venv "$venv"
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/pip" install --quiet --no-input \
        -r "$here/requirements.txt" >&2
    echo "$stamp" >"$venv/.requirements"
fi
echo "$(cd "$venv" && pwd)/bin/python"
