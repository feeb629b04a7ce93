#!/usr/bin/python3
# test-cli-rotate.py
#
# Copyright 2026 The Birdhouse authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""`birdhouse rotate …` end to end, and the credentials' ages: the built
binary with pipes, the private keyring of bh-test-session.sh and the fake
X server. Every failure path checks that nothing stored was lost: the old
credential is still in the keyring (export shows it) and the account is
still listed in its place. Speaks TAP on stdout.

The tests run in the order written and share one fake server and keyring.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

import bhcli
import bhtap
from bhcli import wait_for_file
from bhtap import check

BH = os.environ["BH_BIRDHOUSE"]
FAKE_SERVER = os.environ["BH_FAKE_X_SERVER"]
FAKE_BROWSER = os.environ.get("BH_FAKE_BROWSER") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "fake-browser.py")
TMPDIR = os.environ.get("BH_TEST_TMPDIR") or tempfile.mkdtemp()
WORK = tempfile.mkdtemp(prefix="cli-rotate-", dir=TMPDIR)
RECORDS = os.path.join(os.environ["XDG_DATA_HOME"], "birdhouse", "records.ini")

KEY = "fake-consumer-key-01234567890"
SECRET = "fake-consumer-secret-0123456789abcdefghijklmnopqrstu"
NEW_SECRET = "regenerated-consumer-secret-ABCDEFGHIJKLMNOPQRSTUVWXYZ01"
WRONG_SECRET = "wrong-consumer-secret-ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
APP = "Rotating App"

SECRETS = {SECRET, NEW_SECRET, WRONG_SECRET}
RUNS = []
server = None
base_url = None


def child_env(extra=None):
    env = dict(os.environ)
    env["G_MESSAGES_DEBUG"] = "all"
    if extra:
        env.update(extra)
    return env


def run(args, stdin="", env=None):
    proc = subprocess.run([BH] + args, input=stdin.encode("utf-8"),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env or child_env(), timeout=120)
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    RUNS.append((args, out, err))
    return proc.returncode, out, err


def expect(args, status, stdin="", env=None):
    rc, out, err = run(args, stdin, env)
    shown = err if args[0] not in ("bearer", "export") else "(hidden)"
    check(rc == status, "%s: exit status %d, expected %d" % (" ".join(args), rc, status),
          "stderr: " + "\n".join(l for l in shown.splitlines() if "birdhouse:" in l))
    return out, err


def error_lines(err):
    return [l for l in err.splitlines() if l.startswith("birdhouse: ")]


def control(endpoint, **fields):
    return bhcli.control(base_url, endpoint, **fields)


def get_json(path):
    return bhcli.get_json(base_url, path)


def start_server():
    global server, base_url
    server, base_url = bhcli.start_fake_server(FAKE_SERVER)


def stop_server():
    bhcli.stop_fake_server(server)


def fetch_tokens(screen_name):
    """Tokens for SCREEN_NAME with oauthlib alone (the portal's Generate)."""
    token, token_secret = bhcli.fetch_tokens(base_url, KEY, SECRET, screen_name)
    SECRETS.update((token, token_secret))
    return token, token_secret


def exported(screen_name=None):
    args = ["export", APP] + ([screen_name] if screen_name else []) + ["--format", "json"]
    out, _ = expect(args, 0)
    values = json.loads(out)
    for name in ("X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET", "X_BEARER_TOKEN"):
        if name in values:
            SECRETS.add(values[name])
    return values


def accounts():
    out, _ = expect(["account", "list", APP, "--json"], 0)
    return {a["screen_name"]: a for a in json.loads(out)}


def the_app():
    out, _ = expect(["app", "list", "--json"], 0)
    return [a for a in json.loads(out) if a["name"] == APP][0]


def rotate_account(screen_name, browser_user, extra=()):
    """`rotate account` with the fake browser signing in as BROWSER_USER
    (None: the browser is closed, no PIN comes)."""
    def pins_for(url):
        if browser_user is None:
            return []
        check(url.startswith(base_url + "/oauth/authorize?oauth_token="), "the URL", url)
        pin_file = os.path.join(WORK, "pin-" + browser_user)
        env = child_env({"BH_FAKE_BROWSER_PIN": pin_file, "BH_FAKE_BROWSER_USER": browser_user})
        subprocess.run(["/usr/bin/python3", FAKE_BROWSER, url], env=env, check=True, timeout=60)
        pin = wait_for_file(pin_file, 10)
        os.unlink(pin_file)
        return [pin]

    rc, out, err, url = bhcli.run_with_pins(
        [BH, "rotate", "account", APP, screen_name, "--no-browser", "--yes"] + list(extra),
        child_env(), pins_for)
    RUNS.append((["rotate", "account"], out, err))
    return rc, out, err, url


