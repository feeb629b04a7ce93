#!/usr/bin/python3
# test-cli-records.py
#
# Copyright 2026 The Birdhouse authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Several `birdhouse` processes on one records file at once, as scripts
run them while the window is open: adds and removes in parallel, an
`authorize` waiting for its PIN while other processes add, remove and
verify; then a damaged records file (the command that finds it carries
on after the restore), the limits, and one rule for App names. The
built binary ($BH_BIRDHOUSE), the private keyring of bh-test-session.sh
and the fake X server. Speaks TAP on stdout.
"""

import json
import os
import subprocess
import sys
import time
import unicodedata
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import bhcli
import bhtap
from bhcli import read_line, wait_for_file
from bhtap import check

BH = os.environ["BH_BIRDHOUSE"]
FAKE_SERVER = os.environ["BH_FAKE_X_SERVER"]
TMPDIR = os.environ["BH_TEST_TMPDIR"]
RECORDS = os.path.join(os.environ["XDG_DATA_HOME"], "birdhouse", "records.ini")

KEY = "fake-consumer-key-01234567890"
SECRET = "fake-consumer-secret-0123456789abcdefghijklmnopqrstu"
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

server = None
base_url = None


def run(args, stdin="", env=None, timeout=90):
    return bhcli.run_birdhouse(BH, args, stdin, env, timeout)


def expect(args, status, stdin=""):
    rc, out, err = run(args, stdin)
    check(rc == status, "%s: exit status %d, expected %d" % (" ".join(args), rc, status),
          "stderr: " + (err if args[0] != "export" else "(hidden)"))
    return out, err


def add(name, host=None):
    args = ["app", "add", name, "--consumer-key", KEY]
    if host:
        args += ["--api-host", host]
    return run(args, SECRET + "\n")


def apps():
    out, _ = expect(["app", "list", "--json"], 0)
    return {a["name"]: a for a in json.loads(out)}


def clear():
    for name in apps():
        expect(["app", "remove", name], 0)
    check(apps() == {}, "no App left")


def keyring_items(**attributes):
    args = ["secret-tool", "search", "--all", "--unlock"]
    for k, v in attributes.items():
        args += [k, v]
    proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    return proc.stdout.decode("utf-8", "replace").count("[/")


def parallel(jobs):
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(lambda job: job(), jobs))


# ---- fake X server and the authorize flow ----------------------------------

def start_server():
    global server, base_url
    server, base_url = bhcli.start_fake_server(FAKE_SERVER)


def stop_server():
    bhcli.stop_fake_server(server)


class Authorize:
    """`birdhouse authorize APP` started, left waiting for its PIN."""

    def __init__(self, app, user):
        self.pin_file = os.path.join(TMPDIR, "pin-%s-%f" % (user, time.time()))
        env = dict(os.environ, BH_FAKE_BROWSER_PIN=self.pin_file, BH_FAKE_BROWSER_USER=user)
        self.proc = subprocess.Popen([BH, "authorize", app], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        try:
            read_line(self.proc.stdout, 30)
            self.pin = wait_for_file(self.pin_file, 30)
        except Exception:
            self.proc.kill()
            self.proc.wait()
            raise

    def finish(self):
        try:
            out, err = self.proc.communicate((self.pin + "\n").encode("ascii"), timeout=60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


# ---- the tests ---------------------------------------------------------------

def test_parallel_adds():
    """Ten `app add` at once: all ten are there, none "restored"."""
    results = parallel([lambda i=i: add("Parallel %d" % i) for i in range(10)])
    check(all(rc == 0 for rc, _, _ in results), "every add succeeded", [r[2] for r in results])
    listed = apps()
    check(sorted(listed) == sorted("Parallel %d" % i for i in range(10)), "all ten listed", sorted(listed))
    check(all(a["has_secret"] for a in listed.values()), "each with its secret", listed)
    with open(RECORDS) as f:
        records = f.read()
    check(all("name=Parallel %d\n" % i in records for i in range(10)),
          "all ten in the records file itself (not restored from the keyring)")
    check("restored" not in records, "nothing was restored", records)


def test_parallel_adds_and_removes():
    """Removes and adds at once: no removed App comes back, no added one is lost."""
    jobs = [lambda i=i: run(["app", "remove", "Parallel %d" % i]) for i in range(5)]
    jobs += [lambda i=i: add("Other %d" % i) for i in range(5)]
    results = parallel(jobs)
    check(all(rc == 0 for rc, _, _ in results), "every command succeeded", [r[2] for r in results])
    expected = ["Parallel %d" % i for i in range(5, 10)] + ["Other %d" % i for i in range(5)]
    listed = apps()
    check(sorted(listed) == sorted(expected), "exactly the survivors and the new ones", sorted(listed))
    check(all(a["has_secret"] for a in listed.values()), "no zombie without its secret", listed)
    check(keyring_items(**{"app-name": "Parallel 0"}) == 0, "the removed App's secret is gone")
    clear()


def test_authorize_while_others_change():
    """An `authorize` waiting for its PIN while other processes add and
    remove Apps and verify an account: when it finishes, nothing they did
    is undone, and its account is there."""
    expect(["app", "add", "Auth App", "--consumer-key", KEY, "--api-host", base_url], 0, SECRET + "\n")
    expect(["app", "add", "Doomed", "--consumer-key", KEY], 0, SECRET + "\n")
    first = Authorize("Auth App", "alice")
    rc, out, err = first.finish()
    check(rc == 0, "alice authorized", err)

    out, _ = expect(["account", "list", "Auth App", "--json"], 0)
    verified_before = json.loads(out)[0]["verified_at"]
    time.sleep(1.1)   # the records keep whole seconds

    waiting = Authorize("Auth App", "bob")
    try:
        results = parallel([lambda: add("Added Meanwhile"),
                            lambda: run(["app", "remove", "Doomed"]),
                            lambda: run(["account", "verify", "Auth App", "alice"])])
        check(all(r[0] == 0 for r in results), "the other commands succeeded", [r[2] for r in results])
    finally:
        rc, out, err = waiting.finish()
    check(rc == 0 and out.splitlines()[-1].startswith("@bob"), "bob authorized", out, err)

    listed = apps()
    check(sorted(listed) == ["Added Meanwhile", "Auth App"], "the add stayed, the removal too", sorted(listed))
    check(listed["Auth App"]["accounts"] == ["alice", "bob"], "both accounts", listed["Auth App"])
    check(all(a["has_secret"] for a in listed.values()), "no zombie", listed)
    out, _ = expect(["app", "list"], 0)
    check("missing" not in out and "Doomed" not in out, "no secret missing anywhere", out)
    check(keyring_items(**{"app-name": "Doomed"}) == 0, "Doomed's secret is gone")
    out, _ = expect(["account", "list", "Auth App", "--json"], 0)
    alice = [a for a in json.loads(out) if a["screen_name"] == "alice"][0]
    check(alice["verified_at"] != verified_before, "the verification by another process was kept",
          alice, verified_before)


def test_authorize_app_removed_meanwhile():
    """The App removed while its authorize waits: the authorize fails with
    a sentence, and its tokens do not bring the App back."""
    waiting = Authorize("Auth App", "carol")
    try:
        expect(["app", "remove", "Auth App"], 0)
    finally:
        rc, out, err = waiting.finish()
    check(rc == 1 and ("removed meanwhile" in err or "no longer in Birdhouse" in err),
          "the authorize says why it failed", err)
    check("Auth App" not in apps(), "not brought back", apps())
    check(keyring_items(**{"screen-name": "carol"}) == 0, "carol's tokens did not stay in the keyring")
    # A new load (which restores secrets that have no record) does not
    # bring it back either.
    check("Auth App" not in apps(), "still gone after another load")
    clear()


def damage(contents=b"\x89PNG\r\n\x1a\n\x00garbage\xff\n"):
    with open(RECORDS, "wb") as f:
        f.write(contents)


def asides():
    folder = os.path.dirname(RECORDS)
    return [n for n in os.listdir(folder) if n.startswith("records.ini.damaged-")]


def one_warning(err):
    lines = [l for l in err.splitlines() if l.strip()]
    check(len(lines) == 1 and lines[0].startswith("birdhouse: ") and "damaged" in lines[0],
          "one line says the records were damaged and restored", err)


def test_damaged_app_add():
    expect(["app", "add", "Survivor", "--consumer-key", KEY, "--api-host", base_url], 0, SECRET + "\n")
    before = len(asides())
    damage()
    out, err = expect(["app", "add", "After Damage", "--consumer-key", KEY], 0, SECRET + "\n")
    one_warning(err)
    check("After Damage" in out, "the App was added", out)
    check(len(asides()) == before + 1, "the damaged file was kept aside")
    check(sorted(apps()) == ["After Damage", "Survivor"], "restored and added", sorted(apps()))


def test_damaged_sign():
    first = Authorize("Survivor", "alice")
    rc, out, err = first.finish()
    check(rc == 0, "alice authorized", err)
    damage()
    echo = base_url + "/1.1/test/echo.json?q=signed"
    out, err = expect(["sign", "--app", "Survivor", "--account", "alice", echo], 0)
    one_warning(err)
    req = urllib.request.Request(echo, headers={"Authorization": out.splitlines()[0]})
    with OPENER.open(req, timeout=30) as resp:
        body = json.loads(resp.read().decode("utf-8"))
    check(body["auth"] == "oauth1-user" and body["screen_name"] == "alice", "signed after the restore", body)


def test_damaged_export():
    damage()
    out, err = expect(["export", "Survivor", "alice", "--format", "json"], 0)
    one_warning(err)
    values = json.loads(out)
    check(values["X_API_KEY"] == KEY and values["X_API_SECRET"] == SECRET and "X_ACCESS_TOKEN" in values,
          "exported after the restore", sorted(values))


def test_damaged_text_is_safe():
    """The sentence about a damaged file carries none of its control
    characters, bidirectional overrides or broken UTF-8."""
    damage(b"[Birdhouse]\nversion=1\n[Bogus \xc2\x9b31m \xe2\x80\xae\xff]\nrm -rf \x1b[31m\x07\n")
    rc, out, err = run(["app", "list"])
    check(rc == 0, "the list still works", err)
    raw = subprocess.run([BH, "app", "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE).stderr
    damage(b"[Birdhouse]\nversion=1\n[Bogus \xc2\x9b31m \xe2\x80\xae\xff]\nx=1\n")
    raw += subprocess.run([BH, "app", "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE).stderr
    text = raw.decode("utf-8")   # raises on anything but UTF-8
    for c in text:
        check(c == "\n" or unicodedata.category(c) not in ("Cc", "Cf"),
              "no control or format character (U+%04X)" % ord(c), text)
    clear()


def test_one_rule_for_names():
    expect(["app", "add", "Alpha", "--consumer-key", KEY], 0, SECRET + "\n")
    rc, out, err = add("alpha")
    check(rc == 1 and "already exists" in err, "`app add alpha` finds Alpha", err)
    expect(["app", "remove", "alpha"], 0)
    check("Alpha" not in apps(), "`app remove alpha` removed Alpha")

    nfc = unicodedata.normalize("NFC", "Élan")
    nfd = unicodedata.normalize("NFD", "Élan")
    check(nfc != nfd, "two spellings")
    expect(["app", "add", nfd, "--consumer-key", KEY], 0, SECRET + "\n")
    check(list(apps()) == [nfc], "kept in NFC", list(apps()))
    rc, out, err = add(nfc)
    check(rc == 1 and "already exists" in err, "the other spelling is the same App", err)
    expect(["account", "list", nfd.lower()], 0)
    expect(["app", "remove", nfd.upper()], 0)
    check(apps() == {}, "removed by another spelling")


def test_limits():
    rc, out, err = add("x" * 101)
    check(rc == 1 and "100" in err, "a name over 100 characters is refused", err)
    rc, out, err = add("y" * 100000)
    check(rc == 1 and len(err) < 500, "a 100,000-character name, in a short sentence", len(err))
    expect(["app", "add", "Kept", "--consumer-key", KEY], 0, SECRET + "\n")
    with open(RECORDS, "rb") as f:
        records = f.read()
    huge = records + b"#" * (5 * 1024 * 1024) + b"\n"
    with open(RECORDS, "wb") as f:
        f.write(huge)
    before = len(asides())
    rc, out, err = run(["app", "list"])
    check(rc == 1 and "4 MiB" in err and RECORDS in err, "a 5 MB records file is refused", err[:300])
    rc, out, err = add("Not Written")
    check(rc == 1, "nothing is added to it", err[:300])
    with open(RECORDS, "rb") as f:
        check(f.read() == huge, "the file was left as it is")
    check(len(asides()) == before, "and not moved aside")
    check(keyring_items(**{"app-name": "Not Written"}) == 0, "no secret stayed behind")
    with open(RECORDS, "wb") as f:
        f.write(records)
    clear()


if __name__ == "__main__":
    sys.exit(bhtap.run(bhtap.tests_in(globals()), setup=start_server, teardown=stop_server))
