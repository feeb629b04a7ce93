# bhcli.py
#
# Copyright 2026 The Birdhouse authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the tests of `birdhouse SUBCOMMAND` (test-cli.py,
test-cli-records.py) share: the fake X server as a child process, and
waiting on a child's output or on a file with a deadline.
"""

import os
import select
import subprocess
import time

from bhtap import Failure


def start_fake_server(path):
    """Starts tests/fake-x-server.py at PATH on a free loopback port.
    Returns the process and its base URL."""
    server = subprocess.Popen(["/usr/bin/python3", path],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL)
    line = server.stdout.readline().decode("ascii").strip()
    if not line.startswith("PORT="):
        server.kill()
        server.wait()
        raise RuntimeError("fake X server did not start")
    return server, "http://127.0.0.1:%d" % int(line[5:])


def stop_fake_server(server):
    """Ends SERVER (or nothing when None): closing its stdin asks it to
    stop; it is killed when it does not within ten seconds."""
    if server is None:
        return
    try:
        server.stdin.close()
        server.wait(timeout=10)
    except Exception:
        server.kill()
        server.wait()


def read_line(stream, seconds):
    """The next line of STREAM (a child's stdout) without its newline,
    read a byte at a time so that nothing after it is taken. A Failure
    when none comes within SECONDS."""
    deadline = time.time() + seconds
    buf = b""
    while time.time() < deadline:
        r, _, _ = select.select([stream], [], [], 0.5)
        if r:
            c = os.read(stream.fileno(), 1)
            if not c:
                break
            if c == b"\n":
                return buf.decode("utf-8")
            buf += c
    raise Failure("no line on stdout in time (got %r)" % buf)


def wait_for_file(path, seconds):
    """What the fake browser wrote to PATH (a PIN), once it is there."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if os.path.exists(path):
            with open(path) as f:
                return f.read().strip()
        time.sleep(0.1)
    raise Failure("the fake browser wrote no PIN")