# ---- the tests ---------------------------------------------------------------

def test_help_and_usage():
    out, err = expect(["--help"], 0)
    check("rotate bearer|account|app-secret" in out, "the overview names rotate", out)
    for sub in (["rotate"], ["rotate", "bearer"], ["rotate", "account"], ["rotate", "app-secret"]):
        out, err = expect(sub + ["--help"], 0)
        check("birdhouse " + " ".join(sub) in out and err == "", "help of %s" % sub, out, err)
    out, err = expect(["rotate", "account", "--help"], 0)
    check("--yes" in out and "--no-browser" in out, "rotate account documents its options", out)
    for args in (["rotate"], ["rotate", "nope"], ["rotate", "bearer"], ["rotate", "account", APP],
                 ["rotate", "app-secret", APP, "extra"]):
        out, err = expect(args, 2)
        check(out == "", "a usage error prints nothing on stdout", args, out)


def test_setup():
    expect(["app", "add", APP, "--consumer-key", KEY, "--api-host", base_url], 0,
           stdin=SECRET + "\n")
    for name in ("alice", "bob"):
        token, token_secret = fetch_tokens(name)
        expect(["account", "add", APP], 0, stdin=token + "\n" + token_secret + "\n")
    expect(["bearer", APP], 0)
    app = the_app()
    check(app["secret_created_at"] is not None and app["secret_rotated_at"] is None
          and app["bearer_created_at"] is not None and app["bearer_rotated_at"] is None,
          "a new App's secret and bearer have a creation time and no rotation", app)
    check(app["secret_due_for_rotation"] is False, "nothing is due by default", app)
    alice = accounts()["alice"]
    check(alice["authorized_at"] is not None and alice["rotated_at"] is None
          and alice["due_for_rotation"] is False, "alice's age", alice)


def test_rotate_needs_yes_without_terminal():
    before = exported()["X_BEARER_TOKEN"]
    for args in (["rotate", "bearer", APP], ["rotate", "account", APP, "alice"]):
        out, err = expect(args, 2)
        check("stop working" in err, "the warning comes first, on stderr", err)
        check("--yes" in err, "says how to go on", err)
    check(exported()["X_BEARER_TOKEN"] == before, "nothing rotated")
    check(accounts()["alice"]["state"] == "ok", "alice untouched")


def test_rotate_bearer_refused_keeps_the_old_one():
    before = exported()["X_BEARER_TOKEN"]
    control("/_fake/fault", path="/oauth2/invalidate_token", kind="503")
    out, err = expect(["rotate", "bearer", APP, "--yes"], 1)
    lines = error_lines(err)
    check(len(lines) == 1 and "old bearer token is kept" in lines[0], "says it was kept", err)
    check(exported()["X_BEARER_TOKEN"] == before, "the old bearer token is still stored")
    check(before not in get_json("/_fake/state")["invalidated_bearers"], "and still valid at X")
    check(the_app()["bearer_rotated_at"] is None, "no rotation recorded")


def test_rotate_bearer():
    before = exported()["X_BEARER_TOKEN"]
    out, err = expect(["rotate", "bearer", APP, "--yes"], 0)
    check("Rotated the bearer token" in out, "says so", out)
    after = exported()["X_BEARER_TOKEN"]
    state = get_json("/_fake/state")
    check(after != before, "a new bearer token is stored")
    check(before in state["invalidated_bearers"], "the old one was invalidated at X")
    check(state["bearers"][KEY] == after, "the new one is X's current one")
    check(the_app()["bearer_rotated_at"] is not None, "the rotation is recorded")


def test_rotate_bearer_without_one():
    expect(["bearer", APP, "--invalidate"], 0)
    out, err = expect(["rotate", "bearer", APP, "--yes"], 1)
    check("no bearer token to rotate" in err, "says there is none", err)
    expect(["bearer", APP], 0)


