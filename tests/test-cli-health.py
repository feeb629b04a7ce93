#!/usr/bin/python3
# test-cli-health.py
#
# Copyright 2026 The Birdhouse authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""`birdhouse check` and `birdhouse request --wait` end to end: the built
binary, the private keyring of bh-test-session.sh (gnome-keyring, or the
file backend with BH_TEST_FLATPAK=1) and the fake X server, which enforces
X's published rate limits and counts every 429 it sends. Speaks TAP.

The tests run in order and share one server and one keyring: an App with
two accounts and a bearer token, then each kind of failure, then a second
App of 100 accounts.
"""

import base64
import configparser
import datetime
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

import bhcli
import bhtap
from bhtap import check

BH = os.environ["BH_BIRDHOUSE"]
FAKE_SERVER = os.environ["BH_FAKE_X_SERVER"]
TMPDIR = os.environ.get("BH_TEST_TMPDIR") or tempfile.mkdtemp()
RECORDS = os.path.join(os.environ.get("XDG_DATA_HOME", os.path.expanduser("~/.local/share")),
                       "birdhouse", "records.ini")

KEY = "fake-consumer-key-01234567890"
SECRET = "fake-consumer-secret-0123456789abcdefghijklmnopqrstu"
APP = "Health App"
MANY_KEY = "many-consumer-key-0123456789"
MANY_SECRET = "many-consumer-secret-0123456789abcdefghijklmnop"
MANY = "Many"
N_MANY = 100
VERIFY = "/1.1/account/verify_credentials.json"
ECHO = "/1.1/test/echo.json"

RUNS = []
server = None
base_url = None


def run(args, stdin="", env=None):
    rc, out, err = bhcli.run_birdhouse(BH, args, stdin, env, timeout=180)
    RUNS.append((args, out, err))
    return rc, out, err


def expect(args, status, stdin="", env=None):
    rc, out, err = run(args, stdin, env)
    check(rc == status, "%s: exit status %d, expected %d" % (" ".join(args), rc, status),
          "stdout: " + out[-2000:], "stderr: " + err[-2000:])
    return out, err


def check_json(*extra, status):
    out, err = expect(["check", "--json"] + list(extra), status)
    report = json.loads(out)
    check(report["healthy"] == (status == 0), "healthy says the exit status", out)
    return report


def find(report, kind, screen_name=None, app=APP):
    for c in report["credentials"]:
        if c["kind"] == kind and c["app"] == app and c["screen_name"] == screen_name:
            return c
    return None


def control(endpoint, **fields):
    data = urllib.parse.urlencode(fields).encode("ascii")
    with bhcli.OPENER.open(base_url + endpoint, data=data, timeout=30) as resp:
        return json.loads(resp.read().decode("utf-8"))


def get_json(path):
    with bhcli.OPENER.open(base_url + path, timeout=30) as resp:
        return json.loads(resp.read().decode("utf-8"))


def rate_limited_responses():
    return get_json("/_fake/rate-state")["rate_limited_responses"]


def records():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(RECORDS, encoding="utf-8")
    return parser


def account_section(user_id, app_name=APP):
    r = records()
    app_id = [s[4:] for s in r.sections() if s.startswith("App ") and r[s]["name"] == app_name][0]
    return r["Account %s %s" % (app_id, user_id)]


def app_section(app_name=APP):
    r = records()
    return [r[s] for s in r.sections() if s.startswith("App ") and r[s]["name"] == app_name][0]


def basic(key, secret):
    return "Basic " + base64.b64encode(("%s:%s" % (key, secret)).encode("ascii")).decode("ascii")


def start_server():
    global server, base_url
    server, base_url = bhcli.start_fake_server(FAKE_SERVER)


def stop_server():
    bhcli.stop_fake_server(server)


# ---- the tests ---------------------------------------------------------------

def test_setup():
    expect(["app", "add", APP, "--consumer-key", KEY, "--api-host", base_url], 0, stdin=SECRET + "\n")
    for name in ("alice", "bob"):
        token, token_secret = bhcli.fetch_tokens(base_url, KEY, SECRET, name)
        expect(["account", "add", APP], 0, stdin=token + "\n" + token_secret + "\n")
    expect(["bearer", APP], 0)


def test_all_healthy():
    out, err = expect(["check"], 0)
    check(out == "", "nothing to say when all is healthy", out)
    report = check_json(status=0)
    kinds = sorted((c["kind"], c["screen_name"] or "") for c in report["credentials"])
    check(kinds == [("account", "alice"), ("account", "bob"), ("app-keys", ""), ("bearer", "")],
          "every credential was checked", kinds)
    check(all(c["state"] == "healthy" and not c["became_unhealthy"] and c["message"] is None
              for c in report["credentials"]), "all healthy", report)
    alice = account_section("1001")
    check(alice["health"] == "healthy" and alice["health-verdict"] == "healthy"
          and alice["health-checked-by"] == "command-line" and "health-checked-at" in alice,
          "the result is in the records", dict(alice))
    app = app_section()
    check(app["keys-health"] == "healthy" and app["bearer-health"] == "healthy",
          "the App's keys and bearer token too", dict(app))
    # The window reads the same records: `app list` sees the accounts as before.
    out, _ = expect(["check", APP], 0)


def test_revoked_token():
    """bob's token is revoked at X: needs re-authorization, said once as
    news, and bob stays (nothing is deleted)."""
    out, err = expect(["request", "--app", APP, "--account", "bob", "-X", "POST",
                       base_url + "/1.1/oauth/invalidate_token"], 0)
    out, err = expect(["check"], 1)
    lines = out.splitlines()
    check(len(lines) == 1 and "@bob" in lines[0] and APP in lines[0]
          and "Needs re-authorization" in lines[0], "one line for bob's problem", out)
    report = check_json(status=1)
    bob = find(report, "account", "bob")
    check(bob["state"] == "needs-reauth" and bob["previous"] == "needs-reauth"
          and not bob["became_unhealthy"], "the second check brings no news", bob)
    out, _ = expect(["account", "list", APP, "--json"], 0)
    accounts = json.loads(out)
    check(sorted(a["screen_name"] for a in accounts) == ["alice", "bob"], "bob was not removed", out)
    check(account_section("1002")["state"] == "needs-reauth", "bob is marked for re-authorization")
    expect(["export", APP, "bob", "--format", "json"], 0)
    check(account_section("1001")["state"] == "ok", "alice is not")


def test_became_unhealthy_once():
    """A fresh token for bob makes him healthy again; revoking that one is
    news again."""
    token, token_secret = bhcli.fetch_tokens(base_url, KEY, SECRET, "bob")
    expect(["account", "add", APP], 0, stdin=token + "\n" + token_secret + "\n")
    report = check_json(status=0)
    check(find(report, "account", "bob")["state"] == "healthy", "bob healthy again", report)
    expect(["request", "--app", APP, "--account", "bob", "-X", "POST",
            base_url + "/1.1/oauth/invalidate_token"], 0)
    report = check_json(status=1)
    bob = find(report, "account", "bob")
    check(bob["became_unhealthy"] and bob["previous"] == "healthy", "news once more", bob)
    token, token_secret = bhcli.fetch_tokens(base_url, KEY, SECRET, "bob")
    expect(["account", "add", APP], 0, stdin=token + "\n" + token_secret + "\n")


def test_keys_rejected():
    """The API key secret was regenerated in the portal: the App's keys are
    rejected, its accounts are not asked (their answer would be the same
    refusal) and keep their state."""
    control("/_fake/apps", consumer_key=KEY, consumer_secret="regenerated-secret-0123456789abcdef")
    counts = get_json("/_fake/state")["counts"].get(VERIFY, 0)
    out, err = expect(["check"], 1)
    check(len(out.splitlines()) == 1 and "API key and secret" in out and "App keys rejected" in out,
          "one line for the keys", out)
    report = check_json(status=1)
    keys = find(report, "app-keys")
    check(keys["state"] == "keys-rejected", "keys rejected", keys)
    check(find(report, "account", "alice") is None, "accounts not asked", report)
    check(get_json("/_fake/state")["counts"].get(VERIFY, 0) == counts, "no verify_credentials sent")
    check(account_section("1001")["state"] == "ok", "alice keeps her state")
    control("/_fake/apps", consumer_key=KEY, consumer_secret=SECRET)
    check_json(status=0)


def test_bearer_invalidated():
    bearer = json.loads(expect(["export", APP, "--format", "json"], 0)[0])["X_BEARER_TOKEN"]
    req = bhcli.urllib.request.Request(
        base_url + "/oauth2/invalidate_token",
        data=urllib.parse.urlencode({"access_token": bearer}).encode("ascii"),
        headers={"Authorization": basic(KEY, SECRET)})
    with bhcli.OPENER.open(req, timeout=30) as resp:
        check(resp.status == 200, "invalidated behind Birdhouse's back")
    out, err = expect(["check"], 1)
    check(len(out.splitlines()) == 1 and "bearer token" in out and "Bearer token invalid" in out,
          "one line for the bearer token", out)
    report = check_json(status=1)
    check(find(report, "bearer")["state"] == "bearer-invalid", "bearer invalid", report)
    check(find(report, "app-keys")["state"] == "healthy", "the keys are fine", report)
    check(get_json("/_fake/state")["bearers"][KEY] is None,
          "the check made no new bearer token at X")
    again = json.loads(expect(["export", APP, "--format", "json"], 0)[0]).get("X_BEARER_TOKEN")
    check(again == bearer, "the stored bearer token was kept")
    expect(["bearer", APP, "--invalidate"], 0)
    expect(["bearer", APP], 0)


def test_server_down():
    """X cannot be reached: unreachable, never revoked; the verdicts and
    the accounts' states stay."""
    for path in ("/oauth/request_token", VERIFY, "/1.1/application/rate_limit_status.json"):
        control("/_fake/fault", path=path, kind="drop", count="0")
    out, err = expect(["check"], 1)
    check(out.strip() != "" and "re-authorization" not in out and "rejected" not in out
          and "invalid" not in out.lower(), "said as unreachable, never revoked", out)
    report = check_json(status=1)
    check(all(c["state"] == "unreachable" for c in report["credentials"]), "all unreachable", report)
    alice = account_section("1001")
    check(alice["state"] == "ok" and alice["health"] == "unreachable"
          and alice["health-verdict"] == "healthy", "alice's verdict kept", dict(alice))
    for path in ("/oauth/request_token", VERIFY, "/1.1/application/rate_limit_status.json"):
        control("/_fake/fault", path=path, kind="none")
    control("/_fake/fault", path="/oauth/request_token", kind="503", count="0")
    report = check_json(status=1)
    check(find(report, "app-keys")["state"] == "unreachable", "a 503 is unreachable too", report)
    control("/_fake/fault", path="/oauth/request_token", kind="none")
    report = check_json(status=0)
    check(not any(c["became_unhealthy"] for c in report["credentials"]), "no news afterwards", report)
    # An answer that is no verdict (X finds the clock off): said, not judged.
    control("/_fake/fault", path=VERIFY, kind="135", count="0")
    report = check_json(status=1)
    alice = find(report, "account", "alice")
    check(alice["state"] == "error" and alice["message"] and not alice["became_unhealthy"],
          "an error with its sentence", alice)
    check(account_section("1001")["state"] == "ok", "alice is not marked", dict(account_section("1001")))
    control("/_fake/fault", path=VERIFY, kind="none")


