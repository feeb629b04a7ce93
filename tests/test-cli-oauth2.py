#!/usr/bin/python3
# test-cli-oauth2.py
#
# Copyright 2026 The Birdhouse authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""OAuth 2.0 user context from the command line, end to end: `birdhouse
authorize APP --oauth2` through the fake browser (which follows X's
redirect to Birdhouse's loopback listener) or a pasted redirect URL,
`birdhouse token` refreshing on expiry, eight `token` processes at the
moment of expiry, a refused refresh, removal; and no secret in any
output, debug log or file. The built binary ($BH_BIRDHOUSE), the private
keyring of bh-test-session.sh (either mode), the fake X server (OAuth 2.0
on oauthlib). Speaks TAP on stdout.
"""

import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import bhcli
import bhtap
from bhcli import read_line
from bhtap import check

BH = os.environ["BH_BIRDHOUSE"]
FAKE_SERVER = os.environ["BH_FAKE_X_SERVER"]
FAKE_BROWSER = os.environ.get("BH_FAKE_BROWSER") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "fake-browser.py")
TMPDIR = os.environ.get("BH_TEST_TMPDIR") or tempfile.mkdtemp()
WORK = tempfile.mkdtemp(prefix="cli-oauth2-", dir=TMPDIR)
RECORDS = os.path.join(os.environ["XDG_DATA_HOME"], "birdhouse", "records.ini")

# The fake server's confidential client (tests/bh-fake-server.h), given a
# redirect URI on a port of this test's own.
CLIENT_ID = "ZmFrZS1vYXV0aDItY2xpZW50LTAxMjM0NTY6MTpjaQ"
CLIENT_SECRET = "fake-oauth2-secret_0123456789-abcdefghijklmnopqrst"
APP = "OAuth2 App"

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# (argv, stdout, stderr) of every run, for the final scan.
RUNS = []

server = None
base_url = None
redirect_uri = None
port = None


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def child_env(extra=None):
    env = dict(os.environ)
    if extra:
        env.update(extra)
    return env


def run(args, stdin="", env=None, timeout=90):
    proc = subprocess.run([BH] + args, input=stdin.encode("utf-8"),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env or child_env(), timeout=timeout)
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    RUNS.append((args, out, err))
    return proc.returncode, out, err


def expect(args, status, stdin="", env=None):
    rc, out, err = run(args, stdin, env)
    check(rc == status, "%s: exit status %d, expected %d" % (" ".join(args[:2]), rc, status),
          "stderr: " + err)
    return out, err


def control(endpoint, fields):
    data = urllib.parse.urlencode(fields, doseq=True).encode("ascii")
    with OPENER.open(base_url + endpoint, data=data, timeout=30) as resp:
        return json.loads(resp.read().decode("utf-8"))


def get_json(path):
    with OPENER.open(base_url + path, timeout=30) as resp:
        return json.loads(resp.read().decode("utf-8"))


def oauth2_state():
    return get_json("/_fake/oauth2-state")


def users_me(token):
    """The status of GET /2/users/me with TOKEN as OAuth 2.0 bearer, and
    the username it names."""
    req = urllib.request.Request(base_url + "/2/users/me",
                                 headers={"Authorization": "Bearer " + token})
    try:
        with OPENER.open(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read().decode("utf-8"))["data"]["username"]
    except urllib.error.HTTPError as e:
        return e.code, None


def accounts():
    out, _ = expect(["account", "list", APP, "--json"], 0)
    return {a["screen_name"]: a for a in json.loads(out)}


def grant_items():
    """The number of oauth2-grant items in the keyring."""
    proc = subprocess.run(["secret-tool", "search", "--all", "--unlock", "kind", "oauth2-grant"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    return sum(1 for line in proc.stdout.decode("utf-8", "replace").splitlines()
               if line.startswith("label = "))


def stored_grant():
    proc = subprocess.run(["secret-tool", "lookup", "kind", "oauth2-grant", "screen-name", "alice"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    check(proc.returncode == 0, "the grant is in the keyring")
    lines = proc.stdout.decode("utf-8").split("\n")
    check(lines[0] == "birdhouse-oauth2-grant-1", "the grant's format")
    return lines


def authorize(args, env, feed=None, timeout=90):
    """Runs `birdhouse authorize APP --oauth2 ARGS` with stdin open; FEED
    (when given) gets the URL line and returns what to write on stdin.
    Returns (status, stdout, stderr, url)."""
    proc = subprocess.Popen([BH, "authorize", APP, "--oauth2"] + args, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(env))
    try:
        url = read_line(proc.stdout, 30)
        if feed is not None:
            for line in feed(url):
                proc.stdin.write((line + "\n").encode("utf-8"))
                proc.stdin.flush()
                time.sleep(0.2)
        rest, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    out = url + "\n" + rest.decode("utf-8", "replace")
    err = err.decode("utf-8", "replace")
    RUNS.append((["authorize", "--oauth2"] + args, out, err))
    return proc.returncode, out, err, url


def browse(url, extra):
    """The fake browser at URL, not following X's redirect: returns what
    it recorded."""
    result = os.path.join(WORK, "browser-%d.json" % time.monotonic_ns())
    env = child_env({"BH_FAKE_BROWSER_RESULT": result, "BH_FAKE_BROWSER_FOLLOW": "0"})
    env.update(extra)
    subprocess.run(["/usr/bin/python3", FAKE_BROWSER, url], env=env, check=True, timeout=60)
    with open(result) as f:
        return json.load(f)


def setup():
    global server, base_url, redirect_uri, port
    server, base_url = bhcli.start_fake_server(FAKE_SERVER)
    port = free_port()
    redirect_uri = "http://127.0.0.1:%d/callback" % port
    control("/_fake/oauth2-client", {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                                     "redirect_uri": redirect_uri})


def teardown():
    bhcli.stop_fake_server(server)


# ---- the tests ---------------------------------------------------------------

def test_app_add():
    expect(["app", "add", APP, "--client-id", CLIENT_ID, "--client-secret",
            "--redirect-uri", redirect_uri, "--api-host", base_url], 0, stdin=CLIENT_SECRET + "\n")


def test_without_client_id_or_grant():
    """An App without a Client ID cannot authorize with OAuth 2.0, and an
    account without a grant has no OAuth 2.0 token: a sentence each."""
    expect(["app", "add", "Keys Only", "--consumer-key", "fake-consumer-key-01234567890",
            "--api-host", base_url], 0, stdin="fake-consumer-secret-0123456789abcdefghijklmnopqrstu\n")
    rc, out, err = run(["authorize", "Keys Only", "--oauth2", "--no-browser"])
    check(rc == 1 and "Client ID" in err, "no Client ID: exit 1 and the way out", err)
    check(out == "", "no authorize URL", out)
    rc, out, err = run(["token", "Nobody App", "alice"])
    check(rc == 1 and err.startswith("birdhouse: "), "an unknown App: exit 1", err)
    rc, out, err = run(["token", APP])
    check(rc == 2, "token needs the App and the screen name", err)
    expect(["app", "remove", "Keys Only"], 0)


def test_scope_needs_oauth2():
    rc, out, err = run(["authorize", APP, "--scope", "tweet.read"])
    check(rc == 2, "--scope without --oauth2 is a usage error", err)


def test_authorize_through_the_browser():
    result = os.path.join(WORK, "browser-alice.json")
    rc, out, err, url = authorize(["--scope", "tweet.read", "--scope", "users.read"],
                                  {"BH_FAKE_BROWSER_RESULT": result})
    check(rc == 0, "authorize --oauth2 exits 0", err)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    check(url.startswith(base_url + "/i/oauth2/authorize?"), "the authorize URL on a line of its own", url)
    check(query["code_challenge_method"] == ["S256"] and query["redirect_uri"] == [redirect_uri],
          "PKCE S256 and the App's redirect URI", url)
    check(query["scope"][0].split() == ["tweet.read", "users.read", "offline.access"],
          "the chosen scopes, and offline.access", query["scope"])
    check(out.splitlines()[-1].startswith("@alice (Alice Example), OAuth 2.0: ") and
          "offline.access" in out.splitlines()[-1], "prints the account and its scopes", out)
    with open(result) as f:
        browser = json.load(f)
    check(browser["listener_status"] == 200, "the browser reached the listener", browser["listener_status"])
    state = oauth2_state()
    check(state["last_client_auth"] == "basic", "a confidential client authenticates with Basic")
    alice = accounts()["alice"]
    check(alice["credentials"] == ["oauth2"], "the account holds an OAuth 2.0 grant", alice)
    check(alice["oauth2_scopes"] == ["tweet.read", "users.read", "offline.access"], "its scopes", alice)
    check(alice["oauth2_expires_at"] is not None, "its expiry", alice)
    check(grant_items() == 1, "one grant item in the keyring")
    with open(RECORDS) as f:
        records = f.read()
    check("credentials=oauth2" in records and "oauth2-expires-at=" in records,
          "the records say which credentials and when they expire", records)


def test_token_without_refresh():
    before = oauth2_state()["token_calls"].get("refresh_token", 0)
    out, err = expect(["token", APP, "alice"], 0)
    token = out.strip()
    check(len(out.splitlines()) == 1, "only the token on stdout")
    check(users_me(token) == (200, "alice"), "the token works at X")
    check(oauth2_state()["token_calls"].get("refresh_token", 0) == before, "a fresh token is not refreshed")


def authorize_alice(lifetime):
    """Authorizes alice again with access tokens lasting LIFETIME seconds,
    then lets the next ones last X's two hours."""
    control("/_fake/oauth2-lifetime", {"seconds": str(lifetime)})
    rc, out, err, url = authorize([], {})
    check(rc == 0, "authorize --oauth2 exits 0", err)
    control("/_fake/oauth2-lifetime", {"seconds": "7200"})


def test_token_refreshes_on_expiry():
    # A token that expires within the minute Birdhouse keeps as margin.
    authorize_alice(30)
    old = stored_grant()
    before = oauth2_state()["token_calls"].get("refresh_token", 0)
    out, err = expect(["token", APP, "alice"], 0, env=child_env({"G_MESSAGES_DEBUG": "all"}))
    check(oauth2_state()["token_calls"].get("refresh_token", 0) == before + 1, "a token about to expire is refreshed")
    check(users_me(out.strip()) == (200, "alice"), "the refreshed token works")
    new = stored_grant()
    check(new[1] != old[1] and new[2] != old[2], "the keyring holds the new access and refresh tokens")
    check("refresh" in err.lower(), "the debug log tells of the refresh")


def test_eight_processes_at_expiry():
    # The stored token expires within 30 s; the next one will last.
    authorize_alice(30)
    before = oauth2_state()["token_calls"].get("refresh_token", 0)
    procs = [subprocess.Popen([BH, "token", APP, "alice"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=child_env()) for _ in range(8)]
    tokens = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        out = out.decode("utf-8", "replace")
        err = err.decode("utf-8", "replace")
        RUNS.append((["token", "(eight)"], out, err))
        check(proc.returncode == 0, "every token process exits 0", err)
        tokens.append(out.strip())
    for token in tokens:
        check(users_me(token) == (200, "alice"), "every printed token works at X")
    state = oauth2_state()
    check(not state["reuse_detected"], "no refresh token was presented twice")
    check(state["token_calls"].get("refresh_token", 0) == before + 1, "exactly one refresh for eight processes",
          state["token_calls"].get("refresh_token", 0) - before)
    check(len(set(tokens)) == 1, "all eight got the one refreshed token")
    check(all(g["ended"] is None for g in state["grants"]), "the grant survives")
    expect(["token", APP, "alice"], 0)


def test_export_request_sign_verify():
    out, err = expect(["export", APP, "alice", "--format", "json"], 0)
    values = json.loads(out)
    check(values.get("X_CLIENT_ID") == CLIENT_ID, "export names the Client ID", sorted(values))
    check(values.get("X_CLIENT_SECRET") == CLIENT_SECRET, "and the Client Secret", sorted(values))
    check("X_ACCESS_TOKEN" not in values and "X_API_KEY" not in values,
          "no OAuth 1.0a values for an App and account without them", sorted(values))
    check(users_me(values["X_OAUTH2_ACCESS_TOKEN"]) == (200, "alice"), "X_OAUTH2_ACCESS_TOKEN works")

    out, err = expect(["request", "--app", APP, "--account", "alice", base_url + "/2/users/me"], 0)
    check(json.loads(out)["data"]["username"] == "alice",
          "request uses the grant of an account without OAuth 1.0a tokens", out)
    out, err = expect(["request", "--app", APP, "--account", "alice", "--oauth2", base_url + "/2/users/me"], 0)
    check(json.loads(out)["data"]["username"] == "alice", "request --oauth2", out)
    out, err = expect(["sign", "--app", APP, "--account", "alice", "--oauth2", base_url + "/2/users/me"], 0)
    check(out.startswith("Bearer ") and users_me(out.strip()[len("Bearer "):]) == (200, "alice"),
          "sign --oauth2 prints the Bearer header")
    rc, out, err = run(["sign", "--app", APP, "--oauth2", base_url + "/2/users/me"])
    check(rc == 2, "--oauth2 without --account is a usage error", err)

    out, err = expect(["account", "verify", APP, "alice"], 0)
    check(accounts()["alice"]["verified_at"] is not None, "verify with the OAuth 2.0 token")


def test_pasted_redirect_and_wrong_state():
    def feed(url):
        redirect = browse(url, {"BH_FAKE_BROWSER_USER": "bob"})["redirect"]
        parts = urllib.parse.urlsplit(redirect)
        query = dict(urllib.parse.parse_qsl(parts.query))
        forged = dict(query, state="not-this-one")
        forged_url = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(forged)))
        return ["", "not a URL", forged_url, redirect]

    rc, out, err, url = authorize(["--no-browser"], {}, feed)
    check(rc == 0, "a pasted redirect URL completes the authorization", err)
    check(out.splitlines()[-1].startswith("@bob"), "prints bob", out)
    check(len([l for l in err.splitlines() if l.startswith("birdhouse: ")]) >= 2,
          "a line that is no redirect and another attempt's redirect are refused, and waited past", err)
    check("bob" in accounts(), "bob is stored")


def test_account_revoke():
    out, err = expect(["token", APP, "bob"], 0)
    token = out.strip()
    before = oauth2_state()["revoke_calls"]
    expect(["account", "revoke", APP, "bob"], 0)
    check(oauth2_state()["revoke_calls"] == before + 2, "the refresh token and the access token are revoked")
    check(users_me(token)[0] == 401, "the access token no longer works at X")
    check("bob" not in accounts(), "the account is gone")


def test_access_denied():
    before = grant_items()
    rc, out, err, url = authorize([], {"BH_FAKE_BROWSER_ACTION": "cancel"})
    check(rc == 1, "cancelled at X: exit 1", err)
    check("birdhouse: " in err, "a sentence on stderr", err)
    check(grant_items() == before, "nothing stored")


def test_port_in_use():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen(1)
        rc, out, err = run(["authorize", APP, "--oauth2", "--no-browser"])
    check(rc == 1, "port in use: exit 1", err)
    check(str(port) in err and "redirect URI" in err, "the sentence names the port and the way out", err)
    check(out == "", "no authorize URL when nothing can receive the redirect", out)


def test_refused_refresh_marks_needs_reauth():
    authorize_alice(30)
    grant = stored_grant()
    # Someone revoked the authorization at X.
    basic = base64.b64encode(("%s:%s" % (CLIENT_ID, CLIENT_SECRET)).encode("ascii")).decode("ascii")
    req = urllib.request.Request(base_url + "/2/oauth2/revoke",
                                 data=urllib.parse.urlencode({"token": grant[2],
                                                              "token_type_hint": "refresh_token"}).encode("ascii"),
                                 headers={"Authorization": "Basic " + basic,
                                          "Content-Type": "application/x-www-form-urlencoded"})
    with OPENER.open(req, timeout=30) as resp:
        check(resp.status == 200, "revoked at X")
    rc, out, err = run(["token", APP, "alice"])
    check(rc == 1, "a refused refresh: exit 1", err)
    check("Authorize the account again" in err, "the sentence says what to do", err)
    check(out == "", "no token printed")
    check(accounts()["alice"]["state"] == "needs-reauthorization", "the account needs authorizing again")
    check(stored_grant()[2] == grant[2], "nothing was deleted")


def test_account_remove_removes_the_grant():
    before = grant_items()
    expect(["account", "remove", APP, "alice"], 0)
    check(grant_items() == before - 1, "the grant left the keyring")
    check("alice" not in accounts(), "and the account the records")


def test_no_secret_anywhere():
    secrets = set(get_json("/_fake/issued-secrets")["secrets"]) | {CLIENT_SECRET}
    secrets = {s for s in secrets if len(s) >= 8}
    check(len(secrets) > 5, "secrets were collected", len(secrets))
    for args, out, err in RUNS:
        for s in secrets:
            check(s not in err, "no secret on the stderr of %s" % args[:2])
            if args[0] not in ("token", "export", "sign"):
                check(s not in out, "no secret on the stdout of %s" % args[:2])
        check(CLIENT_SECRET not in " ".join(args), "no secret in argv")
    for root, dirs, files in os.walk(TMPDIR):
        if "keyrings" in os.path.relpath(root, TMPDIR).split(os.sep):
            continue
        for name in files:
            path = os.path.join(root, name)
            if name.startswith("browser-"):
                continue
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError:
                continue
            for s in secrets:
                check(s.encode("utf-8") not in data, "no secret in %s" % os.path.relpath(path, TMPDIR))


if __name__ == "__main__":
    sys.exit(bhtap.run(bhtap.tests_in(globals()), setup=setup, teardown=teardown))
