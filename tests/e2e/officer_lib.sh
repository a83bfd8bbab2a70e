# officer_lib.sh: a database as an integrity officer finds it: wachterd
# has read the sample corpus and written its alerts. Source lib.sh and
# wd.sh first. officer_setup NAME sets what wd_setup does, plus $OFF (an
# officer's login), $OPS (an operator's) and $REID (a re-identifier's).

# A login role that holds only the rights of the group role given.
officer_login() {
	psql -X -q -d "$DSN" -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM
	    pg_roles WHERE rolname = '$1') THEN CREATE ROLE $1 LOGIN; END IF;
	    END \$\$; GRANT $2 TO $1" >/dev/null 2>&1
	echo "host=$PGHOST dbname=wd_$NAME user=$1"
}

# Lookups a case explains, on working days for a week (one each evening),
# move the engine's clock past every grace period and incident gap, so held
# lookups and open incidents come out as in production.
officer_clock_lines() {
	python3 - "$W/logs/brp.jsonl" "$W/logs/rdw.csv" <<'EOP'
import datetime, sys
d = datetime.date(2026, 3, 18)
with open(sys.argv[1], "a") as brp, open(sys.argv[2], "a") as rdw:
    for i in range(40):
        day = d + datetime.timedelta(days=i // 4)
        if day.weekday() >= 5:
            continue
        # the last of each day late in the evening: outside working
        # hours, but the case explains it
        ts = "%sT%02d:00:00" % (day.isoformat(), (9, 11, 13, 22)[i % 4])
        brp.write('{"event_id":"brp-clock-%d","timestamp":"%s.000+01:00",'
            '"user":"hbos","workstation":"WS-1","application":"Zaaksysteem",'
            '"request_type":"RaadpleegMetBurgerservicenummer","query":'
            '{"burgerservicenummer":["200000330"]},"result_bsns":'
            '["200000330"],"case_ref":"ZAAK-2026-0000100","status":"ok"}\n'
            % (i, ts))
        rdw.write("%s;hbos;WS-1;12xyz3;ZAAK-2026-0000950;HANDHAVING;"
            "200000196;rdw-clock-%d\n" % (ts.replace("T", " "), i))
EOP
}

# Set up, run wachterd over the corpus until it caught up, stop it.
officer_setup() {
	NAME=$1
	wd_setup "$1" || return 1
	wd_start
	zcat "$CORPUS/rdw-audit.csv.gz" >> "$W/logs/rdw.csv"
	zcat "$CORPUS/brp-audit.jsonl.gz" >> "$W/logs/brp.jsonl"
	officer_clock_lines
	wd_wait_caught_up || return 1
	wd_stop
	OFF=$(officer_login officer_test wachter_officer)
	OPS=$(officer_login operator_test wachter_operator)
	REID=$(officer_login reident_test wachter_reidentify)
}