def test_429_with_reset():
    """A 429 on one account: rate-limited until X's reset, not asked again
    before it, never revoked."""
    control("/_fake/fault", path=VERIFY, kind="429", count="1", reset_in="4")
    report = check_json(status=1)
    limited = [c for c in report["credentials"] if c["state"] == "rate-limited"]
    check(len(limited) == 1 and limited[0]["kind"] == "account" and limited[0]["retry_at"],
          "one account rate-limited, with the reset time", report)
    who = limited[0]["screen_name"]
    before = get_json("/_fake/state")["counts"].get(VERIFY, 0)
    report = check_json(status=0)
    c = find(report, "account", who)
    check(c["state"] == "rate-limited" and c["previous"] == "healthy", "not asked before the reset", c)
    check(get_json("/_fake/state")["counts"].get(VERIFY, 0) == before + 1, "only the other account asked")
    time.sleep(5)
    report = check_json(status=0)
    check(find(report, "account", who)["state"] == "healthy", "asked again after the reset", report)


def test_429_on_the_app_keys():
    """The App's keys wait for X's reset; its accounts are still checked
    (they are signed with the App's secret, read all the same)."""
    control("/_fake/fault", path="/oauth/request_token", kind="429", count="1", reset_in="4")
    report = check_json(status=1)
    check(find(report, "app-keys")["state"] == "rate-limited", "the keys wait", report)
    check(find(report, "account", "alice")["state"] == "healthy", "alice was checked", report)
    requests = get_json("/_fake/state")["counts"].get("/oauth/request_token", 0)
    # Healthy the time before, left alone now: that counts as healthy.
    report = check_json(status=0)
    check(find(report, "app-keys")["state"] == "rate-limited"
          and find(report, "account", "alice")["state"] == "healthy", "still waiting; alice checked", report)
    check(get_json("/_fake/state")["counts"].get("/oauth/request_token", 0) == requests,
          "the keys were not asked before the reset")
    time.sleep(5)
    report = check_json(status=0)
    check(find(report, "app-keys")["state"] == "healthy", "asked after the reset", report)


