#!/usr/bin/env python3
# gen.py: a synthetic municipality at any scale, in the layout of
# shared/data/FORMAT.md, for benchmarks. Deterministic: the same
# arguments and seed give the same bytes. Standard library only.
#
#   gen.py OUTDIR [--lookups N] [--cases N] [--officials N] [--seed S] [--gzip]
#
# Officials work cases of their department and team, the counter serves
# appointments, service accounts run night batches under their case, some
# searches fail and are retried; misuse is injected at about one incident
# per 20 000 lookups (curiosity, self, colleague, VIP, terminated account,
# off hours, plate to address, bulk scrape) with labels.csv.gz and
# incidents.csv as the answers. Logs are plain text unless --gzip.
import argparse, datetime, gzip, json, os, random

DEPTS = [  # name, team prefix, share of officials, case types
    ("Burgerzaken balie", "BZ-Balie", 0.16, []),
    ("Burgerzaken backoffice", "BZ-Back", 0.10, ["adresonderzoek", "verhuizing-onderzoek"]),
    ("Belastingen", "BEL", 0.12, ["kwijtschelding", "bezwaar-woz"]),
    ("Handhaving/parkeren", "HH", 0.16, ["naheffing-parkeren", "parkeervergunning"]),
    ("Sociaal domein/WMO", "WMO", 0.12, ["wmo-melding"]),
    ("Participatie/bijstand", "PW", 0.12, ["bijstandsdossier"]),
    ("Leerplicht", "LP", 0.06, ["verzuimmelding"]),
    ("Vergunningen", "VG", 0.08, ["evenementenvergunning"]),
    ("Schuldhulp", "SH", 0.08, ["schuldregeling"]),
]
SURNAMES = ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker",
            "Janssen", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
            "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
            "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok",
            "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "Wiśniewski", "Yilmaz"]
GIVEN = ["Anna", "Cornelis Pieter", "Saar", "Daan", "Emma", "Sem", "Julia", "Noah",
         "Tess", "Lucas", "Mila", "Finn", "Zoë", "Levi", "Sara", "Mohammed"]
APPS = ["Zaaksysteem", "BZ-Suite", "Belastingen-Suite", "SD-Portaal"]
PRODUCTS = ["paspoort", "id-kaart", "rijbewijs", "verhuizing", "uittreksel"]
LETTERS = "BDFGHJKLNPRSTVXZ"
SEC_DAY = 86400


