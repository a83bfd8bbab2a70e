#!/usr/bin/env python3
"""live.py: a steady writer for `make bench`. Appends BRP lookups to LOG
at RATE lines per second for SECONDS, stamped with the wall clock, as a
live audit log would; one line in EVERY is an official looking up their
own record (rule self-lookup, urgent; a different official each time, so
each is an incident of its own), the others lookups that an open case
explains. A thread polls wachter.chain_record every POLL seconds and
notes when each alert line's record first shows: its commit latency is
that moment less the moment its line was written and flushed (an upper
bound, at most POLL plus one psql call high); recorded_at, the time the
daemon made the record, gives the decision latency.

--reload CMD runs CMD (an import that bumps the reference data version)
at --reload-at seconds; the reload window lasts from then until the
daemon's log (--daemon-log) says "reference data reloaded". The alerts whose lines were written in
that window are reported on their own: had the reload paused reading,
their latency would hold the pause.

Prints one line: "lines seconds alerts seen p50 p99 max dec_p50 dec_p99
reload_s reload_alerts reload_max" (seconds; "-" when not measured); the
percentiles are over the alerts written outside the reload window. After
SECONDS the writer goes on with lines that alert nothing until every
alert was seen (at most --wait seconds): the watermark has to pass the
last urgent lines before they can be decided.

usage: live.py CORPUS LOG DSN [options]
"""
import argparse
import csv
import datetime
import os
import subprocess
import sys
import threading
import time


def officials(corpus):
    """(user, bsn) of every person account still in service."""
    with open(os.path.join(corpus, "employees.csv"), newline="") as f:
        return [(r["user_id"], r["bsn"]) for r in csv.DictReader(f)
                if r["account_type"] == "person" and r["bsn"]
                and not r["employment_end"]]


def open_cases(corpus, want):
    """Up to WANT (user, bsn, case id) an open case explains."""
    out = []
    with open(os.path.join(corpus, "cases.csv"), newline="") as f:
        for r in csv.DictReader(f):
            if r["status"] != "open" or r["assignees"].startswith("svc-"):
                continue
            subs = [s for s in r["subjects"].split(";") if s.isdigit()]
            if subs:
                out.append((r["assignees"].split(";")[0], subs[0],
                            r["case_id"]))
                if len(out) >= want:
                    break
    return out


def stamp(t):
    d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d+00:00" % (d.microsecond // 1000)


def line(eid, t, user, bsn, case):
    c = ',"case_ref":"%s"' % case if case else ""
    return ('{"event_id":"%s","timestamp":"%s","user":"%s",'
            '"workstation":"WS-00001","application":"SD-Portaal",'
            '"request_type":"RaadpleegMetBurgerservicenummer",'
            '"query":{"burgerservicenummer":["%s"]},"result_bsns":["%s"]%s,'
            '"status":"ok"}\n' % (eid, stamp(t), user, bsn, bsn, c))


class Poller(threading.Thread):
    """Note when each record's event ids first show in the database."""

    def __init__(self, dsn, every, dlog):
        super().__init__(daemon=True)
        self.dsn, self.every, self.dlog = dsn, every, dlog
        self.seen = {}          # event id -> (seen, recorded_at)
        self.reloaded = None
        self.stop = False
        self.seq = 0

    def poll(self):
        t = time.time()
        q = ("SELECT seq, extract(epoch FROM recorded_at), "
             "array_to_string(event_ids, ' ') FROM wachter.chain_record "
             "WHERE seq > %d ORDER BY seq" % self.seq)
        r = subprocess.run(["psql", "-X", "-At", "-F", "|", "-d", self.dsn,
                            "-c", q], capture_output=True, text=True)
        for row in r.stdout.splitlines():
            seq, rec, ids = row.split("|", 2)
            self.seq = max(self.seq, int(seq))
            for e in ids.split():
                self.seen.setdefault(e, (t, float(rec)))
        if self.dlog and self.reloaded is None:
            with open(self.dlog, errors="replace") as f:
                if "reference data reloaded" in f.read():
                    self.reloaded = t

    def run(self):
        while not self.stop:
            self.poll()
            time.sleep(self.every)


def pct(v, p):
    if not v:
        return "-"
    v = sorted(v)
    return "%.3f" % v[min(len(v) - 1, int(p * len(v)))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("log")
    ap.add_argument("dsn")
    ap.add_argument("--rate", type=int, default=5000)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--every", type=int, default=500)
    ap.add_argument("--poll", type=float, default=0.1)
    ap.add_argument("--wait", type=float, default=300)
    ap.add_argument("--reload")
    ap.add_argument("--reload-at", type=float, default=5)
    ap.add_argument("--daemon-log")
    a = ap.parse_args()
    offs = officials(a.corpus)
    cases = open_cases(a.corpus, 5000)
    if not offs or not cases:
        sys.exit("live.py: no officials or open cases in %s" % a.corpus)
    poller = Poller(a.dsn, a.poll, a.daemon_log if a.reload else None)
    poller.start()
    appended = {}           # alert event id -> when written
    reload_t = [None]

    def reload():
        reload_t[0] = time.time()
        subprocess.run(a.reload, shell=True, stdout=subprocess.DEVNULL)

    n = k = 0
    t0 = time.time()
    with open(a.log, "a") as f:
        # After SECONDS, lines that explain themselves go on (no alert):
        # the watermark must pass the last urgent lines to decide them.
        end = None
        while True:
            now = time.time()
            if end is None and now - t0 >= a.seconds:
                secs, end = now - t0, now + a.wait
            if end is not None and (now >= end or (
                    all(e in poller.seen for e in appended) and
                    (not a.reload or poller.reloaded is not None))):
                break
            if a.reload and reload_t[0] is None and now - t0 >= a.reload_at:
                reload_t[0] = 0
                threading.Thread(target=reload, daemon=True).start()
            due = int((now - t0) * a.rate)
            alerts = []
            while n < due:
                n += 1
                eid = "live-%09d" % n
                if end is None and n % a.every == 0 and k < len(offs):
                    user, bsn = offs[k]
                    k += 1
                    f.write(line(eid, now, user, bsn, None))
                    alerts.append(eid)
                else:
                    user, bsn, case = cases[n % len(cases)]
                    f.write(line(eid, now, user, bsn, case))
            f.flush()
            t = time.time()
            for e in alerts:
                appended[e] = t
            time.sleep(0.005)
    poller.stop = True
    poller.join()
    w0 = w1 = None
    if a.reload and reload_t[0] and poller.reloaded:
        w0, w1 = reload_t[0], poller.reloaded

    def during(t):
        return w0 is not None and w0 <= t <= w1

    seen = [(poller.seen[e], t) for e, t in appended.items() if e in poller.seen]
    lat = [s[0] - t for s, t in seen if not during(t)]
    dec = [s[1] - t for s, t in seen if not during(t)]
    inw = [s[0] - t for s, t in seen if during(t)]
    print(int(secs * a.rate), "%.1f" % secs, len(appended), len(seen),
          pct(lat, 0.5), pct(lat, 0.99), pct(lat, 1.0), pct(dec, 0.5),
          pct(dec, 0.99), "%.3f" % (w1 - w0) if w0 else "-",
          len(inw) if w0 else "-", pct(inw, 1.0))

main()