def test_hundred_accounts_no_429():
    """100 accounts whose windows scripts have nearly spent: three checks in
    a row send no request that would be refused, and leave the reserve."""
    control("/_fake/apps", consumer_key=MANY_KEY, consumer_secret=MANY_SECRET, name="Many")
    control("/_fake/health-users", count=str(N_MANY), prefix="many")
    expect(["app", "add", MANY, "--consumer-key", MANY_KEY, "--api-host", base_url], 0,
           stdin=MANY_SECRET + "\n")
    for i in range(1, N_MANY + 1):
        token, token_secret = bhcli.fetch_tokens(base_url, MANY_KEY, MANY_SECRET, "many%03d" % i)
        expect(["account", "add", MANY], 0, stdin=token + "\n" + token_secret + "\n")
    expect(["bearer", MANY], 0)
    # Scripts used the tokens: 3 requests left in each window (4 for the
    # bearer token of the App).
    for i in range(1, N_MANY + 1):
        control("/_fake/rate-limits", screen_name="many%03d" % i, remaining="3")
    control("/_fake/rate-limits", consumer_key=MANY_KEY, remaining="3")
    before = rate_limited_responses()
    for n in range(3):
        started = time.monotonic()
        report = check_json(MANY, status=0)
        # A figure for the log, not a verdict (no timing assertions).
        bhtap.diag("check of %d credentials: %.1f s" % (N_MANY + 2, time.monotonic() - started))
        check(len(report["credentials"]) == N_MANY + 2, "every credential reported", len(report["credentials"]))
    check(rate_limited_responses() == before, "not a single 429", rate_limited_responses() - before)
    ids = {c["user_id"] for c in report["credentials"] if c["kind"] == "account"}
    remaining = get_json("/_fake/rate-state")["remaining"]
    left = [v for k, v in remaining.items() if k.endswith(VERIFY) and k.split(" ")[0] in ids]
    check(len(left) == N_MANY and min(left) >= 1, "the last requests of each window were kept", left)


