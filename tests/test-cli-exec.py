#!/usr/bin/python3
# test-cli-exec.py
#
# Copyright 2026 The Birdhouse authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""`birdhouse exec APP [SCREEN_NAME] -- COMMAND` with real child programs
(Python and sh): the environment the child sees and that nothing else
holds the secrets, exit statuses, signals passed on, a command that is not
there, and a child that reads the terminal (a pty). Speaks TAP.
"""

import fcntl
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import termios
import time
import urllib.request

import bhcli
import bhtap
from bhcli import read_line
from bhtap import check

BH = os.environ["BH_BIRDHOUSE"]
PY = "/usr/bin/python3"
TMPDIR = os.environ.get("BH_TEST_TMPDIR") or tempfile.mkdtemp()

APP = "Exec App"
BARE_APP = "Bare App"
KEY = "fake-consumer-key-01234567890"
SECRET = "fake-consumer-secret-0123456789abcdefghijklmnopqrstu"
NAMES = ("API_KEY", "API_SECRET", "ACCESS_TOKEN", "ACCESS_TOKEN_SECRET",
         "BEARER_TOKEN", "CLIENT_ID", "CLIENT_SECRET", "OAUTH2_ACCESS_TOKEN", "API_HOST")

# A child that prints, as JSON, the variables of NAMES under any prefix
# that it is given as its arguments.
SHOW_ENV = ("import json, os, sys\n"
            "print(json.dumps({p + n: os.environ.get(p + n) for p in sys.argv[1:]"
            " for n in %r}))\n" % (NAMES,))

server = None
base_url = None
token = token_secret = bearer = None
SECRETS = set()


def run(args, stdin=b"", env=None, timeout=60):
    proc = subprocess.run([BH] + args, input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env, timeout=timeout)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def expect(args, status, stdin=b"", env=None):
    rc, out, err = run(args, stdin, env)
    # Never the outputs: a child may have printed secrets.
    check(rc == status, "%s: exit status %d, expected %d" % (" ".join(args[:3]), rc, status))
    return out, err


def no_secret_in(text, where):
    for s in SECRETS:
        check(s not in text, "no secret in " + where)


def setup():
    global server, base_url, token, token_secret, bearer
    server, base_url = bhcli.start_fake_server(os.environ["BH_FAKE_X_SERVER"])
    expect(["app", "add", APP, "--consumer-key", KEY, "--api-host", base_url], 0,
           stdin=(SECRET + "\n").encode())
    expect(["app", "add", BARE_APP, "--consumer-key", KEY, "--api-host", base_url], 0,
           stdin=(SECRET + "\n").encode())
    token, token_secret = bhcli.fetch_tokens(base_url, KEY, SECRET, "alice")
    expect(["account", "add", APP], 0, stdin=("%s\n%s\n" % (token, token_secret)).encode())
    bearer = expect(["bearer", APP], 0)[0].strip()
    SECRETS.update({SECRET, token, token_secret, bearer})


def teardown():
    bhcli.stop_fake_server(server)


def show_env(args, *prefixes, env=None):
    out, err = expect(["exec"] + args + ["--", PY, "-c", SHOW_ENV] + list(prefixes), 0, env=env)
    no_secret_in(err, "exec's standard error")
    return json.loads(out)


# ---- the environment ---------------------------------------------------------

def test_child_sees_the_credentials():
    seen = {k: v for k, v in show_env([APP, "alice"], "X_").items() if v is not None}
    check(seen == {"X_API_KEY": KEY, "X_API_SECRET": SECRET, "X_ACCESS_TOKEN": token,
                   "X_ACCESS_TOKEN_SECRET": token_secret, "X_BEARER_TOKEN": bearer,
                   "X_API_HOST": base_url}, "the child sees every variable of export",
          sorted(k for k, v in seen.items() if v is not None))


def test_same_variables_as_export():
    """One core function: exec's child sees exactly what export prints."""
    out, _ = expect(["export", APP, "alice", "--format", "json"], 0)
    exported = json.loads(out)
    seen = {k: v for k, v in show_env([APP, "alice"], "X_").items() if v is not None}
    check(seen == exported, "exec and export hand over the same names and values", sorted(seen), sorted(exported))


