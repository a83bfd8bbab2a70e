#!/bin/sh
# check.sh: `wachter rules check|test` on the shipped rules, and the
# error messages (file:line:column) for broken rule files.
W=${top_builddir:-.}/daemon/wachter
R=${top_srcdir:-.}/rules
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
echo "1..7"
n=0
t() { n=$((n+1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
t "shipped rules load" "$W rules check $R >/dev/null"
t "shipped rule tests pass" "$W rules test $R >/dev/null"
printf 'rules:\n  - id: x\n    title: t\n    description: d\n    colour: red\n' >"$T/a.yaml"
t "unknown key names file:line:column" \
  "$W rules check $T 2>&1 | grep -q '^$T/a.yaml:5:5: unknown rule key .colour.'"
printf 'rules:\n  - id: x\n    title: t\n    description: d\n    when:\n      subject.secret: maybe\n' >"$T/a.yaml"
t "bad value is refused" \
  "$W rules check $T 2>&1 | grep -q 'a.yaml:6:23: expected true or false'"
printf 'rules:\n  - id: x\n    title: t\n    description: d\n    when:\n      request: Foo\n' >"$T/a.yaml"
t "unknown request value is refused" \
  "$W rules check $T 2>&1 | grep -q \"a.yaml:6:16: 'Foo' is not a value of request\""
printf 'rules:\n  - id: x\n   title: t\n' >"$T/a.yaml"
t "YAML syntax error has a position" \
  "! $W rules check $T 2>/dev/null && $W rules check $T 2>&1 | grep -q 'a.yaml:3:'"
printf 'rules:\n  - id: x\n    title: t\n    description: d\n    urgent: true\n    reexamine: true\n' >"$T/a.yaml"
t "a reexamined rule cannot be urgent" \
  "$W rules check $T 2>&1 | grep -q 'a.yaml:2:5: a rule that is reexamined has no window, sequence, baseline, first_time or urgent'"