def test_window_reset_resumes():
    """With X's windows shortened (the fake clock), the reserve lasts until
    X's reset only: then the next check asks again. The window is long
    enough for two checks of a sanitizer build on a loaded machine (each
    is two process starts, the keyring and X); the wait after them lasts
    until the reset the second check reports."""
    control("/_fake/rate-limits", window="20")
    control("/_fake/apps", consumer_key="reset-consumer-key-0123456789",
            consumer_secret="reset-consumer-secret-0123456789abcdef")
    control("/_fake/health-users", count="1", prefix="reset")
    expect(["app", "add", "Reset", "--consumer-key", "reset-consumer-key-0123456789",
            "--api-host", base_url], 0, stdin="reset-consumer-secret-0123456789abcdef\n")
    token, token_secret = bhcli.fetch_tokens(base_url, "reset-consumer-key-0123456789",
                                             "reset-consumer-secret-0123456789abcdef", "reset001")
    expect(["account", "add", "Reset"], 0, stdin=token + "\n" + token_secret + "\n")
    control("/_fake/rate-limits", screen_name="reset001", remaining="3")
    counts = lambda: get_json("/_fake/state")["counts"].get(VERIFY, 0)
    before = counts()
    check_json("Reset", status=0)
    kept = check_json("Reset", status=0)
    check(counts() == before + 1, "asked once, then the reserve is kept", counts() - before)
    retry_at = find(kept, "account", "reset001", app="Reset").get("retry_at")
    check(retry_at is not None, "the kept reserve says until when", kept)
    reset = datetime.datetime.fromisoformat(retry_at.replace("Z", "+00:00")).timestamp()
    time.sleep(max(0.0, reset - time.time()) + 1.5)
    report = check_json("Reset", status=0)
    check(counts() == before + 2 and find(report, "account", "reset001", app="Reset")["state"] == "healthy",
          "asked again after the reset", report)
    control("/_fake/rate-limits", window="900")
    expect(["app", "remove", "Reset"], 0)


