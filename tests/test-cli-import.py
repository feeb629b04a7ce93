#!/usr/bin/python3
# test-cli-import.py
#
# Copyright 2026 The Birdhouse authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""`birdhouse import twurl|xurl FILE` against the fake X server, with files
written the way each tool writes them: twurl's ~/.twurlrc as Ruby's
Psych emits it (two-space indents, sequences at the key's indent,
single-quoted odd strings) and xurl's ~/.xurl as Go's yaml.v3 does (four
spaces, double quotes), and xurl's older JSON. Several profiles, OAuth
1.0a and OAuth 2.0 entries, bearer tokens, defaults, secrets with quotes,
colons and non-ASCII; refused credentials; damaged files (the error names
the line, nothing is stored); the removal of the plaintext. Speaks TAP.
"""

import base64
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

import bhcli
import bhtap
from bhtap import check

BH = os.environ["BH_BIRDHOUSE"]
TMPDIR = os.environ.get("BH_TEST_TMPDIR") or tempfile.mkdtemp()
WORK = tempfile.mkdtemp(prefix="import-", dir=TMPDIR)

# Three Apps at the fake server; A's secret has what YAML must quote.
KEY_A = "aaaa1111-twurl-key-0001"
SECRET_A = "s3cr'et\":ünï—✓#x"
KEY_B = "bbbb2222-twurl-key-0002"
SECRET_B = "plain-secret-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
KEY_C = "cccc3333-xurl-key-0003"
SECRET_C = "c:'quoted'\"double\"\\back:"
KEY_D = "dddd4444-xurl-key-0004"
SECRET_D = "legacy-secret-dddddddddddddddddddddddd"

# The fake server's confidential OAuth 2.0 client (tests/bh-fake-server.h)
# for xurl's App "bot", and a public one for its App "other".
CLIENT_ID = "ZmFrZS1vYXV0aDItY2xpZW50LTAxMjM0NTY6MTpjaQ"
CLIENT_SECRET = "fake-oauth2-secret_0123456789-abcdefghijklmnopqrst"
PUBLIC_CLIENT_ID = "xurl-public-client-id-0002"

server = None
base_url = None
SECRETS = set()
TOKENS = {}
RUNS = []


def run(args, env=None, stdin=b""):
    proc = subprocess.run([BH] + args, input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env, timeout=120)
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    RUNS.append((args, out, err))
    return proc.returncode, out, err


def apps():
    rc, out, err = run(["app", "list", "--json"])
    check(rc == 0, "app list", err)
    return json.loads(out)


def bearer_for(key, secret):
    basic = base64.b64encode(("%s:%s" % (urllib.parse.quote(key, safe=""),
                                         urllib.parse.quote(secret, safe=""))).encode()).decode()
    req = urllib.request.Request(base_url + "/oauth2/token", data=b"grant_type=client_credentials",
                                 headers={"Authorization": "Basic " + basic,
                                          "Content-Type": "application/x-www-form-urlencoded"})
    with bhcli.OPENER.open(req, timeout=30) as resp:
        return json.loads(resp.read().decode())["access_token"]


def setup():
    global server, base_url
    server, base_url = bhcli.start_fake_server(os.environ["BH_FAKE_X_SERVER"])
    for key, secret in ((KEY_A, SECRET_A), (KEY_B, SECRET_B), (KEY_C, SECRET_C), (KEY_D, SECRET_D)):
        bhcli.control(base_url, "/_fake/apps", consumer_key=key, consumer_secret=secret)
        SECRETS.add(secret)
    for name, key, secret in (("alice", KEY_A, SECRET_A), ("bob", KEY_A, SECRET_A),
                              ("carol", KEY_B, SECRET_B), ("alice-c", KEY_C, SECRET_C),
                              ("bob-d", KEY_D, SECRET_D)):
        TOKENS[name] = bhcli.fetch_tokens(base_url, key, secret, name.split("-")[0])
        SECRETS.update(TOKENS[name])
    TOKENS["bearer-a"] = bearer_for(KEY_A, SECRET_A)
    TOKENS["bearer-c"] = bearer_for(KEY_C, SECRET_C)
    SECRETS.update((TOKENS["bearer-a"], TOKENS["bearer-c"]))
    SECRETS.update(("1004-refusedtokenrefusedtokenrefusedtoken", "refused-secret:'x'", CLIENT_SECRET))
    TOKENS["oauth2"] = oauth2_grant_for_alice()
    SECRETS.update(TOKENS["oauth2"])


def oauth2_grant_for_alice():
    """An OAuth 2.0 access and refresh token of alice for CLIENT_ID, as
    xurl would have them: authorized with birdhouse itself (the fake
    browser plays the user), read from the keyring, then forgotten by
    birdhouse (nothing is revoked at X)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        redirect_uri = "http://127.0.0.1:%d/callback" % sock.getsockname()[1]
    bhcli.control(base_url, "/_fake/oauth2-client", client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                  redirect_uri=redirect_uri)
    rc, out, err = run(["app", "add", "Seed", "--client-id", CLIENT_ID, "--client-secret",
                        "--redirect-uri", redirect_uri, "--api-host", base_url],
                       stdin=(CLIENT_SECRET + "\n").encode())
    check(rc == 0, "an App for the OAuth 2.0 client", err)
    rc, out, err = run(["authorize", "Seed", "--oauth2"])
    check(rc == 0, "alice authorized with OAuth 2.0", err)
    proc = subprocess.run(["secret-tool", "lookup", "kind", "oauth2-grant", "app-name", "Seed",
                           "screen-name", "alice"], stdout=subprocess.PIPE, timeout=30)
    lines = proc.stdout.decode("utf-8").split("\n")
    check(lines[0] == "birdhouse-oauth2-grant-1", "the grant is in the keyring")
    rc, out, err = run(["app", "remove", "Seed"])
    check(rc == 0, "Birdhouse forgets it again", err)
    return lines[1], lines[2]


