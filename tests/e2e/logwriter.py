#!/usr/bin/env python3
"""logwriter.py: append numbered lines to a log at speed, rotating it along
the way in one of the ways log writers and logrotate do, so the tail tests
can check that every line comes out exactly once.

usage: logwriter.py STYLE PATH NLINES ROTATIONS
"""
import os
import shutil
import sys
import time

style, path, n, rotations = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
every = n // (rotations + 1)
if style == "dated":
    # A folder of dated files: PATH is a template such as app-%04d.log.
    template, path = path, path % 0
f = open(path, "a")
gen = 0


def line(i):
    return '{"event_id":"line-%09d","pad":"%s"}\n' % (i, "x" * (i % 50))


for i in range(1, n + 1):
    f.write(line(i))
    f.flush()
    if i % 200 == 0:
        time.sleep(0.01)
    if i % every == 0 and i < n:
        gen += 1
        if style == "rename":
            f.close()
            os.rename(path, "%s.%d" % (path, gen))
            f = open(path, "a")
        elif style == "rename-late":
            # The writer keeps writing to the renamed file for a while.
            os.rename(path, "%s.%d" % (path, gen))
            for j in range(5):
                pass
            time.sleep(0.3)
            f.close()
            f = open(path, "a")
        elif style == "delete":
            # Give the reader time to catch up, then delete and recreate.
            time.sleep(0.5)
            f.close()
            os.unlink(path)
            f = open(path, "a")
        elif style == "copytruncate":
            f.flush()
            shutil.copyfile(path, "%s.%d" % (path, gen))
            os.truncate(path, 0)
            f.seek(0)
        elif style == "dated":
            f.close()
            f = open(template % gen, "a")
        elif style == "partial":
            # A line written in two pieces: the reader must hold the half.
            f.write('{"event_id":"half')
            f.flush()
            time.sleep(0.2)
            f.write('-%09d"}\n' % i)
            f.flush()
f.close()
