#!/usr/bin/env bash
# Validates what `cargo ecsdef check --message-format sarif` writes against the SARIF 2.1.0
# JSON schema (validate.py), on the lint fixtures and on the corpus of real task definitions.
# Needs python3 with venv and pip, and the package index.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=tests/sarif
target=${CARGO_TARGET_DIR:-target}
venv=$target/sarif-venv
python=${PYTHON:-python3}

# A venv per requirements.txt: rebuilt only when the pins change.
stamp=$(sha256sum "$here/requirements.txt" | cut -c1-16)
if [[ ! -x $venv/bin/python || "$(cat "$venv/.requirements" 2>/dev/null)" != "$stamp" ]]; then
    echo "==> python venv $venv ($($python --version))"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/pip" install --quiet --no-input \
        -r "$here/requirements.txt"
    echo "$stamp" >"$venv/.requirements"
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
check() {
    # Findings make the exit code 1; a usage or I/O error (2) fails the run.
    local name=$1
    shift
    local code=0
    cargo run --quiet --locked -p cargo-ecsdef -- check --message-format sarif -q "$@" \
        >"$out/$name.sarif" || code=$?
    if ((code > 1)); then
        echo "cargo ecsdef check $* failed with exit code $code" >&2
        exit 1
    fi
}
check fixtures cargo-ecsdef/tests/fixtures/lint
check corpus tests/corpus/real
"$venv/bin/python" "$here/validate.py" "$out"/*.sarif