def test_app_only_and_leftovers_cleared():
    """Without an account, and with another credential's variables left in
    the caller's environment: the child never sees a mix."""
    env = dict(os.environ, X_ACCESS_TOKEN="left-over", X_BEARER_TOKEN="left-over",
               X_UNRELATED="kept")
    seen = show_env([BARE_APP], "X_", env=env)
    check(seen["X_API_KEY"] == KEY and seen["X_API_SECRET"] == SECRET, "the App's key and secret")
    check(seen["X_ACCESS_TOKEN"] is None and seen["X_ACCESS_TOKEN_SECRET"] is None
          and seen["X_BEARER_TOKEN"] is None, "no left-over token reaches the child",
          sorted(k for k, v in seen.items() if v is not None))
    out, _ = expect(["exec", BARE_APP, "--", PY, "-c", "import os; print(os.environ['X_UNRELATED'])"],
                    0, env=env)
    check(out.strip() == "kept", "the rest of the environment passes", out)


def test_prefix():
    seen = show_env([APP, "alice", "--prefix", "TWITTER_"], "TWITTER_", "X_")
    check(seen["TWITTER_API_KEY"] == KEY and seen["TWITTER_ACCESS_TOKEN"] == token
          and seen["TWITTER_ACCESS_TOKEN_SECRET"] == token_secret
          and seen["TWITTER_BEARER_TOKEN"] == bearer, "TWITTER_ names")
    check(all(seen["X_" + n] is None for n in NAMES), "no X_ names with another prefix")
    seen = show_env(["--prefix", "", APP, "alice"], "")
    check(seen["API_KEY"] == KEY and seen["ACCESS_TOKEN_SECRET"] == token_secret, "an empty prefix")
    for bad in ("1X_", "X-", "X Y"):
        _, err = expect(["exec", APP, "--prefix", bad, "--", "true"], 2)
        check("--help" in err, "a bad prefix is a usage error", err)


def test_usage_errors():
    _, err = expect(["exec", APP, "true"], 2)
    check("“--”" in err, "without -- the error says to put it", err)
    expect(["exec", APP, "--"], 2)
    expect(["exec", "--", "true"], 2)
    out, err = expect(["exec", "--help"], 0)
    check("birdhouse exec" in out and "--prefix" in out and "127" in out, "help", out)
    _, err = expect(["exec", "No Such App", "--", "true"], 1)
    check(err.startswith("birdhouse: ") and len(err.splitlines()) == 1, "unknown App: one line", err)
    _, err = expect(["exec", APP, "nobody", "--", "true"], 1)
    check(err.startswith("birdhouse: "), "unknown account", err)


# The fake server's confidential OAuth 2.0 client (tests/bh-fake-server.h).
OAUTH2_APP = "OAuth2 App"
CLIENT_ID = "ZmFrZS1vYXV0aDItY2xpZW50LTAxMjM0NTY6MTpjaQ"
CLIENT_SECRET = "fake-oauth2-secret_0123456789-abcdefghijklmnopqrst"


