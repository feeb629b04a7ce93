#!/usr/bin/python3
# test-cli-oauth2-health.py
#
# Copyright 2026 The Birdhouse authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keeping OAuth 2.0 credentials healthy from the command line: `birdhouse
check` of an account's grant (2/users/me, after a refresh when due) and of
an App's Client Secret; `birdhouse rotate client-secret`. The built
binary, the private keyring of bh-test-session.sh (either mode), the fake
X server. Drives OAuth 2.0 with the helpers of test-cli-oauth2.py (loaded,
not copied). Speaks TAP on stdout.
"""

import base64
import importlib.util
import json
import os
import sys
import urllib.parse
import urllib.request

import bhtap
from bhtap import check

_spec = importlib.util.spec_from_file_location(
    "cli_oauth2", os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-cli-oauth2.py"))
o2 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(o2)

APP = o2.APP
USERS_ME = "/2/users/me"
NEW_SECRET = "fake-oauth2-secret_rotated-9876543210-zyxwvutsrqponm"


def check_json(status):
    out, err = o2.expect(["check", "--json"], status)
    report = json.loads(out)
    check(report["healthy"] == (status == 0), "healthy says the exit status", out)
    return report


def find(report, kind, screen_name=None):
    for c in report["credentials"]:
        if c["kind"] == kind and c["app"] == APP and c["screen_name"] == screen_name:
            return c
    return None


def fault(path, kind):
    o2.control("/_fake/fault", {"path": path, "kind": kind, "count": "0"})


def revoke_at_x(token, hint, secret=o2.CLIENT_SECRET):
    basic = base64.b64encode(("%s:%s" % (o2.CLIENT_ID, secret)).encode("ascii")).decode("ascii")
    req = urllib.request.Request(o2.base_url + "/2/oauth2/revoke",
                                 data=urllib.parse.urlencode({"token": token,
                                                              "token_type_hint": hint}).encode("ascii"),
                                 headers={"Authorization": "Basic " + basic,
                                          "Content-Type": "application/x-www-form-urlencoded"})
    with o2.OPENER.open(req, timeout=30) as resp:
        check(resp.status == 200, "revoked at X behind Birdhouse's back")


def set_client_secret(secret):
    """The Client Secret X knows for the App (as regenerating it in the
    developer portal does)."""
    o2.control("/_fake/oauth2-client", {"client_id": o2.CLIENT_ID, "client_secret": secret,
                                        "redirect_uri": o2.redirect_uri})


def setup():
    o2.setup()


def teardown():
    o2.teardown()


# ---- the tests ---------------------------------------------------------------

def test_healthy_grant_and_client():
    o2.test_app_add()
    rc, out, err, url = o2.authorize([], {})
    check(rc == 0, "alice authorized with OAuth 2.0", err)
    report = check_json(0)
    grant = find(report, "oauth2-grant", "alice")
    check(grant is not None and grant["state"] == "healthy", "the grant is healthy", report)
    client = find(report, "client-secret")
    check(client is not None and client["state"] == "healthy", "the Client Secret is healthy", report)
    check(find(report, "account", "alice") is None, "no OAuth 1.0a check of an account without its tokens",
          report)
    check(find(report, "app-keys") is None, "no API key check of an App without API key", report)
    alice = o2.accounts()["alice"]
    check(alice["authorized_at"] is not None and alice["due_for_rotation"] is False,
          "the grant's age is kept", alice)
    app = app_json()
    check(app["client_secret_created_at"] is not None and app["client_secret_rotated_at"] is None,
          "the Client Secret's age too", app)


def test_grant_unreachable():
    fault(USERS_ME, "drop")
    report = check_json(1)
    check(find(report, "oauth2-grant", "alice")["state"] == "unreachable", "X unreachable", report)
    fault(USERS_ME, "none")
    alice = o2.accounts()["alice"]
    check(alice["state"] != "needs-reauthorization", "never said revoked", alice)
    check(o2.grant_items() == 1, "nothing deleted")


def test_grant_refused():
    grant = o2.stored_grant()
    revoke_at_x(grant[2], "refresh_token")
    revoke_at_x(grant[1], "access_token")
    out, err = o2.expect(["check"], 1)
    check("@alice" in out and "re-authorization" in out, "one line names the account and its state", out)
    report = check_json(1)
    check(find(report, "oauth2-grant", "alice")["state"] == "needs-reauth", "the grant needs re-authorization",
          report)
    check(o2.accounts()["alice"]["state"] == "needs-reauthorization", "the account is marked")
    check(o2.stored_grant()[2] == grant[2], "nothing deleted")


def test_client_secret_wrong():
    set_client_secret(NEW_SECRET)
    report = check_json(1)
    check(find(report, "client-secret")["state"] == "keys-rejected", "X refused the Client Secret", report)
    out, err = o2.expect(["check"], 1)
    check("Client ID and Client Secret" in out, "the line names the Client Secret", out)


def test_grant_counted_per_user():
    """The fake server counts 2/users/me per user with OAuth 2.0 as X
    does: a window spent down to the reserve is kept for scripts."""
    set_client_secret(o2.CLIENT_SECRET)
    rc, out, err, url = o2.authorize([], {})
    check(rc == 0, "alice authorized again", err)
    o2.control("/_fake/rate-limits", {"screen_name": "alice", "remaining": "3"})
    report = check_json(0)
    check(find(report, "oauth2-grant", "alice")["state"] == "healthy", "asked once more", report)
    report = check_json(0)
    check(find(report, "oauth2-grant", "alice")["state"] == "rate-limited",
          "then left alone until the reset", report)
    check(o2.get_json("/_fake/rate-state")["rate_limited_responses"] == 0, "never a 429")
    o2.control("/_fake/rate-limits", {"screen_name": "alice", "remaining": "75"})


def client_secret_at_birdhouse():
    out, err = o2.expect(["export", APP, "--format", "json"], 0)
    return json.loads(out).get("X_CLIENT_SECRET")


def app_json():
    out, err = o2.expect(["app", "list", "--json"], 0)
    return [a for a in json.loads(out) if a["name"] == APP][0]


def test_rotate_client_secret_wrong():
    set_client_secret(NEW_SECRET)
    rc, out, err = o2.run(["rotate", "client-secret", APP], stdin="not-the-regenerated-secret-0123456789\n")
    check(rc == 1, "X refused the new secret: exit 1", err)
    check("old one is kept" in err, "the sentence says the old one is kept", err)
    check(client_secret_at_birdhouse() == o2.CLIENT_SECRET, "the stored secret is the old one")
    check(app_json()["client_secret_rotated_at"] is None, "no rotation recorded", app_json())


def test_rotate_client_secret_right():
    rc, out, err = o2.run(["rotate", "client-secret", APP], stdin=NEW_SECRET + "\n")
    check(rc == 0, "the regenerated secret is taken", err)
    check(client_secret_at_birdhouse() == NEW_SECRET, "and stored in place of the old one")
    app = app_json()
    check(app["client_secret_rotated_at"] is not None and app["client_secret_created_at"] is not None,
          "its creation and rotation are recorded", app)
    report = check_json(0)
    check(find(report, "client-secret")["state"] == "healthy", "the check finds it healthy", report)


def test_rotate_grant():
    old = o2.stored_grant()
    before = o2.oauth2_state()["revoke_calls"]
    rc, out, err = o2.run(["rotate", "account", APP, "alice", "--oauth2", "--yes"])
    check(rc == 0, "rotate account --oauth2 exits 0", err)
    check(o2.oauth2_state()["revoke_calls"] == before + 2, "the refresh and access tokens were revoked at X")
    check(o2.users_me(old[1])[0] == 401, "the old access token no longer works")
    new = o2.stored_grant()
    check(new[1] != old[1] and new[2] != old[2], "a new grant in the keyring")
    check(o2.users_me(new[1]) == (200, "alice"), "the new access token works")
    check(o2.grant_items() == 1, "one grant, in place of the old one")
    alice = o2.accounts()["alice"]
    check(alice["state"] == "ok" and alice["rotated_at"] is not None, "the account works, its rotation recorded",
          alice)


def test_rotate_grant_needs_yes():
    rc, out, err = o2.run(["rotate", "account", APP, "alice", "--oauth2"])
    check(rc == 2 and "--yes" in err, "without a terminal and without --yes: a usage error", err)
    check(o2.users_me(o2.stored_grant()[1])[0] == 200, "nothing was revoked")


def test_rotate_grant_other_user():
    old = o2.stored_grant()
    rc, out, err = o2.run(["rotate", "account", APP, "alice", "--oauth2", "--yes"],
                          env=o2.child_env({"BH_FAKE_BROWSER_USER": "bob"}))
    check(rc == 1 and "@bob" in err, "signed in as somebody else: exit 1 and a sentence", err)
    check("bob" not in o2.accounts(), "bob was not added")
    check(o2.stored_grant()[2] == old[2], "alice's grant was not replaced")
    check(o2.accounts()["alice"]["state"] == "needs-reauthorization", "alice needs re-authorization")


def test_rotate_grant_cancelled():
    old = o2.stored_grant()
    rc, out, err = o2.run(["rotate", "account", APP, "alice", "--oauth2", "--yes"],
                          env=o2.child_env({"BH_FAKE_BROWSER_ACTION": "cancel"}))
    check(rc == 1 and "needs re-authorization" in err, "cancelled: exit 1, and what it means", err)
    check(o2.accounts()["alice"]["state"] == "needs-reauthorization", "the account stays, marked")
    check(o2.grant_items() == 1 and o2.stored_grant()[2] == old[2], "nothing deleted")
    rc, out, err = o2.run(["rotate", "account", APP, "alice", "--oauth2", "--yes"])
    check(rc == 0, "running it again finishes the rotation", err)
    check(o2.accounts()["alice"]["state"] == "ok", "the account works again")


def test_no_secret_anywhere():
    o2.test_no_secret_anywhere()
    for args, out, err in o2.RUNS:
        check(NEW_SECRET not in err, "no new Client Secret on the stderr of %s" % args[:2])
        if args[0] != "export":
            check(NEW_SECRET not in out, "no new Client Secret on the stdout of %s" % args[:2])
        check(NEW_SECRET not in " ".join(args), "no secret in argv")


if __name__ == "__main__":
    sys.exit(bhtap.run(bhtap.tests_in(globals()), setup=setup, teardown=teardown))
