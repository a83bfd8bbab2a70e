#!/usr/bin/env python3
"""parity.py: compare `wachter parse` outputs of renderings of one corpus.

  parity.py LABELS.csv.gz BASE.tsv OTHER.tsv...

Checks, printing TAP: the quarantined ids of each output equal the labelled
malformed ids; every rendering yields the same events as BASE (same ids,
users, times, case references and policy subjects: the queried BSNs of a
Raadpleeg, the returned BSNs of a search, plate and owner of an RDW
lookup), apart from what a rendering cannot show (the gateway knows no
workstation; LDV lookups whose audit line is missing have no user and are
reported as unattributable).
"""
import csv, gzip, sys

n = 0
failed = 0


def ok(cond, name, detail=None):
    global n, failed
    n += 1
    print("%sok %d - %s" % ("" if cond else "not ", n, name))
    if not cond:
        failed += 1
        for d in (detail or [])[:10]:
            print("#   %s" % d)


def load(path):
    ev, bad, nouser = {}, set(), []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if c[0] == "!":
                bad.add(c[2])
                continue
            flags = int(c[3])
            subj = c[18].split(",") if c[18] != "-" else []
            if c[5] == "RaadpleegMetBurgerservicenummer":
                pol = [s for s in subj if ":queried:" in s]
            elif c[4] == "rdw":
                pol = subj
            else:
                pol = [s for s in subj if ":returned:" in s]
            pol = sorted(s.split(":", 1)[1].replace("queried:", "q:")
                         .replace("returned:", "r:") for s in pol)
            rec = {"ts": c[1], "user": c[7], "case": (c[11], c[12]),
                   "subjects": pol, "flags": flags}
            if flags & 4:
                nouser.append(rec)
            else:
                ev[c[0]] = rec
    return ev, bad, nouser


def main():
    labels = {}
    with gzip.open(sys.argv[1], "rt") as f:
        for row in csv.DictReader(f):
            labels[row["event_id"]] = row["label"]
    malformed = {k for k, v in labels.items() if v == "malformed"}
    base = None
    for path in sys.argv[2:]:
        ev, bad, nouser = load(path)
        ok(bad == malformed, "%s: quarantined = labelled malformed (%d)"
           % (path, len(bad)),
           ["extra %s" % x for x in sorted(bad - malformed)] +
           ["missing %s" % x for x in sorted(malformed - bad)])
        want = set(labels) - malformed
        got = set(ev) | {None}
        missing = want - set(ev)
        if base is None:
            ok(not missing and not nouser, "%s: every lawful/unlawful event "
               "parsed (%d)" % (path, len(ev)), sorted(missing))
            base = ev
            continue
        # Lookups without a user must be exactly the base events missing.
        idx = {}
        for k in missing:
            b = base[k]
            idx.setdefault((b["ts"], tuple(b["subjects"])), []).append(k)
        unmatched = [r for r in nouser
                     if not idx.get((r["ts"], tuple(r["subjects"])))]
        ok(not unmatched and len(nouser) == len(missing),
           "%s: %d lookups without user match the base events missing "
           "(time and subjects)" % (path, len(nouser)),
           ["%d unattributable, %d missing" % (len(nouser), len(missing))] +
           [str(r) for r in unmatched])
        for field in ("ts", "user", "case", "subjects"):
            diff = [k for k in ev if k in base and ev[k][field] != base[k][field]]
            ok(not diff and not (set(ev) - set(base)),
               "%s: same %s as base" % (path, field),
               ["%s: %s != %s" % (k, ev[k][field], base[k][field])
                for k in diff])
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
