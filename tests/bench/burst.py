#!/usr/bin/env python3
"""burst.py: a burst of alerts for `make bench`. From a gen.py corpus,
write OUT/brp-audit.jsonl where every official in service looks up their
own record (rule self-lookup, urgent) in ROUNDS rounds 9 hours apart,
more than the engine's 8 hour incident gap: each lookup is an incident of
its own, so the scan commits one alert record per line. Within a round
the lookups come a millisecond apart (a burst). The reference files are
linked from the corpus; the RDW log is empty.

With --scrape, one official instead looks up N different persons of
persons.csv without a case, 20 ms apart (rule bulk-scrape, urgent): one
incident, its alert and then addenda as the lookups go on.

usage: burst.py CORPUS OUT [--alerts N] [--scrape]
"""
import argparse
import csv
import datetime
import os
import sys

ROUND_GAP_MS = 9 * 3600 * 1000


def officials(corpus):
    """(user, bsn) of every person account still in service."""
    with open(os.path.join(corpus, "employees.csv"), newline="") as f:
        return [(r["user_id"], r["bsn"]) for r in csv.DictReader(f)
                if r["account_type"] == "person" and r["bsn"]
                and not r["employment_end"]]


def persons(corpus, n):
    """The first N BSNs of persons.csv that are not an official's."""
    with open(os.path.join(corpus, "employees.csv"), newline="") as f:
        staff = {r["bsn"] for r in csv.DictReader(f)}
    out = []
    with open(os.path.join(corpus, "persons.csv"), newline="") as f:
        for r in csv.DictReader(f):
            if r["bsn"] not in staff and r["secret"] == "0":
                out.append(r["bsn"])
                if len(out) == n:
                    break
    return out


def stamp(ms):
    t = datetime.datetime(2026, 3, 2, 7, tzinfo=datetime.timezone.utc) + \
        datetime.timedelta(milliseconds=ms)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d+00:00" % (ms % 1000)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--alerts", type=int, default=100000)
    ap.add_argument("--scrape", action="store_true")
    a = ap.parse_args()
    offs = officials(a.corpus)
    if not offs:
        sys.exit("burst.py: no official in service in %s" % a.corpus)
    os.makedirs(a.out, exist_ok=True)
    for name in os.listdir(a.corpus):
        if name.endswith(".csv") and name != "rdw-audit.csv":
            dst = os.path.join(a.out, name)
            if not os.path.lexists(dst):
                os.symlink(os.path.abspath(os.path.join(a.corpus, name)), dst)
    with open(os.path.join(a.out, "rdw-audit.csv"), "w") as f:
        with open(os.path.join(a.corpus, "rdw-audit.csv")) as g:
            f.write(g.readline())
    subjects = persons(a.corpus, a.alerts) if a.scrape else None
    with open(os.path.join(a.out, "brp-audit.jsonl"), "w") as f:
        for i in range(len(subjects) if a.scrape else a.alerts):
            if a.scrape:
                user, bsn, ms = offs[0][0], subjects[i], 20 * i
            else:
                rnd, k = divmod(i, len(offs))
                user, bsn = offs[k]
                ms = rnd * ROUND_GAP_MS + k
            f.write('{"event_id":"burst-%09d","timestamp":"%s","user":"%s",'
                    '"workstation":"WS-00001","application":"SD-Portaal",'
                    '"request_type":"RaadpleegMetBurgerservicenummer",'
                    '"query":{"burgerservicenummer":["%s"]},'
                    '"result_bsns":["%s"],"status":"ok"}\n'
                    % (i + 1, stamp(ms), user, bsn, bsn))


main()
