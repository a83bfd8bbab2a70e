#!/bin/sh
# promcheck.sh: the exposition checker accepts and rejects its table of
# cases (run as TAP by the checker itself).
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP no python3"; exit 0; }
exec python3 "${top_srcdir:-.}/tests/e2e/promcheck.py" --self-test
