# tests: shared helpers for unit and end-to-end tests.
EXTRA_DIST += tests/tap.h
EXTRA_DIST += tests/pg.sh
