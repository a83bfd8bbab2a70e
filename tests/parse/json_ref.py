#!/usr/bin/env python3
"""json_ref.py: reference for the JSON scanner, using python3's json module.

  json_ref.py gen N OUT      write N generated documents, valid and invalid
  json_ref.py dump < lines   print each line as json_dump prints it

Strictness the scanner adds to json.loads: bytes must be valid UTF-8, no
NaN/Infinity, no lone surrogates, nesting at most 64 levels.
"""
import json, random, sys

DEPTH_MAX = 64
T = {dict: "o", list: "a", str: "s"}


def hx(b):
    return b.hex()


def reject_const(c):
    raise ValueError(c)


def depth(v):
    if isinstance(v, dict):
        return 1 + max([depth(x) for x in v.values()] or [0])
    if isinstance(v, list):
        return 1 + max([depth(x) for x in v] or [0])
    return 0


def walk(v, path, out):
    if isinstance(v, (dict, list)) and len(v) > 0:
        items = v.items() if isinstance(v, dict) else \
            ((str(i), x) for i, x in enumerate(v))
        for k, x in items:
            walk(x, path + [k.encode("utf-8")], out)
        return
    p = hx(b".".join(path))
    if isinstance(v, dict) or isinstance(v, list):
        out.append(" %s:%s=" % (T[type(v)], p))
    elif v is True:
        out.append(" t:%s=%s" % (p, hx(b"true")))
    elif v is False:
        out.append(" f:%s=%s" % (p, hx(b"false")))
    elif v is None:
        out.append(" z:%s=%s" % (p, hx(b"null")))
    elif isinstance(v, tuple):
        out.append(" n:%s=%s" % (p, hx(v[0].encode())))
    else:
        out.append(" s:%s=%s" % (p, hx(v.encode("utf-8"))))


def num(s):
    return (s,)


def dump(line):
    try:
        text = line.decode("utf-8")
        v = json.loads(text, parse_int=num, parse_float=num,
                       parse_constant=reject_const)
        if depth(v) > DEPTH_MAX:
            return "BAD"
        out = []
        walk(v, [], out)
        return "OK" + "".join(out)
    except (ValueError, UnicodeError, RecursionError):
        return "BAD"


STRS = ["", "a", "ablom", "caf\u00e9", "\u20ac", "\U0001f600", "tab\there",
        "quote\"", "back\\slash", "new\nline", "\u0001", "x.y", "dpl.core.x",
        "Zo\u00eb", "\u0000nul"]


def rstr(r):
    return r.choice(STRS) + (str(r.randint(0, 99)) if r.random() < .3 else "")


def rnum(r):
    return r.choice(["0", "-0", "7", "123456782", "-12", "1.5", "0.25e3",
                     "1E-7", "-3.0e+2", "12345678901234567890"])


def rval(r, d):
    k = r.random()
    if d > 4 or k < .45:
        c = r.random()
        if c < .5:
            return json.dumps(rstr(r), ensure_ascii=r.random() < .5)
        if c < .8:
            return rnum(r)
        return r.choice(["true", "false", "null"])
    if k < .75:
        keys = list(dict.fromkeys(rstr(r) for _ in range(r.randint(0, 5))))
        ws = r.choice(["", " ", "\t", " \r"])
        return "{" + ",".join(ws + json.dumps(kk, ensure_ascii=False) + ws +
                              ":" + ws + rval(r, d + 1) for kk in keys) + "}"
    return "[" + ",".join(rval(r, d + 1) for _ in range(r.randint(0, 4))) + "]"


BAD = [b"", b" ", b"{", b"}", b"{\"a\"}", b"{\"a\":}", b"{\"a\":1,}", b"[1,]",
       b"01", b"1.", b".5", b"+1", b"-", b"1e", b"1e+", b"NaN", b"Infinity",
       b"tru", b"nul", b"truex", b"\"\\x\"", b"\"\\u12\"", b"\"\\ud800\"",
       b"\"\\udc00\\ud800\"", b"\"\\ud800\\u0041\"", b"\"\xc0\xaf\"",
       b"\"\xed\xa0\x80\"", b"\"\xf4\x90\x80\x80\"", b"\"\xe2\x82\"",
       b"\"\xff\"", b"\"a\x00b\"", b"{\"a\":1}\x00\x00", b"{\"a\":1} x",
       b"{\"a\":1}{}", b"\"\x1f\"", b"\"\x7f\"", b"[" * 65 + b"]" * 65,
       b"[" * 64 + b"]" * 64, b"\"\\ud83d\\ude00\"", b"{'a':1}", b"[1 2]",
       b"{\"a\" 1}", b"\xef\xbb\xbf{}", b"\x0c{}", b"{\"a\":-01}",
       b"{\"a\":1.0e}"]


def mutate(r, doc):
    b = doc.encode("utf-8")
    k = r.randint(0, 6)
    i = r.randint(0, len(b))
    if k == 0:
        return b[:i]
    if k == 1:
        return b[:i] + b"\x00" * r.randint(1, 8)
    if k == 2:
        return b[:i] + r.choice([b"\xff", b"\xc3", b"\xe2\x82", b"\x80"]) + b[i:]
    if k == 3:
        return b[:i] + bytes([r.randint(1, 31)]) + b[i:]
    if k == 4:
        return b + r.choice([b"x", b",", b"}", b" 1"])
    if k == 5:
        return b[:i] + bytes([r.randint(32, 126)]) + b[i:]
    return b[:i] + b[i + 1:]


def gen(n, out):
    r = random.Random(20260302)
    with open(out, "wb") as f:
        for b in BAD:
            f.write(b + b"\n")
        for _ in range(n):
            doc = rval(r, 0)
            b = doc.encode("utf-8") if r.random() < .5 else mutate(r, doc)
            f.write(b.replace(b"\n", b"") + b"\n")


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(int(sys.argv[2]), sys.argv[3])
    else:
        data = sys.stdin.buffer.read()
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        w = sys.stdout.write
        for line in lines:
            w(dump(line) + "\n")
