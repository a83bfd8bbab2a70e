#!/usr/bin/env python3
# promcheck.py: a strict checker of the Prometheus text exposition format
# (version 0.0.4) for what wachterd serves at /metrics.
#
#   promcheck.py [FILE]        check FILE (or stdin); exit 0 if valid, else
#                              print "line N: message" for each error, exit 1
#   promcheck.py --require NAME ...  also fail unless each family NAME is there
#   promcheck.py --self-test   run the checker's own table of cases as TAP
#
# Stricter than Prometheus itself where wachterd never needs the freedom:
# single spaces between tokens, no blank lines, TYPE before every family,
# families contiguous, no duplicate series, histograms complete and
# cumulative, counters not negative, no timestamps.
import re
import sys

NAME = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*'
FLOAT = r'[+-]?(?:Inf|NaN|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)'
TYPES = ('counter', 'gauge', 'histogram', 'summary', 'untyped')
HELP_RE = re.compile(r'# HELP (' + NAME + r') ((?:[^\\\n]|\\[\\n])*)$')
TYPE_RE = re.compile(r'# TYPE (' + NAME + r') (\S+)$')
SAMPLE_RE = re.compile(r'(' + NAME + r')(\{[^\n]*\})? (' + FLOAT + r')$')
PAIR_RE = re.compile(r'(' + LABEL + r')="((?:[^"\\\n]|\\["\\n])*)"')


class Checker:
    def __init__(self):
        self.errors = []
        self.types = {}
        self.helps = set()
        self.done = set()       # families already closed
        self.current = None     # family of the previous sample
        self.series = set()
        self.hist = {}          # (family, labels w/o le) -> state

    def err(self, n, msg):
        self.errors.append('line %d: %s' % (n, msg))

    def family_of(self, name):
        for suffix in ('_bucket', '_sum', '_count'):
            base = name[:-len(suffix)]
            if name.endswith(suffix) and \
                    self.types.get(base) in ('histogram', 'summary'):
                return base, suffix
        return name, ''

    def labels(self, n, text):
        if text is None:
            return []
        body = text[1:-1]
        out, pos = [], 0
        while pos < len(body):
            m = PAIR_RE.match(body, pos)
            if m is None:
                self.err(n, 'bad label syntax near %r' % body[pos:pos + 20])
                return None
            out.append((m.group(1), m.group(2)))
            pos = m.end()
            if pos < len(body):
                if body[pos] != ',' or pos + 1 == len(body):
                    self.err(n, 'labels must be separated by one comma')
                    return None
                pos += 1
        names = [k for k, _ in out]
        if len(set(names)) != len(names):
            self.err(n, 'duplicate label name')
        for k in names:
            if k.startswith('__'):
                self.err(n, 'label %s uses the reserved prefix __' % k)
        return out

    def meta(self, n, line):
        m = HELP_RE.match(line)
        if m:
            if m.group(1) in self.helps:
                self.err(n, 'second HELP for %s' % m.group(1))
            if m.group(1) in self.done or m.group(1) == self.current:
                self.err(n, 'HELP for %s after its samples' % m.group(1))
            self.helps.add(m.group(1))
            return
        m = TYPE_RE.match(line)
        if m:
            name, typ = m.groups()
            if typ not in TYPES:
                self.err(n, 'unknown type %r' % typ)
            if name in self.types:
                self.err(n, 'second TYPE for %s' % name)
            if name in self.done or name == self.current:
                self.err(n, 'TYPE for %s after its samples' % name)
            self.types[name] = typ
            return
        if line.startswith('# HELP') or line.startswith('# TYPE'):
            self.err(n, 'malformed HELP or TYPE line')

    def sample(self, n, line):
        m = SAMPLE_RE.match(line)
        if m is None:
            self.err(n, 'not a sample line: %r' % line[:60])
            return
        name, ltext, value = m.groups()
        labels = self.labels(n, ltext)
        if labels is None:
            return
        fam, suffix = self.family_of(name)
        if fam not in self.types:
            self.err(n, 'sample of %s without a TYPE line' % fam)
        if fam != self.current:
            if fam in self.done:
                self.err(n, 'samples of %s are not together' % fam)
            if self.current is not None:
                self.done.add(self.current)
            self.current = fam
        key = (name, tuple(sorted(labels)))
        if key in self.series:
            self.err(n, 'duplicate series %s%s' % (name, ltext or ''))
        self.series.add(key)
        v = float(value.replace('Inf', 'inf').replace('NaN', 'nan'))
        typ = self.types.get(fam)
        if typ == 'counter' and not v >= 0:
            self.err(n, 'counter %s is negative or NaN' % name)
        if typ == 'histogram':
            self.histogram(n, fam, suffix, labels, v)

    def histogram(self, n, fam, suffix, labels, v):
        rest = tuple(sorted((k, x) for k, x in labels if k != 'le'))
        st = self.hist.setdefault((fam, rest), {'le': None, 'cum': 0,
                                                'inf': None, 'count': None})
        if suffix == '':
            self.err(n, 'histogram %s sample without a suffix' % fam)
        elif suffix == '_bucket':
            les = [x for k, x in labels if k == 'le']
            if len(les) != 1 or not re.fullmatch(FLOAT, les[0]):
                self.err(n, 'bucket without a numeric le label')
                return
            le = float(les[0].replace('Inf', 'inf'))
            if st['le'] is not None and le <= st['le']:
                self.err(n, 'bucket bounds not ascending')
            if v < st['cum'] or v != int(v):
                self.err(n, 'bucket counts not cumulative integers')
            st['le'], st['cum'] = le, v
            if le == float('inf'):
                st['inf'] = v
        elif any(k == 'le' for k, _ in labels):
            self.err(n, '%s%s has an le label' % (fam, suffix))
        elif suffix == '_count':
            st['count'] = v

    def finish(self, nlines):
        for (fam, rest), st in self.hist.items():
            if st['inf'] is None:
                self.err(nlines, 'histogram %s%s has no le="+Inf" bucket'
                         % (fam, dict(rest)))
            elif st['count'] != st['inf']:
                self.err(nlines, 'histogram %s%s: _count differs from '
                         'the +Inf bucket' % (fam, dict(rest)))

    def check(self, text):
        if text == '':
            return self.errors
        if not text.endswith('\n'):
            self.err(text.count('\n') + 1, 'last line has no line feed')
        lines = text.split('\n')
        if lines[-1] == '':
            lines.pop()
        for n, line in enumerate(lines, 1):
            if line == '' or line != line.strip(' \t'):
                self.err(n, 'blank line or stray whitespace')
            elif '\r' in line:
                self.err(n, 'carriage return')
            elif line.startswith('#'):
                self.meta(n, line)
            else:
                self.sample(n, line)
        self.finish(len(lines))
        return self.errors


