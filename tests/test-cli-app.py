#!/usr/bin/python3
# test-cli-app.py
#
# Copyright 2026 The Birdhouse authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""`birdhouse app add|edit|list` with OAuth 2.0 client credentials: a
Client ID, a Client Secret read from standard input after the API key
secret, a redirect URI. The built binary ($BH_BIRDHOUSE) with pipes and
the private keyring of bh-test-session.sh (either mode); the keyring is
read back with secret-tool, as a script would. Speaks TAP on stdout.
"""

import json
import os
import subprocess
import sys

import bhtap
from bhtap import check

BH = os.environ["BH_BIRDHOUSE"]
RECORDS = os.path.join(os.environ["XDG_DATA_HOME"], "birdhouse", "records.ini")

KEY = "fake-consumer-key-01234567890"
SECRET = "fake-consumer-secret-0123456789abcdefghijklmnopqrstu"
CLIENT_ID = "fake-client-id-M1M5R3BMVy13QmpScXkzTUt5OE46MTpjaQ"
CLIENT_SECRET = "fake-client-secret-9876543210zyxwvutsrqponmlkjihgf"
OTHER_CLIENT_SECRET = "fake-client-secret-other-abcdefghijklmnopqrstuvw"
DEFAULT_REDIRECT = "http://127.0.0.1:8477/callback"
SECRETS = (SECRET, CLIENT_SECRET, OTHER_CLIENT_SECRET)

# (argv, stdout, stderr) of every run, for the final scan.
RUNS = []


def run(args, stdin="", env=None):
    proc = subprocess.run([BH] + args, input=stdin.encode("utf-8"),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env or dict(os.environ), timeout=90)
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    RUNS.append((args, out, err))
    return proc.returncode, out, err


def expect(args, status, stdin=""):
    rc, out, err = run(args, stdin)
    check(rc == status, "%s: exit status %d, expected %d" % (" ".join(args), rc, status), "stderr: " + err)
    return out, err


def apps():
    out, _ = expect(["app", "list", "--json"], 0)
    return {a["name"]: a for a in json.loads(out)}


def lookup(**attributes):
    """The secret of the keyring item with ATTRIBUTES, or None."""
    args = ["secret-tool", "lookup"]
    for k, v in attributes.items():
        args += [k.replace("_", "-"), v]
    proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    return proc.stdout.decode("utf-8", "replace") if proc.returncode == 0 else None


def items(**attributes):
    args = ["secret-tool", "search", "--all", "--unlock"]
    for k, v in attributes.items():
        args += [k.replace("_", "-"), v]
    proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    # One "label = " line per item, on the Secret Service and the file
    # backend alike (which has no object path to print).
    return sum(1 for line in proc.stdout.decode("utf-8", "replace").splitlines() if line.startswith("label = "))


def records():
    with open(RECORDS) as f:
        return f.read()


def test_usage_errors():
    for args, what in (
            (["app", "add", "A"], "neither --consumer-key nor --client-id"),
            (["app", "add", "A", "--consumer-key", KEY, "--client-secret"], "--client-secret without --client-id"),
            (["app", "add", "A", "--client-id", CLIENT_ID, "--redirect-uri", "http://localhost:8477/callback"],
             "a redirect URI on localhost"),
            (["app", "add", "A", "--client-id", CLIENT_ID, "--redirect-uri", "https://127.0.0.1:8477/cb"],
             "a redirect URI over https"),
            (["app", "add", "A", "--client-id", CLIENT_ID, "--redirect-uri", "http://127.0.0.1/cb"],
             "a redirect URI without a port"),
            (["app", "add", "A", "--client-id", ""], "an empty Client ID"),
            (["app", "add", "A", "--client-id", CLIENT_ID, "--no-client-secret"], "--no-client-secret when adding"),
            (["app", "edit", "A"], "edit with nothing to change")):
        out, err = expect(args, 2, stdin=SECRET + "\n" + CLIENT_SECRET + "\n")
        check("--help" in err, what + ": points to --help", err)
    check(not os.path.exists(RECORDS) or "[App" not in records(), "nothing was added")
    check(items(kind="client-secret") == 0 and items(kind="app") == 0, "nothing reached the keyring")


def test_add_public_client():
    out, err = expect(["app", "add", "Native", "--client-id", CLIENT_ID], 0)
    check("Native" in out, "names the App", out)
    app = apps()["Native"]
    check(app["client_id"] == CLIENT_ID and app["consumer_key"] is None and app["has_secret"] is False
          and app["has_client_secret"] is False and app["redirect_uri"] == DEFAULT_REDIRECT,
          "a public client: a Client ID, the default redirect URI, no secret", app)
    check(items(kind="client-secret", app_name="Native") == 0, "no Client Secret item")
    out, err = expect(["app", "list"], 0)
    line = [l for l in out.splitlines() if l.startswith("Native\t")][0]
    check(line.startswith("Native\t-\t") and CLIENT_ID in line and DEFAULT_REDIRECT in line,
          "listed with no API key, its Client ID and redirect URI", line)
    out, err = expect(["account", "list", "Native"], 0)


def test_add_both_reads_secrets_in_order():
    expect(["app", "add", "Both", "--consumer-key", KEY, "--client-id", CLIENT_ID, "--client-secret",
            "--redirect-uri", "http://127.0.0.1:9000/cb"], 0, stdin=SECRET + "\n" + CLIENT_SECRET + "\n")
    check(lookup(kind="app", app_name="Both") == SECRET, "the first line is the API key secret")
    check(lookup(kind="client-secret", app_name="Both", client_id=CLIENT_ID) == CLIENT_SECRET,
          "the second line is the Client Secret, on an item of its own with the Client ID")
    app = apps()["Both"]
    check(app["consumer_key"] == KEY and app["client_id"] == CLIENT_ID and app["has_secret"]
          and app["has_client_secret"] and app["redirect_uri"] == "http://127.0.0.1:9000/cb",
          "both sets of credentials", app)
    text = records()
    check("client-id=" + CLIENT_ID in text and "redirect-uri=http://127.0.0.1:9000/cb" in text,
          "the records keep the Client ID and the redirect URI")


def test_add_input_ends_before_client_secret():
    rc, out, err = run(["app", "add", "Short", "--consumer-key", KEY, "--client-id", CLIENT_ID,
                        "--client-secret"], stdin=SECRET + "\n")
    check(rc == 1 and "Client Secret" in err and len(err.strip().splitlines()) == 1,
          "one sentence naming the missing Client Secret", err)
    check("Short" not in apps(), "the App was not added")
    check(items(app_name="Short") == 0, "and nothing of it is in the keyring")


def test_edit_adds_client_to_oauth1_app():
    expect(["app", "add", "Classic", "--consumer-key", KEY], 0, stdin=SECRET + "\n")
    expect(["app", "edit", "Classic", "--client-secret"], 2, stdin=CLIENT_SECRET + "\n")
    out, err = expect(["app", "edit", "Classic", "--client-id", CLIENT_ID, "--client-secret"], 0,
                      stdin=CLIENT_SECRET + "\n")
    check("Classic" in out, "says which App changed", out)
    app = apps()["Classic"]
    check(app["client_id"] == CLIENT_ID and app["has_client_secret"] and app["consumer_key"] == KEY
          and app["has_secret"], "the Client ID and Secret were added, the API key kept", app)
    check(lookup(kind="app", app_name="Classic") == SECRET, "the API key secret is untouched")
    check(lookup(kind="client-secret", app_name="Classic") == CLIENT_SECRET, "the Client Secret is stored")
    check(app.get("client_secret_created_at") is not None and app.get("client_secret_rotated_at") is None,
          "a Client Secret added later has an age from now on", app)
    expect(["app", "edit", "Classic", "--client-secret"], 0, stdin=OTHER_CLIENT_SECRET + "\n")
    check(lookup(kind="client-secret", app_name="Classic") == OTHER_CLIENT_SECRET
          and items(kind="client-secret", app_name="Classic") == 1,
          "a new Client Secret replaces the old one")
    expect(["app", "edit", "Classic", "--client-secret", "--no-client-secret"], 2, stdin=CLIENT_SECRET + "\n")
    check(lookup(kind="client-secret", app_name="Classic") == OTHER_CLIENT_SECRET, "a usage error changes nothing")
    expect(["app", "edit", "Classic", "--redirect-uri", "http://127.0.0.1:8123/done"], 0)
    check(apps()["Classic"]["redirect_uri"] == "http://127.0.0.1:8123/done", "the redirect URI changed")
    expect(["app", "edit", "Classic", "--redirect-uri", "http://localhost:8123/done"], 2)
    check(apps()["Classic"]["redirect_uri"] == "http://127.0.0.1:8123/done", "a bad one changes nothing")


def test_edit_makes_a_public_client():
    expect(["app", "add", "Turned", "--client-id", CLIENT_ID, "--client-secret"], 0, stdin=CLIENT_SECRET + "\n")
    check(items(kind="client-secret", app_name="Turned") == 1, "a confidential client first")
    expect(["app", "edit", "Turned", "--no-client-secret"], 0)
    app = apps()["Turned"]
    check(not app["has_client_secret"] and app["client_id"] == CLIENT_ID, "a public client now", app)
    check(items(kind="client-secret", app_name="Turned") == 0, "its Client Secret left the keyring")
    expect(["app", "remove", "Turned"], 0)


def test_edit_adds_api_key_to_client_app():
    expect(["app", "edit", "Native", "--consumer-key", KEY], 0, stdin=SECRET + "\n")
    app = apps()["Native"]
    check(app["consumer_key"] == KEY and app["has_secret"] and app["client_id"] == CLIENT_ID,
          "the API key was added beside the Client ID", app)
    check(lookup(kind="app", app_name="Native") == SECRET, "with its secret")
    check(app.get("secret_created_at") is not None, "an API key secret added later has an age", app)


def test_restored_from_keyring():
    os.rename(RECORDS, RECORDS + ".lost")
    listed = apps()
    check(sorted(listed) == ["Both", "Classic", "Native"], "every App came back from the keyring", sorted(listed))
    both = listed["Both"]
    check(both["client_id"] == CLIENT_ID and both["consumer_key"] == KEY and both["has_client_secret"],
          "with its API key, Client ID and Client Secret", both)
    check(both["redirect_uri"] == DEFAULT_REDIRECT, "a redirect URI is not in the keyring: the default", both)
    os.unlink(RECORDS + ".lost")


def test_remove_takes_client_secret():
    expect(["app", "remove", "Both"], 0)
    check(items(app_name="Both") == 0, "no item of the App is left, the Client Secret neither")
    check(items(kind="client-secret", app_name="Classic") == 1, "another App's Client Secret stays")


def test_debug_log_holds_no_secret():
    env = dict(os.environ, G_MESSAGES_DEBUG="all")
    proc = subprocess.run([BH, "app", "add", "Debug", "--consumer-key", KEY, "--client-id", CLIENT_ID,
                           "--client-secret"],
                          input=(SECRET + "\n" + CLIENT_SECRET + "\n").encode("utf-8"),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=90)
    text = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    check(proc.returncode == 0, "added with the debug log on", text[-2000:])
    check(not any(s in text for s in SECRETS), "no secret in the debug log")


def test_no_secret_leaked():
    for args, out, err in RUNS:
        for s in SECRETS:
            check(s not in " ".join(args), "no secret in argv", args)
            check(s not in out and s not in err, "no secret in the output of %s" % " ".join(args))
    text = records()
    check(not any(s in text for s in SECRETS), "no secret in the records file")


if __name__ == "__main__":
    sys.exit(bhtap.run(bhtap.tests_in(globals())))
