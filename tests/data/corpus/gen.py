#!/usr/bin/env python3
# gen.py: make the small labelled corpus that `make check` evaluates
# (FORMAT.md layout). Deterministic: the same files every run.
import gzip, json, random, os

rnd = random.Random(4)
here = os.path.dirname(os.path.abspath(__file__))

def bsn(n):
    d = [int(c) for c in "%08d" % n]
    s = sum((9 - i) * d[i] for i in range(8))
    for last in range(10):
        if (s - last) % 11 == 0:
            return "%08d%d" % (n, last)

pool = [b for b in (bsn(20000000 + i) for i in range(2000)) if b]
staff = [
 ("hbos", "Bos", "Handhaving/parkeren", "brp-raadplegen;rdw-raadplegen;zaakbehandelaar", "HH-A", "5600AA", 1, pool[0], ""),
 ("hvink", "Vink", "Handhaving/parkeren", "brp-raadplegen;rdw-raadplegen;zaakbehandelaar", "HH-A", "5600AB", 2, pool[1], ""),
 ("bbalie", "Balie", "Burgerzaken balie", "brp-raadplegen;balie", "BZ-A", "5600AC", 3, pool[2], ""),
 ("wzorg", "Zorg", "Sociaal domein/WMO", "brp-raadplegen;zaakbehandelaar", "WMO-A", "5600AD", 4, pool[3], ""),
 ("xweg", "Weg", "Belastingen", "brp-raadplegen;zaakbehandelaar", "BEL-A", "5600AE", 5, pool[4], "2026-02-15"),
]
citizens = pool[10:700]
persons = {}
for i, (u, sn, *_r) in enumerate(staff):
    persons[pool[i]] = (sn, "5600" + "AABCDE"[i] + "A" if False else staff[i][5], staff[i][6])
for i, c in enumerate(citizens):
    persons[c] = ("Burger%d" % i, "56%02d%s" % (10 + i % 5, "AB"), 10 + i % 40)
neighbour = citizens[5]; persons[neighbour] = ("Buur", "5600AA", 9)
outsider = citizens[6]; persons[outsider] = ("Ver", "9999ZZ", 1)
owner = citizens[7]

def ts(day, h, m, s=0):
    return "2026-03-%02dT%02d:%02d:%02d.000+01:00" % (day, h, m, s)

cases, brp, rdw, labels, incidents = [], [], [], [], []
n = [0]
def ev_id(src):
    n[0] += 1
    return "%s-%09d" % (src, n[0])

def case(cid, typ, dept, user, team, subs, opened, registered=None):
    cases.append((cid, typ, dept, "open", opened, "", user, team, ";".join(subs), registered or opened))

def lookup(user, when, bsns, label, caseref="", scen="", inc="", basis="", req="RaadpleegMetBurgerservicenummer"):
    i = ev_id("brp")
    q = {"burgerservicenummer": bsns} if req.startswith("Raad") else {"geslachtsnaam": "X", "geboortedatum": "1970-01-01"}
    brp.append((when, json.dumps({"event_id": i, "timestamp": when, "user": user, "workstation": "WS-1", "application": "Zaaksysteem", "request_type": req, "query": q, "result_bsns": bsns, "case_ref": caseref, "status": "ok"}, separators=(",", ":"))))
    labels.append((i, "brp", label, scen, inc, basis))

def plate(user, when, pl, own, label, caseref="", scen="", inc="", basis=""):
    i = ev_id("rdw")
    rdw.append((when, "%s;%s;WS-1;%s;%s;HANDHAVING;%s;%s" % (when[:10] + " " + when[11:19], user, pl, caseref, own, i)))
    labels.append((i, "rdw", label, scen, inc, basis))

# Lawful work: cases of hbos, hvink and wzorg, appointments at the counter.
for k in range(40):
    u = ["hbos", "hvink", "wzorg"][k % 3]
    team = {"hbos": "HH-A", "hvink": "HH-A", "wzorg": "WMO-A"}[u]
    dept = {"hbos": "Handhaving/parkeren", "hvink": "Handhaving/parkeren", "wzorg": "Sociaal domein/WMO"}[u]
    s = citizens[20 + k]
    cid = "ZAAK-2026-%07d" % (100 + k)
    case(cid, "naheffing-parkeren" if team == "HH-A" else "wmo-melding", dept, u, team, [s], ts(2, 8, 0)[:19] + "+01:00")
    for r in range(4):
        lookup(u, ts(2 + r, 9 + k % 7, k % 60, r), [s], "lawful", cid.lower() if r == 1 else cid, basis="case")
    if team == "HH-A":
        lookup("hvink" if u == "hbos" else "hbos", ts(6, 10, k % 60), [s], "lawful", basis="case_team")