def teardown():
    bhcli.stop_fake_server(server)


# ---- files as the tools write them -----------------------------------------

def psych(value):
    """A string as Ruby's Psych writes it: plain when it can, else in
    single quotes with '' for '."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.%/-]*", value):
        return value
    return "'" + value.replace("'", "''") + "'"


def yaml_v3(value):
    """A string as Go's yaml.v3 writes it: plain when it can, else in
    double quotes with escapes."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.%/-]*", value):
        return value
    return json.dumps(value, ensure_ascii=False)


def twurl_profile(user, key, secret, token, token_secret):
    return ("  %s:\n    %s:\n      username: %s\n      consumer_key: %s\n"
            "      consumer_secret: %s\n      token: %s\n      secret: %s\n"
            % (user, key, user, key, psych(secret), psych(token), psych(token_secret)))


def twurlrc(extra_profile="", refused=True):
    text = "---\nprofiles:\n"
    text += twurl_profile("alice", KEY_A, SECRET_A, *TOKENS["alice"])
    text += "    %s:\n      username: alice\n      consumer_key: %s\n      consumer_secret: %s\n" \
            "      token: %s\n      secret: %s\n" % (KEY_B, KEY_B, psych(SECRET_B), *TOKENS["carol"])
    text += twurl_profile("bob", KEY_A, SECRET_A, *TOKENS["bob"])
    if refused:
        text += twurl_profile("dave", KEY_A, SECRET_A, "1004-refusedtokenrefusedtokenrefusedtoken",
                              "refused-secret:'x'")
    text += extra_profile
    text += ("configuration:\n  default_profile:\n  - alice\n  - %s\n"
             "bearer_tokens:\n  %s: %s\n"
             "aliases:\n  h: /1.1/statuses/home_timeline.json\n" % (KEY_A, KEY_A, TOKENS["bearer-a"]))
    return text