def test_rotate_account_refused_keeps_the_old_tokens():
    before = exported("alice")
    control("/_fake/fault", path="/1.1/oauth/invalidate_token", kind="500")
    out, err = expect(["rotate", "account", APP, "alice", "--yes", "--no-browser"], 1)
    check(any("old tokens are kept" in l for l in error_lines(err)), "says they were kept", err)
    after = exported("alice")
    check(after["X_ACCESS_TOKEN"] == before["X_ACCESS_TOKEN"], "the old tokens are still stored")
    check(before["X_ACCESS_TOKEN"] not in get_json("/_fake/state")["invalidated_access_tokens"],
          "and still valid at X")
    check(accounts()["alice"]["state"] == "ok", "alice is still ok")


def test_rotate_account_cancelled_needs_reauthorization():
    before = exported("alice")
    rc, out, err, url = rotate_account("alice", None)
    check(rc == 1, "no PIN: exit 1", err)
    check("force_login=true" in url and "screen_name=alice" in url,
          "X is asked to sign alice in", url)
    check("needs re-authorization" in err and "nothing was removed" in err, "says what happened", err)
    alice = accounts()["alice"]
    check(alice["state"] == "needs-reauthorization", "alice needs re-authorization", alice)
    check(alice["name"] == "Alice Example", "and keeps her record", alice)
    check(before["X_ACCESS_TOKEN"] in get_json("/_fake/state")["invalidated_access_tokens"],
          "the old token was invalidated at X")
    check(exported("alice")["X_ACCESS_TOKEN"] == before["X_ACCESS_TOKEN"],
          "nothing was deleted from the keyring")


def test_rotate_account_as_someone_else_stores_nothing():
    rc, out, err, url = rotate_account("alice", "bob")
    check(rc == 1, "signed in as bob: exit 1", err)
    check("as @bob, not as @alice" in err, "says who signed in", err)
    listed = accounts()
    check(sorted(listed) == ["alice", "bob"], "no account added or lost", listed)
    check(listed["alice"]["state"] == "needs-reauthorization", "alice still needs it")


def test_rotate_account():
    before = exported("alice")
    user_id = accounts()["alice"]["user_id"]
    rc, out, err, url = rotate_account("alice", "alice")
    check(rc == 0, "rotate account exits 0", err)
    check(out.splitlines()[-1] == "@alice (Alice Example), read and write", "prints alice", out)
    after = exported("alice")
    check(after["X_ACCESS_TOKEN"] != before["X_ACCESS_TOKEN"], "new tokens are stored")
    alice = accounts()["alice"]
    check(alice["state"] == "ok" and alice["user_id"] == user_id and alice["rotated_at"] is not None,
          "in alice's place, ok, rotated", alice)
    check(sorted(accounts()) == ["alice", "bob"], "still two accounts")
    expect(["account", "verify", APP, "alice"], 0)


def test_rotate_app_secret_wrong_keeps_the_old_one():
    out, err = expect(["rotate", "app-secret", APP], 1, stdin=WRONG_SECRET + "\n")
    lines = error_lines(err)
    check(len(lines) == 1 and "old one is kept" in lines[0], "says it was kept", err)
    check(exported()["X_API_SECRET"] == SECRET, "the old secret is still stored")
    check(the_app()["secret_rotated_at"] is None, "no rotation recorded")
    out, err = expect(["rotate", "app-secret", APP], 1, stdin="")
    check(len(error_lines(err)) == 1, "no secret on stdin: one error line", err)


def test_rotate_app_secret():
    old_bearer = exported()["X_BEARER_TOKEN"]
    control("/_fake/regenerate-app-keys", consumer_key=KEY, consumer_secret=NEW_SECRET)
    out, err = expect(["rotate", "app-secret", APP], 0, stdin=NEW_SECRET + "\n")
    check("Stored the new API key secret" in out, "says it was stored", out)
    check("bearer token: renewed" in out, "the invalidated bearer was renewed", out)
    check("@alice: works" in out and "@bob: works" in out, "the accounts still work", out)
    values = exported()
    check(values["X_API_SECRET"] == NEW_SECRET, "the new secret is stored")
    check(values["X_BEARER_TOKEN"] != old_bearer
          and values["X_BEARER_TOKEN"] == get_json("/_fake/state")["bearers"][KEY],
          "the bearer token is X's new one")
    check(the_app()["secret_rotated_at"] is not None, "the rotation is recorded")


