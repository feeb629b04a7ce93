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


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch_tokens(base_url, key, secret, screen_name):
    """An access token and its secret for SCREEN_NAME at the fake server
    at BASE_URL, for the App KEY/SECRET, obtained with oauthlib alone, as
    the developer portal's "Generate" button would hand them out."""
    from oauthlib import oauth1

    def post(client, path):
        uri, headers, body = client.sign(base_url + path, http_method="POST")
        req = urllib.request.Request(uri, data=b"", headers=headers, method="POST")
        with OPENER.open(req, timeout=30) as resp:
            return dict(urllib.parse.parse_qsl(resp.read().decode("utf-8")))

    rt = post(oauth1.Client(key, client_secret=secret, callback_uri="oob"), "/oauth/request_token")
    with OPENER.open(base_url + "/_fake/verifier?" + urllib.parse.urlencode(
            {"oauth_token": rt["oauth_token"], "screen_name": screen_name}), timeout=30) as resp:
        v = json.loads(resp.read().decode("utf-8"))
    at = post(oauth1.Client(key, client_secret=secret,
                            resource_owner_key=rt["oauth_token"],
                            resource_owner_secret=rt["oauth_token_secret"],
                            verifier=v["oauth_verifier"]), "/oauth/access_token")
    return at["oauth_token"], at["oauth_token_secret"]


def control(base_url, endpoint, **fields):
    """POSTs FIELDS to a /_fake/ control ENDPOINT; returns its JSON."""
    data = urllib.parse.urlencode(fields).encode("utf-8")
    with OPENER.open(base_url + endpoint, data=data, timeout=30) as resp:
        return json.loads(resp.read().decode("utf-8"))
