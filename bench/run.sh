#!/bin/sh
# The whole benchmark in one command, from the repository root:
#   bench/run.sh [--sizes 100k,1M,10M] [--pandas-max 1M] [--delete-after] ...
# Installs the peers (bench/setup.sh), builds Dialoog and the bench in release mode, then
# generates the datasets, runs every tool, checks that all numbers agree, prints the table and
# writes bench/RESULTS.md. Options are those of `dialoog-bench run --help`.
set -eu
cd "$(dirname "$0")/.."
bench/setup.sh
cargo build --release --quiet -p dialoog -p dialoog-bench
TARGET="${CARGO_TARGET_DIR:-target}"
exec "$TARGET/release/dialoog-bench" run "$@"