def test_rotate_app_secret_reports_what_no_longer_works():
    control("/_fake/fault", path="/1.1/account/verify_credentials.json", kind="89")
    out, err = expect(["rotate", "app-secret", APP], 1, stdin=NEW_SECRET + "\n")
    check("needs re-authorization" in out, "the refused account is named", out)
    check(any("no longer work" in l for l in error_lines(err)), "and the exit says so", err)
    check(sorted(accounts()) == ["alice", "bob"], "no account removed")
    check(exported()["X_API_SECRET"] == NEW_SECRET, "the secret is stored")
    expect(["account", "verify", APP, "alice"], 0)
    expect(["account", "verify", APP, "bob"], 0)


def set_in_records(group_prefix, key, value):
    with open(RECORDS, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out, inside, done = [], False, False
    for line in lines:
        if line.startswith("["):
            if inside and not done:
                out.append("%s=%s" % (key, value))
                done = True
            inside = line.startswith("[" + group_prefix)
        if inside and line.startswith(key + "="):
            if value is not None:
                out.append("%s=%s" % (key, value))
            done = True
            continue
        out.append(line)
    if inside and not done:
        out.append("%s=%s" % (key, value))
    with open(RECORDS, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def reminder_env(days):
    config = os.path.join(WORK, "config-%d" % days)
    folder = os.path.join(config, "glib-2.0", "settings")
    os.makedirs(folder, exist_ok=True)
    app_id = None
    for name in os.listdir(os.environ["GSETTINGS_SCHEMA_DIR"]):
        m = re.match(r"(io\.github\.birdhouse\.Birdhouse(\.Devel)?)\.gschema\.xml$", name)
        if m:
            app_id = m.group(1)
    check(app_id is not None, "the schema is built")
    with open(os.path.join(folder, "keyfile"), "w") as f:
        f.write("[%s]\nrotation-reminder-days=uint32 %d\n" % (app_id.replace(".", "/"), days))
    return child_env({"GSETTINGS_BACKEND": "keyfile", "XDG_CONFIG_HOME": config})


def test_due_for_rotation():
    # Two years ago, long before any reminder; bob's age unknown.
    set_in_records("App ", "secret-rotated-at", "2024-01-01T00:00:00Z")
    set_in_records("App ", "secret-created-at", "2023-06-01T00:00:00Z")
    set_in_records("Account ", "authorized-at", None)
    accounts_before = accounts()
    env = reminder_env(90)
    out, _ = expect(["app", "list", "--json"], 0, env=env)
    app = [a for a in json.loads(out) if a["name"] == APP][0]
    check(app["secret_due_for_rotation"] is True, "a secret rotated two years ago is due", app)
    check(app["bearer_due_for_rotation"] is False, "a bearer from today is not", app)
    out, _ = expect(["app", "list"], 0, env=env)
    check("API key secret due for rotation" in out, "the text listing says so", out)
    out, _ = expect(["account", "list", APP, "--json"], 0, env=env)
    listed = {a["screen_name"]: a for a in json.loads(out)}
    unknown = [a for a in listed.values() if a["authorized_at"] is None and a["rotated_at"] is None]
    for a in unknown:
        check(a["due_for_rotation"] is False, "an unknown age is shown as unknown, not due", a)
    out, _ = expect(["app", "list", "--json"], 0)
    app = [a for a in json.loads(out) if a["name"] == APP][0]
    check(app["secret_due_for_rotation"] is False, "without a reminder nothing is due", app)
    check(app["secret_rotated_at"].startswith("2024-01-01"), "the recorded time is kept", app)
    check(sorted(accounts_before) == sorted(accounts()), "nothing lost")


def test_no_secret_leaked():
    for args, out, err in RUNS:
        if args[0] in ("bearer", "export"):
            continue
        for s in SECRETS:
            check(s not in out and s not in err,
                  "no secret in the output (with G_MESSAGES_DEBUG=all) of %s" % args[:3])
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
                check(s.encode("utf-8") not in data, "no secret in %s" % name)


if __name__ == "__main__":
    sys.exit(bhtap.run(bhtap.tests_in(globals()), setup=start_server, teardown=stop_server))
