# bhcli.py
#
# Copyright 2026 The Birdhouse authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the tests of `birdhouse SUBCOMMAND` (test-cli.py,
test-cli-records.py) share: the fake X server as a child process, and
waiting on a child's output or on a file with a deadline.
"""

import json
import os
import select
import subprocess
import time
import urllib.parse
import urllib.request

from oauthlib import oauth1

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


def run_birdhouse(binary, args, stdin="", env=None, timeout=90):
    """Runs BINARY (the built birdhouse) with ARGS; returns (status,
    stdout, stderr) as text."""
    proc = subprocess.run([binary] + args, input=stdin.encode("utf-8"),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env or dict(os.environ), timeout=timeout)
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


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


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch_tokens(base_url, key, secret, screen_name):
    """An access token and its secret for SCREEN_NAME and the App KEY,
    obtained from the fake X server with oauthlib alone, as the developer
    portal's "Generate" button would hand them out."""
    client = oauth1.Client(key, client_secret=secret, callback_uri="oob")
    uri, headers, body = client.sign(base_url + "/oauth/request_token", http_method="POST")
    req = urllib.request.Request(uri, data=b"", headers=headers, method="POST")
    with OPENER.open(req, timeout=30) as resp:
        rt = dict(urllib.parse.parse_qsl(resp.read().decode("utf-8")))
    with OPENER.open(base_url + "/_fake/verifier?" + urllib.parse.urlencode(
            {"oauth_token": rt["oauth_token"], "screen_name": screen_name}), timeout=30) as resp:
        v = json.loads(resp.read().decode("utf-8"))
    client = oauth1.Client(key, client_secret=secret,
                           resource_owner_key=rt["oauth_token"],
                           resource_owner_secret=rt["oauth_token_secret"],
                           verifier=v["oauth_verifier"])
    uri, headers, body = client.sign(base_url + "/oauth/access_token", http_method="POST")
    req = urllib.request.Request(uri, data=b"", headers=headers, method="POST")
    with OPENER.open(req, timeout=30) as resp:
        at = dict(urllib.parse.parse_qsl(resp.read().decode("utf-8")))
    return at["oauth_token"], at["oauth_token_secret"]