def mix(x):
    """A cheap integer hash (splitmix64 finaliser) for per-person attributes."""
    x = (x + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


def bsn(i):
    """The i-th BSN: a bijection onto valid BSNs (11-check), no table."""
    q = 1000000 + (i // 9 * 1234567 + 7654321) % 9000000
    d = [int(c) for c in str(q)]
    s = sum((9 - k) * d[k] for k in range(7))
    want = i % 9
    for d8 in range(10):
        d9 = (s + 2 * d8) % 11
        if d9 == 10:
            continue
        if want == 0:
            return "%d%d%d" % (q, d8, d9)
        want -= 1


def plate(j):
    """The j-th licence plate, dashed (side code 99-XXX-9)."""
    a = LETTERS[j % 16] + LETTERS[j // 16 % 16] + LETTERS[j // 256 % 16]
    return "%02d-%s-%d" % (j // 4096 % 100, a, j // 409600 % 10)


class Clock:
    """Local time of Europe/Amsterdam as text, from local seconds."""

    def __init__(self):
        self.days = {}

    def day(self, d):
        s = self.days.get(d)
        if s is None:
            dt = datetime.date.fromordinal(d)
            y = dt.year
            mar = max(datetime.date(y, 3, k) for k in range(25, 32)
                      if datetime.date(y, 3, k).weekday() == 6).toordinal()
            octo = max(datetime.date(y, 10, k) for k in range(25, 32)
                       if datetime.date(y, 10, k).weekday() == 6).toordinal()
            s = self.days[d] = (dt.isoformat(), mar, octo)
        return s

    def offset(self, t):
        d, sec = divmod(t, SEC_DAY)
        iso, mar, octo = self.day(d)
        summer = (mar < d < octo or (d == mar and sec >= 3 * 3600) or
                  (d == octo and sec < 2 * 3600))
        return iso, sec, "+02:00" if summer else "+01:00"

    def rfc(self, t, ms=None):
        iso, sec, off = self.offset(t)
        h, m, s = sec // 3600, sec // 60 % 60, sec % 60
        if ms is None:
            return "%sT%02d:%02d:%02d%s" % (iso, h, m, s, off)
        return "%sT%02d:%02d:%02d.%03d%s" % (iso, h, m, s, ms, off)

    def rdw(self, t):
        iso, sec, _ = self.offset(t)
        return "%s %02d:%02d:%02d" % (iso, sec // 3600, sec // 60 % 60, sec % 60)


class Gen:
    def __init__(self, a):
        self.a = a
        self.r = random.Random(a.seed)
        self.clk = Clock()
        self.first = datetime.date(2026, 1, 5).toordinal()
        self.days = a.days
        self.t0 = self.first * SEC_DAY
        self.t1 = (self.first + self.days) * SEC_DAY
        self.ncit = 3 * a.cases + 20 * a.officials + 1000  # citizens
        self.persons = set()      # person indices that must be written
        self.incidents = []

    # Persons are indices; 0 .. officials-1 are the officials themselves.
    def person(self, i):
        h = mix(i + self.a.seed * 7919)
        sn = SURNAMES[h % len(SURNAMES)]
        pc4 = 7300 + h // 32 % 60 if h // 4096 % 10 else 1000 + h // 32 % 8000
        pc = "%d%s%s" % (pc4, LETTERS[h // 256 % 16], LETTERS[h // 65536 % 16])
        return (bsn(i), sn, GIVEN[h // 1048576 % len(GIVEN)],
                "%04d-%02d-%02d" % (1930 + h // 2**24 % 80, 1 + h // 2**31 % 12,
                                    1 + h // 2**35 % 28),
                pc, 1 + h // 2**40 % 150, int(h // 2**48 % 500 == 0), 0)

    def citizen(self):
        i = self.a.officials + self.r.randrange(self.ncit)
        self.persons.add(i)
        return i

    def staff(self):
        r, a = self.r, self.a
        self.off = []   # (user, dept, team, bsn index, end day or None, roles)
        self.teams = {}
        self.by_dept = {}
        names = set()
        k = 0
        for di, (dept, pre, share, _) in enumerate(DEPTS):
            n = max(2, int(a.officials * share))
            for j in range(n):
                if k >= a.officials:
                    break
                p = self.person(k)
                base = (p[2][0] + p[1].replace(" ", "")).lower()
                base = "".join(c for c in base if c.isascii() and c.isalpha())
                u = base
                while u in names:
                    u = "%s%d" % (base, r.randrange(1000))
                names.add(u)
                team = "%s-%d" % (pre, j // 12 + 1)
                end = None
                if r.random() < 0.01:
                    end = self.first + r.randrange(self.days)
                roles = "brp-raadplegen"
                if dept.startswith("Handhaving"):
                    roles += ";rdw-raadplegen"
                roles += ";balie" if di == 0 else ";zaakbehandelaar"
                self.off.append((u, di, team, k, end, roles))
                self.persons.add(k)
                self.teams.setdefault(team, []).append(len(self.off) - 1)
                self.by_dept.setdefault(di, []).append(len(self.off) - 1)
                k += 1
        self.active = [o for o in range(len(self.off)) if self.off[o][4] is None]
        self.svc = [("svc-kiezers", 1), ("svc-kwijtschelding", 2),
                    ("svc-scanauto", 3), ("svc-wmo-portaal", 4)]

    def make_cases(self):
        r, a = self.r, self.a
        raw = []
        self.plates = []         # (plate index, owner person or None)
        for c in range(a.cases):
            di = r.randrange(1, len(DEPTS))
            dept = DEPTS[di]
            staff = [o for o in self.by_dept.get(di, []) if self.off[o][4] is None]
            if not staff:
                continue
            u = r.choice(staff)
            team = self.off[u][2]
            ass = [u]
            if r.random() < 0.15:
                v = r.choice(self.teams[team])
                if v != u and self.off[v][4] is None:
                    ass.append(v)
            if r.random() < 0.2:
                opened = self.t0 - r.randrange(3 * 365) * SEC_DAY
            else:
                opened = self.t0 + r.randrange(-60 * SEC_DAY, self.t1 - self.t0)
            opened = opened // SEC_DAY * SEC_DAY + 8 * 3600 + r.randrange(9 * 3600)
            closed = None
            if r.random() < 0.35:
                closed = opened + r.randrange(SEC_DAY, 90 * SEC_DAY)
                if closed >= self.t1:
                    closed = None
            reg = opened
            if r.random() < 0.03:
                reg = opened + r.randrange(600, 3 * SEC_DAY)
            subs = [self.citizen() for _ in range(1 + (r.random() < 0.4) + (r.random() < 0.2))]
            pl = None
            if di == 3:
                owner = subs[0] if r.random() < 0.9 else None
                pl = len(self.plates)
                self.plates.append((pl, owner))
            raw.append([opened, closed, reg, di, r.choice(dept[3]), team, ass, subs, pl])
        for k, (name, di) in enumerate(self.svc):
            subs = [self.citizen() for _ in range(min(2000, 50 + a.lookups // 2000))]
            raw.append([self.t0 - 30 * SEC_DAY, None, self.t0 - 30 * SEC_DAY, di,
                        "verkiezingen-kiezersregister", "SVC-%d" % k, [-1 - k], subs, None])
        raw.sort(key=lambda c: c[0])
        self.cases = raw
        self.case_ids = []
        seq = {}
        for c in raw:
            y = datetime.date.fromordinal(c[0] // SEC_DAY).year
            seq[y] = seq.get(y, 0) + 1
            self.case_ids.append("ZAAK-%d-%07d" % (y, seq[y]))
        self.opened = [c[0] for c in raw]
        self.svc_case = {}
        for i, c in enumerate(raw):
            if c[6][0] < 0:
                self.svc_case[-1 - c[6][0]] = i

    def user(self, o):
        return self.svc[-1 - o][0] if o < 0 else self.off[o][0]

    def write_reference(self, out):
        a, r, clk = self.a, self.r, self.clk
        with open(os.path.join(out, "employees.csv"), "w") as f:
            f.write("user_id,display_name,surname,department,roles,team,home_postcode,"
                    "home_housenumber,bsn,employment_start,employment_end,schedule,account_type\n")
            for (u, di, team, k, end, roles) in self.off:
                p = self.person(k)
                endd = datetime.date.fromordinal(end).isoformat() if end else ""
                f.write("%s,%s %s,%s,%s,%s,%s,%s,%d,%s,2015-01-01,%s,mon-fri 08:00-17:30,person\n"
                        % (u, p[2], p[1], p[1], DEPTS[di][0], roles, team, p[4], p[5], p[0], endd))
            for k, (name, di) in enumerate(self.svc):
                f.write("%s,Koppeling %s,,%s,brp-raadplegen;batch,SVC-%d,,,,2015-01-01,,"
                        "mon-sun 00:00-24:00,service\n" % (name, name[4:], DEPTS[di][0], k))
        with open(os.path.join(out, "cases.csv"), "w") as f:
            f.write("case_id,case_type,department,status,opened_at,closed_at,assignees,"
                    "team,subjects,registered_at\n")
            for cid, c in zip(self.case_ids, self.cases):
                opened, closed, reg, di, typ, team, ass, subs, pl = c
                sl = [bsn(s) for s in subs]
                if pl is not None:
                    sl.append(plate(pl))
                f.write("%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n" % (
                    cid, typ, DEPTS[di][0], "open" if closed is None else "closed",
                    clk.rfc(opened), clk.rfc(closed) if closed else "",
                    ";".join(self.user(o) for o in ass), team, ";".join(sl), clk.rfc(reg)))
        with open(os.path.join(out, "vehicles.csv"), "w") as f:
            f.write("kenteken,owner_bsn\n")
            for pl, owner in self.plates:
                f.write("%s,%s\n" % (plate(pl), bsn(owner) if owner is not None else ""))
        with open(os.path.join(out, "watchlist.csv"), "w") as f:
            f.write("subject,category,note\n")
            for i, v in enumerate(self.vips):
                f.write("%s,vip,raadslid %d\n" % (bsn(v), i))
        with open(os.path.join(out, "persons.csv"), "w") as f:
            f.write("bsn,surname,given_name,birth_date,postcode,housenumber,secret,deceased\n")
            for i in sorted(self.persons):
                f.write("%s,%s,%s,%s,%s,%d,%d,%d\n" % self.person(i))
        with open(os.path.join(out, "incidents.csv"), "w") as f:
            f.write("incident_id,scenario,user,first_at,last_at,n_events,description\n")
            for inc, scen, u, first, last, n in self.incidents:
                f.write("%s,%s,%s,%s,%s,%d,synthetic\n" % (inc, scen, u, clk.rfc(first),
                                                           clk.rfc(last), n))

    # One lookup: (t, ms, user, kind, subjects, returned, case ref, label tuple).
    def case_lookup(self, t):
        r = self.r
        for _ in range(8):
            ci = r.randrange(self.hi)
            c = self.cases[ci]
            if c[6][0] < 0:
                continue
            if c[1] is not None and t > c[1] + 29 * SEC_DAY:
                continue
            break
        else:
            return None
        opened, closed, reg, di, typ, team, ass, subs, pl = c
        if r.random() < 0.8:
            o, basis = r.choice(ass), "case"
        else:
            o = r.choice(self.teams[team])
            basis = "case" if o in ass else "case_team"
            if self.off[o][4] is not None:
                o, basis = ass[0], "case"
        if closed is not None and t > closed:
            basis = "case_aftercare"
        if t < reg:
            basis = "case_unregistered"
        ref = self.case_ref(ci)
        if pl is not None and r.random() < 0.3:
            owner = self.plates[pl][1]
            return (t, o, "rdw", [plate(pl)], [] if owner is None else [owner], ref,
                    ("lawful", "", "", basis))
        s = r.choice(subs)
        return (t, o, self.request(), [s], [s], ref, ("lawful", "", "", basis))

    def request(self):
        x = self.r.random()
        return ("RaadpleegMetBurgerservicenummer" if x < 0.75 else
                "ZoekMetGeslachtsnaamEnGeboortedatum" if x < 0.95 else
                "ZoekMetPostcodeEnHuisnummer")

    def case_ref(self, ci):
        r = self.r
        x = r.random()
        cid = self.case_ids[ci]
        if x < 0.25:
            return None if x < 0.1 else ""
        if x < 0.3:
            return cid.lower()
        if x < 0.33:
            return cid[5:]
        return cid

    def misuse(self, t, day_events):
        """One incident of a random scenario, appended to day_events."""
        r = self.r
        scen = r.choice(["curiosity_no_case", "self_lookup", "colleague_lookup",
                         "vip_lookup", "terminated_account", "off_hours",
                         "plate_to_address", "bulk_scrape"])
        if scen == "bulk_scrape" and self.bulk_left <= 0:
            scen = "curiosity_no_case"
        inc = "INC-%05d" % (len(self.incidents) + 1)
        lab = ("unlawful", scen, inc, "")
        o = r.choice(self.active)
        evs = []
        if scen == "curiosity_no_case":
            evs.append((t, o, self.request(), [self.citizen()], None, None, lab))
        elif scen == "self_lookup":
            evs.append((t, o, "RaadpleegMetBurgerservicenummer", [self.off[o][3]], None, "", lab))
        elif scen == "colleague_lookup":
            v = r.choice(self.active)
            if v == o:
                return
            evs.append((t, o, "RaadpleegMetBurgerservicenummer", [self.off[v][3]], None, None, lab))
        elif scen == "vip_lookup":
            evs.append((t, o, "RaadpleegMetBurgerservicenummer", [r.choice(self.vips)], None, None, lab))
        elif scen == "terminated_account":
            gone = [k for k in range(len(self.off))
                    if self.off[k][4] is not None and self.off[k][4] < t // SEC_DAY]
            if not gone:
                return
            o = r.choice(gone)
            evs.append((t, o, "RaadpleegMetBurgerservicenummer", [self.citizen()], None, "", lab))
        elif scen == "off_hours":
            tt = t // SEC_DAY * SEC_DAY + 2 * 3600 + r.randrange(3600)
            evs.append((tt, o, "RaadpleegMetBurgerservicenummer", [self.citizen()], None, "", lab))
        elif scen == "plate_to_address":
            if not self.plates:
                return
            pl, owner = r.choice(self.plates)
            if owner is None:
                return
            evs.append((t, o, "rdw", [plate(pl)], [owner], "", lab))
            evs.append((t + 240, o, "RaadpleegMetBurgerservicenummer", [owner], None, "", lab))
        else:
            self.bulk_left -= 1
            n = r.randrange(200, 500)
            for k in range(n):
                s = self.citizen()
                evs.append((t + k * 3600 // n, o, "ZoekMetPostcodeEnHuisnummer", [s], [s], "", lab))
        self.incidents.append((inc, scen, self.user(evs[0][1]), evs[0][0], evs[-1][0], len(evs)))
        day_events.extend(evs)

    def day(self, d, n):
        """The lookups of local day d (about n of them), unsorted."""
        r = self.r
        evs = []
        day0 = d * SEC_DAY
        weekend = datetime.date.fromordinal(d).weekday() >= 5
        if not weekend:  # the counter: appointments and their lookups
            for o in self.by_dept[0]:
                if self.off[o][4] is not None and self.off[o][4] < d:
                    continue
                t = day0 + 8 * 3600 + 15 * 60
                for _ in range(r.randrange(6, 14)):
                    s = self.citizen()
                    self.appts.append((t, t + 900, o, s))
                    evs.append((t + 60 + r.randrange(300), o, "RaadpleegMetBurgerservicenummer",
                                [s], [s], None, ("lawful", "", "", "appointment")))
                    t += 900 + r.choice([0, 0, 900, 1800])
        for k, c in self.svc_case.items():  # night batches
            subs = self.cases[c][7]
            t = day0 + 3600
            for s in r.sample(subs, min(len(subs), max(1, n // 400))):
                evs.append((t, -1 - k, "RaadpleegMetBurgerservicenummer", [s], [s],
                            self.case_ids[c], ("lawful", "", "", "case")))
                t += 2
        import bisect
        while len(evs) < n:
            t = day0 + 7 * 3600 + r.randrange(11 * 3600)
            self.hi = bisect.bisect_right(self.opened, t)
            if self.hi == 0:
                continue
            if r.random() < self.misuse_rate:
                self.misuse(t, evs)
                continue
            ev = self.case_lookup(t)
            if ev is None:
                continue
            if r.random() < 0.01:  # a failed search first, retried
                evs.append((t - 60, ev[1], "ZoekMetGeslachtsnaamEnGeboortedatum", [], [],
                            ev[5], ("lawful", "", "", "retry")))
            evs.append(ev)
        evs.sort(key=lambda e: e[0])
        return evs

    def run(self):
        a, r = self.a, self.r
        out = a.outdir
        os.makedirs(out, exist_ok=True)
        self.staff()
        self.make_cases()
        self.vips = [self.citizen() for _ in range(20)]
        self.appts = []
        self.misuse_rate = max(1 / 20000, 8 / a.lookups)
        self.bulk_left = max(1, a.lookups // 2000000)
        sfx = ".gz" if a.gzip else ""
        op = (lambda p: gzip.open(p, "wt", compresslevel=1)) if a.gzip else (lambda p: open(p, "w"))
        brpf = op(os.path.join(out, "brp-audit.jsonl" + sfx))
        rdwf = op(os.path.join(out, "rdw-audit.csv" + sfx))
        rdwf.write("tijdstip;gebruiker;werkplek;kenteken;zaaknummer;doelcode;resultaat_bsn;record_id\n")
        labf = gzip.open(os.path.join(out, "labels.csv.gz"), "wt", compresslevel=1)
        labf.write("event_id,source,label,scenario,incident_id,basis\n")
        nb = nr = 0
        clk = self.clk
        weights = [0.3 if datetime.date.fromordinal(self.first + i).weekday() >= 5 else 1.0
                   for i in range(self.days)]
        tot = sum(weights)
        for i in range(self.days):
            for ev in self.day(self.first + i, int(a.lookups * weights[i] / tot)):
                t, o, req, subs, res, ref, lab = ev
                u = self.user(o)
                if req == "rdw":
                    nr += 1
                    eid = "rdw-%09d" % nr
                    rdwf.write("%s;%s;WS-HH-%04d;%s;%s;NAHEFFING;%s;%s\n" % (
                        clk.rdw(t), u, o % 10000, subs[0].replace("-", "").lower(),
                        ref or "", bsn(res[0]) if res else "", eid))
                else:
                    nb += 1
                    eid = "brp-%09d" % nb
                    if res is None:
                        res = subs
                    for s in res:
                        self.persons.add(s)
                    if req == "RaadpleegMetBurgerservicenummer":
                        q = '{"burgerservicenummer":["%s"]}' % bsn(subs[0]) if subs else "{}"
                    elif req == "ZoekMetPostcodeEnHuisnummer":
                        p = self.person(subs[0]) if subs else self.person(0)
                        q = '{"postcode":"%s","huisnummer":%d}' % (p[4], p[5])
                    else:
                        p = self.person(subs[0]) if subs else self.person(0)
                        q = '{"geslachtsnaam":"%s","geboortedatum":"%s"}' % (p[1], p[3])
                    line = ('{"event_id":"%s","timestamp":"%s","user":"%s","workstation":"WS-%05d",'
                            '"application":"%s","request_type":"%s","query":%s,"result_bsns":[%s]'
                            % (eid, clk.rfc(t, 0), u, o % 100000, APPS[o % 4], req, q,
                               ",".join('"%s"' % bsn(s) for s in res)))
                    if ref is not None:
                        line += ',"case_ref":"%s"' % ref
                    line += ',"status":"%s"}\n' % ("error" if lab[3] == "retry" and nb % 2 else "ok")
                    if nb % 20011 == 0:  # a malformed (truncated) line
                        line = line[:60] + "\n"
                        lab = ("malformed", "", "", "")
                    brpf.write(line)
                labf.write("%s,%s,%s,%s,%s,%s\n" % (eid, eid[:3], lab[0], lab[1], lab[2],
                                                    lab[3] if lab[0] == "lawful" else ""))
        brpf.close()
        rdwf.close()
        labf.close()
        with open(os.path.join(out, "appointments.csv"), "w") as f:
            f.write("appointment_id,start_at,end_at,desk_user,bsn,product\n")
            for k, (s, e, o, b) in enumerate(self.appts):
                f.write("AFS-%d-%07d,%s,%s,%s,%s,%s\n" % (
                    datetime.date.fromordinal(s // SEC_DAY).year, k + 1, self.clk.rfc(s),
                    self.clk.rfc(e), self.user(o), bsn(b), PRODUCTS[k % 5]))
        self.write_reference(out)
        last = datetime.date.fromordinal(self.first + self.days - 1).isoformat()
        man = {"set": "bench", "municipality": "Synthetica", "gemeente_code": "9999",
               "timezone": "Europe/Amsterdam",
               "first_day": datetime.date.fromordinal(self.first).isoformat(),
               "last_day": last, "days": self.days, "officials": len(self.off),
               "service_accounts": len(self.svc), "events": {"brp": nb, "rdw": nr},
               "logs": [{"file": "brp-audit.jsonl" + sfx, "format": "brp-audit-jsonl",
                         "source": "brp", "records": nb},
                        {"file": "rdw-audit.csv" + sfx, "format": "rdw-audit-csv",
                         "source": "rdw", "records": nr}],
               "cases": len(self.cases), "persons": len(self.persons),
               "appointments": len(self.appts), "incidents": len(self.incidents)}
        with open(os.path.join(out, "manifest.json"), "w") as f:
            json.dump(man, f, indent=1, sort_keys=True)
            f.write("\n")
        print("%s: %d lookups (%d brp, %d rdw), %d officials, %d cases, %d persons, "
              "%d appointments, %d incidents, %d days" % (
                  out, nb + nr, nb, nr, len(self.off), len(self.cases), len(self.persons),
                  len(self.appts), len(self.incidents), self.days))


def main():
    ap = argparse.ArgumentParser(description="synthetic municipality (FORMAT.md)")
    ap.add_argument("outdir")
    ap.add_argument("--lookups", type=int, default=100000)
    ap.add_argument("--cases", type=int, default=0, help="default lookups/10")
    ap.add_argument("--officials", type=int, default=0, help="default cases/100")
    ap.add_argument("--days", type=int, default=0, help="default ~25 lookups an official a day")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gzip", action="store_true", help="gzip the logs")
    a = ap.parse_args()
    a.cases = a.cases or max(200, a.lookups // 10)
    a.officials = a.officials or max(30, a.cases // 100)
    a.days = a.days or min(365, max(7, a.lookups // (a.officials * 25)))
    Gen(a).run()


if __name__ == "__main__":
    main()