def xurl_file():
    token, token_secret = TOKENS["alice-c"]
    return (
        "apps:\n"
        "    bot:\n"
        "        client_id: %s\n"
        "        client_secret: %s\n"
        "        default_user: alice\n"
        "        oauth2_tokens:\n"
        "            alice:\n"
        "                type: oauth2\n"
        "                oauth2:\n"
        "                    access_token: %s\n"
        "                    refresh_token: %s\n"
        "                    expiration_time: 1700000000\n"
        "        oauth1_token:\n"
        "            type: oauth1\n"
        "            oauth1:\n"
        "                access_token: %s\n"
        "                token_secret: %s\n"
        "                consumer_key: %s\n"
        "                consumer_secret: %s\n"
        "        bearer_token:\n"
        "            type: bearer\n"
        "            bearer: %s\n"
        "    other:\n"
        "        client_id: %s\n"
        "        client_secret: \"\"\n"
        "default_app: bot\n"
        % (CLIENT_ID, yaml_v3(CLIENT_SECRET), yaml_v3(TOKENS["oauth2"][0]), yaml_v3(TOKENS["oauth2"][1]),
           yaml_v3(token), yaml_v3(token_secret), KEY_C, yaml_v3(SECRET_C), yaml_v3(TOKENS["bearer-c"]),
           PUBLIC_CLIENT_ID))


def write(name, text):
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, 0o600)
    return path


def lines_about(out, pattern):
    return [l for l in out.splitlines() if re.search(pattern, l)]


# ---- damaged files: nothing stored -------------------------------------------

def expect_damaged(source, text, line, words):
    path = write("damaged", text)
    rc, out, err = run(["import", source, path, "--api-host", base_url])
    check(rc == 1, "a damaged file fails", rc, err)
    check(err.startswith("birdhouse: ") and err.count("\n") == 1, "one error line", err)
    check(("Line %d:" % line) in err, "the error names line %d" % line, err)
    for w in words:
        check(w in err, "the error says %r" % w, err)
    check(apps() == [], "nothing was stored")
    check(os.path.exists(path), "the file is left alone")


def test_damaged_yaml():
    text = twurlrc()
    at = text.index("      consumer_key: %s" % KEY_B)
    broken = text[:at] + text[at + 1:]
    line = text[:at].count("\n") + 1
    expect_damaged("twurl", broken, line, ["YAML"])


def test_unexpected_field():
    text = twurlrc(extra_profile="  erin:\n    %s:\n      username: erin\n      consumer_key: %s\n"
                   "      consumer_secret: %s\n      password: hunter2\n" % (KEY_A, KEY_A, psych(SECRET_A)))
    line = text[:text.index("      password:")].count("\n") + 1
    expect_damaged("twurl", text, line, ["password"])


def test_names_from_the_file_are_quoted_safely():
    """A YAML key may hold any character through its escapes: the error
    that quotes it shows neither a terminal escape nor a bidi override,
    and cuts a name longer than a sentence needs."""
    text = twurlrc(extra_profile="  erin:\n    %s:\n      username: erin\n      consumer_key: %s\n"
                   "      consumer_secret: %s\n      \"\\e[2J\\u202Ewrong\\tfield%s\": x\n"
                   % (KEY_A, KEY_A, psych(SECRET_A), "z" * 200))
    line = text[:text.index("\\e[2J")].count("\n") + 1
    expect_damaged("twurl", text, line, ["“[2Jwrong field", "…” under “%s”" % KEY_A])
    rc, out, err = run(["import", "twurl", os.path.join(WORK, "damaged"), "--api-host", base_url])
    check("\x1b" not in err and "\u202e" not in err and "\t" not in err, "no control reaches the terminal", repr(err))
    check("z" * 60 not in err, "a long name is cut", err)


def test_not_the_tools_format():
    expect_damaged("twurl", xurl_file(), 1, ["not a twurl file", "“profiles”"])
    expect_damaged("xurl", twurlrc(), 2, ["apps"])
    expect_damaged("xurl", "just: [a, list\n", 2, ["YAML"])


def test_missing_file():
    rc, out, err = run(["import", "twurl", os.path.join(WORK, "no-such-file")])
    check(rc == 1 and "no-such-file" in err, "a missing file is one clear line", err)
    check(apps() == [], "nothing was stored")