# A case registered a day after work began.
case("ZAAK-2026-0000900", "wmo-melding", "Sociaal domein/WMO", "wzorg", "WMO-A", [citizens[90]], ts(9, 9, 0)[:19] + "+01:00", ts(10, 9, 0)[:19] + "+01:00")
lookup("wzorg", ts(9, 11, 0), [citizens[90]], "lawful", basis="case_unregistered")
# Counter appointments.
appts = []
for k in range(30):
    s = citizens[200 + k]
    st = "2026-03-%02dT%02d:%02d:00+01:00" % (3 + k % 5, 9 + k % 6, 0)
    en = "2026-03-%02dT%02d:%02d:00+01:00" % (3 + k % 5, 9 + k % 6, 15)
    appts.append(("AFS-%d" % k, st, en, "bbalie", s, "paspoort"))
    lookup("bbalie", st[:19] + ".000+01:00", [s], "lawful", basis="appointment")
# Plate then owner on a Handhaving case.
vehicles = [("12-XYZ-3", owner), ("99-AA-99", citizens[8])]
case("ZAAK-2026-0000950", "naheffing-parkeren", "Handhaving/parkeren", "hbos", "HH-A", ["12-XYZ-3", owner], ts(11, 8, 0)[:19] + "+01:00")
plate("hbos", ts(11, 10, 0), "12xyz3", owner, "lawful", "ZAAK-2026-0000950", basis="case")
lookup("hbos", ts(11, 10, 4), [owner], "lawful", "ZAAK-2026-0000950", basis="case")

# Misuse.
lookup("hvink", ts(12, 14, 0), [outsider], "unlawful", scen="curiosity_no_case", inc="INC-1")
lookup("hbos", ts(12, 15, 0), [neighbour], "unlawful", scen="neighbour_lookup", inc="INC-2")
lookup("wzorg", ts(13, 10, 0), [pool[3]], "unlawful", scen="self_lookup", inc="INC-3")
lookup("xweg", ts(13, 11, 0), [citizens[30]], "unlawful", scen="terminated_account", inc="INC-4")
plate("wzorg", ts(16, 10, 0), "99-aa-99", citizens[8], "unlawful", scen="plate_to_address", inc="INC-5")
lookup("wzorg", ts(16, 10, 6), [citizens[8]], "unlawful", scen="plate_to_address", inc="INC-5")
for k in range(150):
    lookup("hvink", ts(17, 10 + k // 60, k % 60), [citizens[400 + k]], "unlawful", scen="bulk_scrape", inc="INC-6")
incidents = [("INC-1", "curiosity_no_case", "hvink"), ("INC-2", "neighbour_lookup", "hbos"), ("INC-3", "self_lookup", "wzorg"),
             ("INC-4", "terminated_account", "xweg"), ("INC-5", "plate_to_address", "wzorg"), ("INC-6", "bulk_scrape", "hvink")]

def w(name, header, rows):
    with open(os.path.join(here, name), "w") as f:
        f.write(header + "\n")
        for r in rows:
            f.write(",".join(str(x) for x in r) + "\n")

w("employees.csv", "user_id,display_name,surname,department,roles,team,home_postcode,home_housenumber,bsn,employment_start,employment_end,schedule,account_type",
  [(u, "N " + sn, sn, d, ro, t, pc, nr, b, "2010-01-01", end, "mon-fri 08:00-17:00", "person") for (u, sn, d, ro, t, pc, nr, b, end) in staff])
w("persons.csv", "bsn,surname,given_name,birth_date,postcode,housenumber,secret,deceased",
  [(b, sn, "A", "1970-01-01", pc, nr, 0, 0) for b, (sn, pc, nr) in sorted(persons.items())])
w("vehicles.csv", "kenteken,owner_bsn", vehicles)
w("cases.csv", "case_id,case_type,department,status,opened_at,closed_at,assignees,team,subjects,registered_at", cases)
w("appointments.csv", "appointment_id,start_at,end_at,desk_user,bsn,product", appts)
w("watchlist.csv", "subject,category,note", [])
w("incidents.csv", "incident_id,scenario,user,first_at,last_at,n_events,description", [(i, s, u, "", "", 0, "") for i, s, u in incidents])
with gzip.GzipFile(os.path.join(here, "brp-audit.jsonl.gz"), "wb", mtime=0) as f:
    for _, l in sorted(brp):
        f.write((l + "\n").encode())
with gzip.GzipFile(os.path.join(here, "rdw-audit.csv.gz"), "wb", mtime=0) as f:
    f.write(b"tijdstip;gebruiker;werkplek;kenteken;zaaknummer;doelcode;resultaat_bsn;record_id\n")
    for _, l in sorted(rdw):
        f.write((l + "\n").encode())
with gzip.GzipFile(os.path.join(here, "labels.csv.gz"), "wb", mtime=0) as f:
    f.write(b"event_id,source,label,scenario,incident_id,basis\n")
    for r in labels:
        f.write((",".join(r) + "\n").encode())
json.dump({"set": "check", "officials": 5, "days": 30, "first_day": "2026-03-02", "last_day": "2026-03-31",
           "logs": [{"file": "brp-audit.jsonl.gz", "format": "brp-audit-jsonl", "source": "brp", "records": len(brp)},
                    {"file": "rdw-audit.csv.gz", "format": "rdw-audit-csv", "source": "rdw", "records": len(rdw)}]},
          open(os.path.join(here, "manifest.json"), "w"), indent=1)