def test_request_wait():
    echo = base_url + ECHO
    control("/_fake/fault", path=ECHO, kind="429", count="1", reset_in="2")
    out, err = expect(["request", "--app", APP, "--account", "alice", echo], 1)
    check("birdhouse: " in err and ":" in err.split("birdhouse: ", 1)[1], "names the reset time", err)
    before = get_json("/_fake/state")["counts"].get(ECHO, 0)
    control("/_fake/fault", path=ECHO, kind="429", count="1", reset_in="2")
    out, err = expect(["request", "--wait", "--app", APP, "--account", "alice", echo], 0)
    check(json.loads(out)["screen_name"] == "alice", "the retry's body", out)
    check("waiting until" in err and "Ctrl+C" in err, "the wait is said on stderr", err)
    check(get_json("/_fake/state")["counts"].get(ECHO, 0) == before + 2, "sent twice")
    # A second 429 is reported, not waited out again.
    control("/_fake/fault", path=ECHO, kind="429", count="2", reset_in="1")
    out, err = expect(["request", "--wait", "--app", APP, "--account", "alice", echo], 1)
    check(err.count("waiting until") == 1, "retried once only", err)
    out, err = expect(["request", "--wait", "--nonce", "abc", "--app", APP, "--account", "alice", echo], 2)


def test_request_wait_ctrl_c():
    echo = base_url + ECHO
    control("/_fake/fault", path=ECHO, kind="429", count="1", reset_in="120")
    before = get_json("/_fake/state")["counts"].get(ECHO, 0)
    proc = subprocess.Popen([BH, "request", "--wait", "--app", APP, "--account", "alice", echo],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = bhcli.read_line(proc.stderr, 30)
        check("waiting until" in line, "waiting", line)
        proc.send_signal(signal.SIGINT)
        rc = proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    check(rc == 130, "Ctrl+C ends it with 130", rc)
    check(get_json("/_fake/state")["counts"].get(ECHO, 0) == before + 1, "no retry after Ctrl+C")
    control("/_fake/fault", path=ECHO, kind="none")


def test_nothing_deleted_and_debug_log_safe():
    env = dict(os.environ, G_MESSAGES_DEBUG="all")
    rc, out, err = run(["check"], env=env)
    check(rc == 0, "healthy", out, err)
    check("Health:" in err, "the debug log says what was checked")
    out, _ = expect(["app", "list", "--json"], 0)
    apps = {a["name"]: a for a in json.loads(out)}
    check(set(apps) == {APP, MANY} and len(apps[MANY]["accounts"]) == N_MANY
          and len(apps[APP]["accounts"]) == 2, "every App and account is still there")


def test_no_secret_leaked():
    secrets = get_json("/_fake/issued-secrets")["secrets"]
    check(len(secrets) > N_MANY, "secrets were collected", len(secrets))
    for args, out, err in RUNS:
        if args[0] in ("bearer", "export"):
            continue
        # X's answer to invalidate_token names the token it invalidated.
        if args[-1].endswith("/oauth/invalidate_token"):
            out = ""
        for s in secrets:
            check(s not in out and s not in err, "no secret in the output of %s" % args[:3])
    with open(RECORDS, encoding="utf-8") as f:
        text = f.read()
    check(not any(s in text for s in secrets), "no secret in the records")


if __name__ == "__main__":
    sys.exit(bhtap.run(bhtap.tests_in(globals()), setup=start_server, teardown=stop_server))