# ---- twurl ------------------------------------------------------------------------

def test_twurl_import():
    path = write("twurlrc", twurlrc())
    rc, out, err = run(["import", "twurl", path, "--api-host", base_url])
    check(rc == 1, "exit 1: X refused one credential", rc, err)
    check(len(lines_about(out, r"App with API key %s: Imported into “twurl aaaa1111”\.$" % KEY_A)) == 1,
          "App A imported", out)
    check(len(lines_about(out, r"App with API key %s: Imported into “twurl bbbb2222”\.$" % KEY_B)) == 1,
          "App B imported", out)
    for name in ("alice", "bob", "carol"):
        check(len(lines_about(out, r"Account @%s: Imported into “twurl" % name)) == 1, "@%s imported" % name, out)
    check(len(lines_about(out, r"Account @dave: Rejected by X, not imported\. The access token is invalid")) == 1, "@dave refused", out)
    check(len(lines_about(out, r"Bearer token of “%s”: Imported into “twurl aaaa1111”\.$" % KEY_A)) == 1, "bearer imported", out)
    check(len(lines_about(out, r"Default: @alice with “%s”: Noted only" % KEY_A)) == 1, "default noted", out)
    names = sorted(a["name"] for a in apps())
    check(names == ["twurl aaaa1111", "twurl bbbb2222"], "two Apps", names)

    rc, out, err = run(["export", "twurl aaaa1111", "bob", "--format", "json"])
    values = json.loads(out)
    check(values["X_API_KEY"] == KEY_A and values["X_API_SECRET"] == SECRET_A
          and values["X_ACCESS_TOKEN"] == TOKENS["bob"][0]
          and values["X_ACCESS_TOKEN_SECRET"] == TOKENS["bob"][1]
          and values["X_BEARER_TOKEN"] == TOKENS["bearer-a"], "the keyring holds the file's values")
    rc, out, err = run(["export", "twurl bbbb2222", "carol", "--format", "json"])
    check(json.loads(out)["X_ACCESS_TOKEN_SECRET"] == TOKENS["carol"][1], "carol's tokens")


def test_twurl_again_is_present_and_file_kept():
    path = os.path.join(WORK, "twurlrc")
    rc, out, err = run(["import", "twurl", path, "--api-host", base_url, "--remove-plaintext"])
    check(rc == 1, "exit 1", rc)
    check(len(lines_about(out, r": Already in Birdhouse, in “twurl")) == 6, "App, App, 3 accounts, bearer present", out)
    check("The file was kept" in err, "removal refused while @dave is not stored", err)
    check(os.path.exists(path), "the file is still there")


def test_twurl_keep_rejected_and_remove():
    path = os.path.join(WORK, "twurlrc")
    size = os.path.getsize(path)
    link = os.path.join(WORK, "twurlrc-hardlink")
    os.link(path, link)
    before = sorted(os.listdir(WORK))
    rc, out, err = run(["import", "twurl", path, "--api-host", base_url,
                        "--keep-rejected", "--remove-plaintext"])
    check(rc == 0, "exit 0", rc, err)
    check(len(lines_about(out, r"Account @dave: Rejected by X, imported into “twurl aaaa1111” anyway, as asked\.")) == 1,
          "@dave kept as asked", out)
    check("Overwrote and removed" in out, "says the file is gone", out)
    check(not os.path.exists(path), "the file is gone")
    check(sorted(os.listdir(WORK)) == sorted(set(before) - {"twurlrc"}), "no copy, no temporary file",
          sorted(os.listdir(WORK)))
    with open(link, "rb") as f:
        data = f.read()
    check(len(data) == size and data == b"\0" * size, "its contents were overwritten in place")
    os.unlink(link)
    rc, out, err = run(["account", "list", "twurl aaaa1111", "--json"])
    dave = [a for a in json.loads(out) if a.get("screen_name") == "dave"]
    check(len(dave) == 1, "@dave is stored", out)
    check(dave[0]["state"] == "needs-reauthorization", "and marked as refused by X", dave[0]["state"])


