#!/usr/bin/env python3
"""idleconns.py PORT N READY STOP: open N idle TCP connections to
127.0.0.1:PORT and never send a byte; write READY when all are open; hold
them until the file STOP exists; then print how many the server had
closed (refused at once or timed out) and how many were still open."""
import os, resource, socket, sys, time

port, n, ready, stop = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, n + 64)), hard))
conns, failed = [], 0
for i in range(n):
    s = socket.socket()
    s.settimeout(5)
    try:
        s.connect(("127.0.0.1", port))
        conns.append(s)
    except OSError:
        failed += 1
        s.close()
with open(ready, "w") as f:
    f.write("%d\n" % len(conns))
while not os.path.exists(stop):
    time.sleep(0.1)
closed = 0
for s in conns:
    s.setblocking(False)
    try:
        closed += s.recv(1) == b""
    except BlockingIOError:
        pass
    except OSError:
        closed += 1
print(closed, len(conns) - closed, failed)
