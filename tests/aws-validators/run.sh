#!/usr/bin/env bash
# Exports every task definition of the workspace in every format and checks the files with
# AWS's validators (validate.py), then checks the committed deploy/ and the real-world corpus.
# Needs python3 (3.11+) with venv and pip, and the package index; nothing else from outside.
#
#   tests/aws-validators/run.sh            # what CI runs
#   ECSDEF_PROFILE=release tests/...       # export with a release build instead of the test build
set -euo pipefail
cd "$(dirname "$0")/../.."
here=tests/aws-validators
target=${CARGO_TARGET_DIR:-target}
venv=$target/aws-validators-venv
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
profile=()
[[ ${ECSDEF_PROFILE:-dev} == release ]] && profile=(--release)
echo "==> cargo ecsdef export (every format) to $out"
cargo run --quiet --locked "${profile[@]}" -p cargo-ecsdef -- export --workspace \
    --format json --format cloudformation --format terraform --out-dir "$out"

echo "==> cargo ecsdef export of $here/short-roles (roles given by their short names)"
short=$(mktemp -d)
trap 'rm -rf "$out" "$short"' EXIT
cp -r "$here/short-roles/." "$short"
cp Cargo.lock "$short/"
sed -i "s|\"RUNTIME\"|\"$PWD/runtime\"|" "$short/Cargo.toml"
cargo run --quiet --locked "${profile[@]}" -p cargo-ecsdef -- export \
    --manifest-path "$short/Cargo.toml" \
    --format json --format cloudformation --format terraform --out-dir "$out/short-roles"

echo "==> validate.py"
"$venv/bin/python" "$here/validate.py" \
    --exported "$out" \
    --exported "$out/short-roles" \
    --exported deploy \
    --corpus tests/corpus/real \
    --corpus tests/corpus/real-extracted \
    --expected-failures "$here/expected-failures.tsv" \
    --self-test "$out"
