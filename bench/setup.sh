#!/bin/sh
# Installs the peers (DuckDB, polars, pandas, pinned) from PyPI into a venv outside the repo.
set -eu
VENV="${DIALOOG_BENCH_VENV:-$HOME/.cache/dialoog-bench/venv}"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet duckdb==2.0.1 polars==2.1.0 pandas==3.1.1
"$VENV/bin/python" -c 'import duckdb, polars, pandas; print("peers:", "duckdb", duckdb.__version__, "polars", polars.__version__, "pandas", pandas.__version__)'