def test_oauth2_access_token_fresh_at_start():
    """An account authorized with OAuth 2.0 whose access token is about to
    expire: exec refreshes it before COMMAND starts, and COMMAND's token
    works at X."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        redirect_uri = "http://127.0.0.1:%d/callback" % sock.getsockname()[1]
    bhcli.control(base_url, "/_fake/oauth2-client", client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                  redirect_uri=redirect_uri)
    expect(["app", "add", OAUTH2_APP, "--client-id", CLIENT_ID, "--client-secret",
            "--redirect-uri", redirect_uri, "--api-host", base_url], 0,
           stdin=(CLIENT_SECRET + "\n").encode())
    SECRETS.add(CLIENT_SECRET)
    # Tokens that expire within the minute Birdhouse keeps as margin.
    bhcli.control(base_url, "/_fake/oauth2-lifetime", seconds="30")
    rc, out, err = run(["authorize", OAUTH2_APP, "--oauth2"])
    check(rc == 0, "authorize --oauth2 (the fake browser follows X's redirect)", err)
    bhcli.control(base_url, "/_fake/oauth2-lifetime", seconds="7200")

    with bhcli.OPENER.open(base_url + "/_fake/oauth2-state", timeout=30) as resp:
        before = json.loads(resp.read().decode())["token_calls"].get("refresh_token", 0)
    seen = show_env([OAUTH2_APP, "alice", "--oauth2"], "X_")
    token = seen.get("X_OAUTH2_ACCESS_TOKEN")
    check(token is not None and seen.get("X_CLIENT_ID") == CLIENT_ID
          and seen.get("X_CLIENT_SECRET") == CLIENT_SECRET, "the child sees the OAuth 2.0 variables",
          sorted(k for k, v in seen.items() if v is not None))
    SECRETS.add(token)
    with bhcli.OPENER.open(base_url + "/_fake/oauth2-state", timeout=30) as resp:
        after = json.loads(resp.read().decode())["token_calls"].get("refresh_token", 0)
    check(after == before + 1, "the token was refreshed before COMMAND started", before, after)
    req = urllib.request.Request(base_url + "/2/users/me", headers={"Authorization": "Bearer " + token})
    with bhcli.OPENER.open(req, timeout=30) as resp:
        check(json.loads(resp.read().decode())["data"]["username"] == "alice", "the token works at X")


def test_oauth2_needs_a_grant():
    _, err = expect(["exec", APP, "alice", "--oauth2", "--", "true"], 1)
    check("OAuth 2.0" in err and "authorize" in err, "--oauth2 on an OAuth 1.0a account says what to do", err)
    expect(["exec", APP, "--oauth2", "--", "true"], 2)


def test_pipes_pass_through():
    out, err = expect(["exec", APP, "--", "sh", "-c", "tr a-z A-Z; echo to-stderr >&2"], 0,
                      stdin=b"piped data\n")
    check(out == "PIPED DATA\n", "standard input and output are the child's", out)
    check(err == "to-stderr\n", "standard error is the child's", err)


def test_parent_holds_no_secret():
    """While the child runs: birdhouse's own environment and command line
    hold no secret (or cannot be read at all: it is not dumpable), and no
    file anywhere in the test's folders does."""
    proc = subprocess.Popen([BH, "exec", APP, "alice", "--", PY, "-c",
                             "import sys; print('ready', flush=True); sys.stdin.read()"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        check(read_line(proc.stdout, 30) == "ready", "the child started")
        for what in ("environ", "cmdline"):
            try:
                with open("/proc/%d/%s" % (proc.pid, what), "rb") as f:
                    data = f.read().decode("utf-8", "replace")
            except PermissionError:
                continue
            no_secret_in(data, "birdhouse's " + what)
        check(os.environ.get("X_API_SECRET") is None, "the test's own environment is untouched")
    finally:
        proc.stdin.close()
        proc.wait(30)
    check(proc.returncode == 0, "the child's status", proc.returncode)
    for root, dirs, files in os.walk(TMPDIR):
        if "keyrings" in os.path.relpath(root, TMPDIR).split(os.sep):
            continue
        for name in files:
            try:
                with open(os.path.join(root, name), "rb") as f:
                    data = f.read()
            except OSError:
                continue
            for s in SECRETS:
                check(s.encode() not in data, "no secret in " + os.path.relpath(os.path.join(root, name), TMPDIR))


# ---- exit statuses -------------------------------------------------------------

def test_exit_status_is_the_childs():
    for status in (0, 1, 3, 42, 255):
        expect(["exec", APP, "--", "sh", "-c", "exit %d" % status], status)


def test_killed_child_is_128_plus_signal():
    for sig in (signal.SIGTERM, signal.SIGKILL, signal.SIGSEGV):
        expect(["exec", APP, "--", "sh", "-c", "kill -%d $$" % sig], 128 + sig)


def test_command_not_found():
    rc, out, err = run(["exec", APP, "--", "no-such-command-for-birdhouse", "arg"])
    check(rc == 127, "exit 127 when the command is not found", rc)
    check(err.count("\n") == 1 and err.startswith("birdhouse: ")
          and "no-such-command-for-birdhouse" in err and "not found" in err,
          "one clear line", err)
    script = os.path.join(tempfile.mkdtemp(dir=TMPDIR), "not-executable")
    with open(script, "w") as f:
        f.write("#!/bin/sh\nexit 0\n")
    os.chmod(script, 0o644)
    rc, out, err = run(["exec", APP, "--", script])
    check(rc == 126, "exit 126 when it cannot be run", rc)
    check(err.startswith("birdhouse: ") and script in err, "one clear line", err)


# ---- signals ---------------------------------------------------------------------

RECORDER = """
import signal, sys, time
got = []
def handler(signum, frame):
    got.append(signum)
for s in (signal.SIGHUP, signal.SIGINT, signal.SIGTERM):
    signal.signal(s, handler)
print("ready", flush=True)
while not got:
    signal.pause()
print("got %d" % got[0], flush=True)
sys.exit(7)
"""


def test_signals_forwarded():
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        proc = subprocess.Popen([BH, "exec", APP, "alice", "--", PY, "-c", RECORDER],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            check(read_line(proc.stdout, 30) == "ready", "the child started")
            os.kill(proc.pid, sig)
            line = read_line(proc.stdout, 30)
            proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        check(line == "got %d" % sig, "the child got signal %d" % sig, line)
        check(proc.returncode == 7, "birdhouse lives on and exits with the child's status",
              proc.returncode)


def test_signal_ends_a_default_child():
    proc = subprocess.Popen([BH, "exec", APP, "--", PY, "-c",
                             "import signal; print('ready', flush=True); signal.pause()"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        check(read_line(proc.stdout, 30) == "ready", "the child started")
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    check(proc.returncode == 128 + signal.SIGTERM, "128 + SIGTERM", proc.returncode)


# ---- the terminal -----------------------------------------------------------------

TERMINAL_CHILD = """
import os, signal, sys
ints = []
signal.signal(signal.SIGINT, lambda s, f: ints.append(s))
print("tty %s %s" % (os.isatty(0), os.isatty(1)), flush=True)
name = input("name? ")
tty = os.open("/dev/tty", os.O_RDWR)
os.write(tty, b"password? ")
word = os.read(tty, 100).decode().strip()
os.close(tty)
print("read %s and %s" % (name, word), flush=True)
input()
print("interrupts %d" % len(ints), flush=True)
"""


class Terminal:
    """What the pty's master has shown so far; read_until() waits for a
    text that comes after what earlier calls waited for."""

    def __init__(self, fd):
        self.fd = fd
        self.buf = b""
        self.pos = 0

    def read_until(self, text, seconds=30):
        deadline = time.time() + seconds
        want = text.encode()
        while time.time() < deadline and self.buf.find(want, self.pos) < 0:
            r, _, _ = select.select([self.fd], [], [], 0.5)
            if r:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                self.buf += chunk
        at = self.buf.find(want, self.pos)
        check(at >= 0, "the terminal shows %r" % text, self.buf[self.pos:].decode("utf-8", "replace"))
        self.pos = at + len(want)


def test_child_reads_the_terminal():
    """birdhouse on a pty as a terminal's foreground job: the child reads
    its standard input and /dev/tty, writes to both, and a Ctrl+C typed
    there reaches it once (from the terminal, not twice)."""
    master, slave = os.openpty()

    def controlling_terminal():
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen([BH, "exec", APP, "alice", "--", PY, "-c", TERMINAL_CHILD],
                            stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                            preexec_fn=controlling_terminal)
    os.close(slave)
    terminal = Terminal(master)
    try:
        terminal.read_until("tty True True")
        terminal.read_until("name? ")
        os.write(master, b"alice\n")
        terminal.read_until("password? ")
        os.write(master, b"hunter2\n")
        terminal.read_until("read alice and hunter2")
        os.write(master, b"\x03")
        time.sleep(0.5)
        os.write(master, b"\n")
        terminal.read_until("interrupts 1")
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    check(proc.returncode == 0, "the child's status", proc.returncode)


if __name__ == "__main__":
    sys.exit(bhtap.run(bhtap.tests_in(globals()), setup=setup, teardown=teardown))