def check(text):
    return Checker().check(text)


GOOD = [
    ('counter', '# HELP a_total A.\n# TYPE a_total counter\na_total 1\n'),
    ('labels and escapes', '# TYPE b gauge\nb{x="q\\"\\\\\\n",y=""} -1.5e3\n'),
    ('help escapes', '# HELP c x \\\\ \\n "q"\n# TYPE c gauge\nc NaN\n'),
    ('histogram', '# TYPE h histogram\nh_bucket{le="0.1"} 1\n'
     'h_bucket{le="1"} 3\nh_bucket{le="+Inf"} 4\nh_sum 2.5\nh_count 4\n'),
    ('labelled family without series', '# HELP d_total D.\n'
     '# TYPE d_total counter\n'),
    ('utf-8 label value', '# TYPE e gauge\ne{g="Zaanstad – Burgerzaken"} 1\n'),
]

BAD = [
    ('no final line feed', '# TYPE a gauge\na 1'),
    ('no TYPE', 'a 1\n'),
    ('bad name', '# TYPE 1a gauge\n1a 1\n'),
    ('bad value', '# TYPE a gauge\na one\n'),
    ('timestamp', '# TYPE a gauge\na 1 1700000000\n'),
    ('unescaped quote', '# TYPE a gauge\na{x="a"b"} 1\n'),
    ('bad escape', '# TYPE a gauge\na{x="\\t"} 1\n'),
    ('bad help escape', '# HELP a x \\t\n# TYPE a gauge\na 1\n'),
    ('duplicate label', '# TYPE a gauge\na{x="1",x="2"} 1\n'),
    ('trailing comma', '# TYPE a gauge\na{x="1",} 1\n'),
    ('duplicate series', '# TYPE a gauge\na{x="1"} 1\na{x="1"} 2\n'),
    ('interleaved families', '# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\n'
     'a{x="1"} 1\n'),
    ('negative counter', '# TYPE a_total counter\na_total -1\n'),
    ('unknown type', '# TYPE a meter\na 1\n'),
    ('second TYPE', '# TYPE a gauge\n# TYPE a gauge\na 1\n'),
    ('TYPE after samples', '# TYPE a gauge\na 1\n# HELP a late\n'),
    ('histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\n'
     'h_sum 1\nh_count 1\n'),
    ('histogram count differs', '# TYPE h histogram\nh_bucket{le="+Inf"} 2\n'
     'h_sum 1\nh_count 1\n'),
    ('histogram not cumulative', '# TYPE h histogram\nh_bucket{le="1"} 3\n'
     'h_bucket{le="2"} 2\nh_bucket{le="+Inf"} 3\nh_sum 1\nh_count 3\n'),
    ('histogram bounds descending', '# TYPE h histogram\n'
     'h_bucket{le="2"} 1\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 1\n'
     'h_sum 1\nh_count 1\n'),
    ('blank line', '# TYPE a gauge\n\na 1\n'),
    ('two spaces', '# TYPE a gauge\na  1\n'),
    ('reserved label', '# TYPE a gauge\na{__x="1"} 1\n'),
]


def self_test():
    n = 0
    failed = 0
    for name, text in GOOD:
        n += 1
        errs = check(text)
        print('%sok %d - accepts %s' % ('not ' if errs else '', n, name))
        for e in errs:
            print('#   ' + e)
        failed += bool(errs)
    for name, text in BAD:
        n += 1
        errs = check(text)
        print('%sok %d - rejects %s' % ('' if errs else 'not ', n, name))
        failed += not errs
    print('1..%d' % n)
    return 1 if failed else 0


def main(argv):
    if argv[1:] == ['--self-test']:
        return self_test()
    required = []
    args = argv[1:]
    while args and args[0] == '--require':
        required.append(args[1])
        args = args[2:]
    if args:
        with open(args[0], 'rb') as f:
            data = f.read()
    else:
        data = sys.stdin.buffer.read()
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as e:
        print('byte %d: not UTF-8' % e.start)
        return 1
    c = Checker()
    errs = c.check(text)
    for name in required:
        if name not in c.types:
            errs.append('family %s is missing' % name)
    for e in errs:
        print(e)
    return 1 if errs else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
