#!/bin/sh
# escape.sh: untrusted text never reaches a terminal raw. A YAML key with
# an escape sequence (CSI, OSC) in a rule file, and DEL, a C1 control and
# a bidi override in a log line, come out as \xNN; a rule id with a
# control character is refused.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

plan 7
T=$TEST_TMP/escape
rm -rf "$T"
mkdir -p "$T/rules"
raw() {	# FILE: 0 when it holds an ESC, BEL, DEL, a C1 or RLO byte sequence
	LC_ALL=C grep -q "$(printf '[\033\007\177]')\|$(printf '\302[\200-\237]')\|$(printf '\342\200\256')" "$1"
}
printf 'rules:\n  - id: ok\n    "\\e]0;pwned\\a\\e[31mred": 1\n' > "$T/rules/a.yaml"
"$WACHTER" rules check "$T/rules" > "$T/out" 2>&1
ok "$(raw "$T/out"; [ $? != 0 ]; echo $?)" "rules check: no raw control bytes from a YAML key"
like "$(cat "$T/out")" "unknown rule key '.x1b]0;pwned.x07.x1b\[31mred'" \
    "...they are shown escaped"
printf 'rules:\n  - id: "bad\\e[2Jid"\n    title: x\n    severity: low\n    weight: 1\n    when: {explanation: none}\n' > "$T/rules/a.yaml"
"$WACHTER" rules check "$T/rules" > "$T/out" 2>&1
like "$(cat "$T/out")" "a.yaml:2:[0-9]+: a rule id is 1 to 64 letters" \
    "a rule id with a control character is refused"
printf '{"event_id":"e1","timestamp":"2026-03-02T10:00:00+01:00","user":"a\\u007fb","purpose":"x\\u0085y\\u202ez","workstation":"Wi\\u015bniewski","request_type":"RaadpleegMetBurgerservicenummer","query":{"burgerservicenummer":["123456782"]},"result_bsns":[],"status":"ok"}\n' > "$T/log.jsonl"
"$WACHTER" parse -S "$top_srcdir/contrib/sources" -f brp-audit-jsonl "$T/log.jsonl" > "$T/out" 2>&1
ok "$(raw "$T/out"; [ $? != 0 ]; echo $?)" "parse: no DEL, C1 or bidi override reaches the terminal"
like "$(cat "$T/out")" 'a\\x7fb' "...DEL escaped"
like "$(cat "$T/out")" 'x\\xc2\\x85y\\xe2\\x80\\xaez' "...C1 and bidi escaped"
like "$(cat "$T/out")" "$(printf 'Wi\305\233niewski')" "...other letters kept"
