# bhcli.py
#
# Copyright 2026 The Birdhouse authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the tests of `birdhouse SUBCOMMAND` (test-cli.py,
test-cli-records.py, test-cli-rotate.py) share: the fake X server as a
child process, its controls, tokens from it with oauthlib alone, and
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


# Never through a proxy: the fake server is on loopback.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def control(base_url, endpoint, **fields):
    """POSTs FIELDS to the fake server's ENDPOINT; returns its JSON."""
    data = urllib.parse.urlencode(fields).encode("ascii")
    with OPENER.open(base_url + endpoint, data=data, timeout=30) as resp:
        return json.loads(resp.read().decode("utf-8"))


def get_json(base_url, path):
    """GETs PATH from the fake server; returns its JSON."""
    with OPENER.open(base_url + path, timeout=30) as resp:
        return json.loads(resp.read().decode("utf-8"))


def fetch_tokens(base_url, key, secret, screen_name):
    """An access token and secret for SCREEN_NAME obtained with oauthlib
    alone, as the developer portal's "Generate" button would hand them
    out."""
    from oauthlib import oauth1

    def post(client, path):
        uri, headers, _ = client.sign(base_url + path, http_method="POST")
        req = urllib.request.Request(uri, data=b"", headers=headers, method="POST")
        with OPENER.open(req, timeout=30) as resp:
            return dict(urllib.parse.parse_qsl(resp.read().decode("utf-8")))

    rt = post(oauth1.Client(key, client_secret=secret, callback_uri="oob"), "/oauth/request_token")
    v = get_json(base_url, "/_fake/verifier?" + urllib.parse.urlencode(
        {"oauth_token": rt["oauth_token"], "screen_name": screen_name}))
    at = post(oauth1.Client(key, client_secret=secret, resource_owner_key=rt["oauth_token"],
                            resource_owner_secret=rt["oauth_token_secret"],
                            verifier=v["oauth_verifier"]), "/oauth/access_token")
    return at["oauth_token"], at["oauth_token_secret"]


def run_with_pins(argv, env, pins_for, timeout=60):
    """Runs ARGV (a `birdhouse` command that prints an authorize URL on a
    line of its own, then reads PINs), gives it the PINs PINS_FOR(url)
    returns, one a line, then ends its input. Returns (status, stdout with
    the URL line, stderr, url)."""
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    url = ""
    try:
        url = read_line(proc.stdout, 30)
        for pin in pins_for(url):
            proc.stdin.write((pin + "\n").encode("ascii"))
            proc.stdin.flush()
        # communicate() closes stdin: the end of input after the PINs.
        rest, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return (proc.returncode, url + "\n" + rest.decode("utf-8", "replace"),
            err.decode("utf-8", "replace"), url)