# ---- xurl ---------------------------------------------------------------------------

def test_xurl_import():
    path = write("xurl", xurl_file())
    rc, out, err = run(["import", "xurl", path, "--api-host", base_url, "--remove-plaintext"])
    check(rc == 0, "exit 0: everything imported", rc, err)
    check(len(lines_about(out, r"App with API key %s: Imported into “bot”\.$" % KEY_C)) == 1, "App C imported as bot", out)
    check(len(lines_about(out, r"Account @alice: Imported into “bot”\.$")) == 1, "the OAuth 1.0a token imported", out)
    check(len(lines_about(out, r"Bearer token of “bot”: Imported into “bot”\.$")) == 1, "bearer imported", out)
    check(len(lines_about(out, r"OAuth 2\.0 Client ID of “bot”: Imported into “bot”\.$")) == 1,
          "the confidential client joins the App bot", out)
    check(len(lines_about(out, r"OAuth 2\.0 tokens of @alice: Imported into “bot”\. X renewed its tokens")) == 1,
          "the expired OAuth 2.0 tokens are refreshed and imported", out)
    check(len(lines_about(out, r"OAuth 2\.0 Client ID of “other”: Imported into “other”\.$")) == 1,
          "the public client makes an App of its own", out)
    check(len(lines_about(out, r"Default: @alice with “bot”: Noted only")) == 1, "default user", out)
    check(len(lines_about(out, r"Default App: “bot”: Noted only")) == 1, "default App", out)
    check("Overwrote and removed" in out and not os.path.exists(path), "everything is in the keyring: file removed")
    rc, out, err = run(["export", "bot", "alice", "--format", "json"])
    values = json.loads(out)
    check(values["X_API_SECRET"] == SECRET_C and values["X_ACCESS_TOKEN"] == TOKENS["alice-c"][0]
          and values["X_BEARER_TOKEN"] == TOKENS["bearer-c"] and values["X_CLIENT_ID"] == CLIENT_ID
          and values["X_CLIENT_SECRET"] == CLIENT_SECRET, "the keyring holds xurl's values")
    SECRETS.add(values["X_OAUTH2_ACCESS_TOKEN"])
    req = urllib.request.Request(base_url + "/2/users/me",
                                 headers={"Authorization": "Bearer " + values["X_OAUTH2_ACCESS_TOKEN"]})
    with bhcli.OPENER.open(req, timeout=30) as resp:
        check(json.loads(resp.read().decode())["data"]["username"] == "alice", "the imported grant works at X")


def test_xurl_legacy_json():
    token, token_secret = TOKENS["bob-d"]
    legacy = {"oauth2_tokens": {}, "oauth1_tokens": {"type": "oauth1", "oauth1": {
        "access_token": token, "token_secret": token_secret,
        "consumer_key": KEY_D, "consumer_secret": SECRET_D}}, "file_path": "/home/x/.xurl"}
    path = write("xurl-legacy", json.dumps(legacy, indent=2))
    rc, out, err = run(["import", "xurl", path, "--api-host", base_url, "--remove-plaintext"])
    check(rc == 0, "exit 0", rc, err)
    check(len(lines_about(out, r"Account @bob: Imported into “default”\.$")) == 1, "imported as App default", out)
    check(not os.path.exists(path), "removed: everything is in the keyring")


def test_no_secret_in_output_or_debug_log():
    path = write("twurlrc-2", twurlrc(refused=False))
    env = dict(os.environ, G_MESSAGES_DEBUG="all")
    rc, out, err = run(["import", "twurl", path, "--api-host", base_url], env=env)
    check(rc == 0, "exit 0", rc)
    for args, out, err in RUNS:
        if args[0] == "export":
            continue
        for s in SECRETS:
            check(s not in out and s not in err, "no secret in the output of %s" % args[:2])


if __name__ == "__main__":
    sys.exit(bhtap.run(bhtap.tests_in(globals()), setup=setup, teardown=teardown))
