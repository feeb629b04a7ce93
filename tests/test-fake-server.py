#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Self-test of tests/fake-x-server.py and tests/fake-browser.py (TAP).

The client side is oauthlib.oauth1.Client and, for OAuth 2.0,
oauthlib.oauth2.WebApplicationClient with a loopback listener of the
test's own (the reference implementations), never Birdhouse's C code: this
proves the fake server is independent and strict before the C tests rely
on it.
"""

import base64
import email.utils
import http.client
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from oauthlib.oauth1 import Client
from oauthlib.oauth2 import WebApplicationClient

import bhtap
from bhtap import check

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "fake-x-server.py")
BROWSER = os.path.join(HERE, "fake-browser.py")

KEY = "fake-consumer-key-01234567890"
SECRET = "fake-consumer-secret-0123456789abcdefghijklmnopqrstu"

spec = importlib.util.spec_from_file_location("fake_browser", BROWSER)
fake_browser = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fake_browser)

# oauthlib's OAuth 2.0 client insists on https; the fake server is loopback.
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"

TESTS = []
SEEN_SECRETS = set()    # every token / secret value seen: must not be logged
PORT = None
PROC = None
TMP = tempfile.mkdtemp(prefix="bh-fake-server-test-")
ERRLOG = os.path.join(TMP, "server.stderr")


def test(name):
    def deco(fn):
        TESTS.append((name, fn))
        return fn
    return deco


def secret(*values):
    for v in values:
        if v:
            SEEN_SECRETS.add(v)
    return values[0] if len(values) == 1 else values


# --------------------------------------------------------------------------
# HTTP helpers
# --------------------------------------------------------------------------

class Resp:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.raw = body
        self.text = body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.text)

    def form(self):
        return dict(urllib.parse.parse_qsl(self.text, keep_blank_values=True))

    def code(self):
        try:
            return self.json()["errors"][0]["code"]
        except Exception:
            return None

    def __repr__(self):
        return "<%d %s>" % (self.status, self.text[:120])


def request(method, path, headers=None, body=None, timeout=10):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    try:
        if isinstance(body, str):
            body = body.encode("utf-8")
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        return Resp(r.status, {k.lower(): v for k, v in r.getheaders()},
                    data)
    finally:
        c.close()


def control(cpath, **params):
    path = cpath
    method = "GET" if path in ("/_fake/state", "/_fake/verifier",
                               "/_fake/issued-secrets",
                               "/_fake/oauth2-state",
                               "/_fake/rate-state") else "POST"
    body = urllib.parse.urlencode(params)
    if method == "GET":
        r = request("GET", path + ("?" + body if body else ""))
    else:
        r = request("POST", path, {"Content-Type":
                                   "application/x-www-form-urlencoded"}, body)
    return r


def base():
    return "http://127.0.0.1:%d" % PORT


def signed(method, path, key=KEY, key_secret=SECRET, token=None,
           token_secret=None, body=None, **kw):
    """Sign with oauthlib's Client and send. body: list of pairs."""
    client = Client(key, client_secret=key_secret, resource_owner_key=token,
                    resource_owner_secret=token_secret, **kw)
    headers = {}
    data = None
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        data = urllib.parse.urlencode(body)
    uri, h, b = client.sign(base() + path, method, data, headers)
    return request(method, uri[len(base()):], h, b)


def sign_only(method, path, key=KEY, key_secret=SECRET, token=None,
              token_secret=None, **kw):
    client = Client(key, client_secret=key_secret, resource_owner_key=token,
                    resource_owner_secret=token_secret, **kw)
    uri, h, b = client.sign(base() + path, method, None, {})
    return uri[len(base()):], h


def request_token(key=KEY, key_secret=SECRET, body=None, **kw):
    kw.setdefault("callback_uri", "oob")
    r = signed("POST", "/oauth/request_token", key, key_secret, body=body,
               **kw)
    if r.status == 200:
        f = r.form()
        secret(f.get("oauth_token"), f.get("oauth_token_secret"))
    return r


def access_token(rt, rts, verifier, key=KEY, key_secret=SECRET):
    r = signed("POST", "/oauth/access_token", key, key_secret, rt, rts,
               verifier=verifier)
    if r.status == 200:
        f = r.form()
        secret(f.get("oauth_token"), f.get("oauth_token_secret"))
    return r


def pin_flow(user=None, body=None, key=KEY, key_secret=SECRET):
    r = request_token(key, key_secret, body=body)
    check(r.status == 200, "request_token %r" % r)
    f = r.form()
    pin = fake_browser.submit(base() + "/oauth/authorize?oauth_token="
                              + f["oauth_token"], "authorize", user)
    r = access_token(f["oauth_token"], f["oauth_token_secret"], pin, key,
                     key_secret)
    check(r.status == 200, "access_token %r" % r)
    return r.form()


def verify(tok, path="/1.1/account/verify_credentials.json", key=KEY,
           key_secret=SECRET):
    return signed("GET", path, key, key_secret, tok["oauth_token"],
                  tok["oauth_token_secret"])


# --------------------------------------------------------------------------
# tests
# --------------------------------------------------------------------------

CTX = {}


@test("server prints PORT=<n> first and answers with a Date header")
def t_start():
    r = request("GET", "/1.1/nothing-here.json")
    check(r.status == 404 and r.code() == 34, repr(r))
    d = email.utils.parsedate_to_datetime(r.headers["date"]).timestamp()
    check(abs(d - time.time()) < 5, "Date header")
    check(r.headers["content-type"] == "application/json; charset=utf-8")


@test("request_token: oob gives token, form content type as X")
def t_request_token():
    r = request_token()
    check(r.status == 200, repr(r))
    check(r.headers["content-type"] == "text/html; charset=utf-8")
    f = r.form()
    check(f.get("oauth_callback_confirmed") == "true", repr(r))
    check(f.get("oauth_token") and f.get("oauth_token_secret"), repr(r))
    CTX["rt"] = f


@test("request_token: callback other than oob -> 403 code 417")
def t_request_token_callback():
    r = request_token(callback_uri="http://127.0.0.1/cb")
    check(r.status == 403 and r.code() == 417, repr(r))


@test("authorize page: form, prefilled alice, force_login, invalid token")
def t_authorize_page():
    t = CTX["rt"]["oauth_token"]
    r = request("GET", "/oauth/authorize?oauth_token=" + t)
    check(r.status == 200, repr(r))
    check('<form method="post" action="/oauth/authorize"' in r.text)
    check('name="username" id="username_or_email" value="alice"' in r.text)
    check('value="Authorize app"' in r.text and 'value="Cancel"' in r.text)
    check('type="password"' not in r.text)
    r = request("GET", "/oauth/authorize?oauth_token=%s&force_login=true"
                       "&screen_name=bob" % t)
    check('value="bob"' in r.text and 'type="password"' in r.text)
    check("force_login" in r.text)
    r = request("GET", "/oauth/authorize?oauth_token=nope")
    check(r.status == 200 and "<form" not in r.text and "invalid" in r.text)


@test("fake-browser.py subprocess: logs URL, writes the 7-digit PIN file")
def t_browser_subprocess():
    url = base() + "/oauth/authorize?oauth_token=" + CTX["rt"]["oauth_token"]
    env = dict(os.environ, BH_FAKE_BROWSER_LOG=os.path.join(TMP, "urls"),
               BH_FAKE_BROWSER_PIN=os.path.join(TMP, "pin"))
    env.pop("BH_FAKE_BROWSER_ACTION", None)
    env.pop("BH_FAKE_BROWSER_USER", None)
    p = subprocess.run([BROWSER, url], env=env, timeout=15,
                       capture_output=True)
    check(p.returncode == 0, p.stderr.decode())
    pin = open(env["BH_FAKE_BROWSER_PIN"]).read()
    check(re.fullmatch(r"\d{7}\n", pin), repr(pin))
    check(open(env["BH_FAKE_BROWSER_LOG"]).read() == url + "\n")
    CTX["pin"] = pin.strip()
    v = control("/_fake/verifier", oauth_token=CTX["rt"]["oauth_token"])
    check(v.json()["oauth_verifier"] == CTX["pin"], repr(v))
    # refuses non-loopback URLs
    p = subprocess.run([BROWSER, "http://example.com/oauth/authorize"],
                       env=env, timeout=15, capture_output=True)
    check(p.returncode != 0)


@test("fake-browser: cancel and none actions, no PIN")
def t_browser_cancel():
    r = request_token()
    f = r.form()
    url = base() + "/oauth/authorize?oauth_token=" + f["oauth_token"]
    pinfile = os.path.join(TMP, "pin-cancel")
    before = control("/_fake/state").json()["counts"].get("/oauth/authorize")
    check(fake_browser.run(url, {"BH_FAKE_BROWSER_ACTION": "none",
                                 "BH_FAKE_BROWSER_PIN": pinfile}) is None)
    check(control("/_fake/state").json()["counts"].get("/oauth/authorize")
          == before, "none must not fetch")
    check(fake_browser.run(url, {"BH_FAKE_BROWSER_ACTION": "cancel",
                                 "BH_FAKE_BROWSER_PIN": pinfile}) is None)
    check(not os.path.exists(pinfile))
    r = access_token(f["oauth_token"], f["oauth_token_secret"], "1234567")
    check(r.status == 401 and r.text == "Invalid request token.", repr(r))


@test("access_token: wrong PIN -> 401 text, right PIN -> X-shaped tokens")
def t_access_token():
    rt = CTX["rt"]
    wrong = "%07d" % ((int(CTX["pin"]) + 1) % 10 ** 7)
    r = access_token(rt["oauth_token"], rt["oauth_token_secret"], wrong)
    check(r.status == 401 and r.text == "Error processing your OAuth "
          "request: Invalid oauth_verifier parameter", repr(r))
    r = access_token(rt["oauth_token"], rt["oauth_token_secret"], CTX["pin"])
    check(r.status == 200, repr(r))
    check(r.headers["content-type"] == "text/html; charset=utf-8")
    f = r.form()
    check(f["user_id"] == "1001" and f["screen_name"] == "alice", repr(f))
    check(re.fullmatch(r"1001-[A-Za-z0-9]{40}", f["oauth_token"]))
    check(re.fullmatch(r"[A-Za-z0-9]{45}", f["oauth_token_secret"]))
    CTX["alice"] = f


@test("access_token: used request token -> 401 Invalid request token.")
def t_access_token_reuse():
    rt = CTX["rt"]
    r = access_token(rt["oauth_token"], rt["oauth_token_secret"], CTX["pin"])
    check(r.status == 401 and r.text == "Invalid request token.", repr(r))


@test("verify_credentials: user object, access level, rate-limit headers")
def t_verify():
    r = verify(CTX["alice"])
    check(r.status == 200, repr(r))
    j = r.json()
    check(j["id"] == 1001 and j["id_str"] == "1001" and
          j["screen_name"] == "alice" and j["name"] == "Alice Example")
    check("created_at" in j)
    check(r.headers["x-access-level"] == "read-write")
    check(r.headers["x-rate-limit-limit"] == "75")
    rem = int(r.headers["x-rate-limit-remaining"])
    reset = int(r.headers["x-rate-limit-reset"])
    check(abs(reset - (time.time() + 900)) < 10)
    r = verify(CTX["alice"])
    check(int(r.headers["x-rate-limit-remaining"]) == rem - 1)


@test("2/users/me: v2 data, rate-limit headers; bad auth -> v2 401 shape")
def t_users_me():
    r = verify(CTX["alice"], "/2/users/me")
    check(r.status == 200, repr(r))
    check(r.json() == {"data": {"id": "1001", "name": "Alice Example",
                                "username": "alice"}})
    check(r.headers["x-rate-limit-limit"] == "75")
    r = request("GET", "/2/users/me")
    check(r.status == 401 and r.json() == {
        "title": "Unauthorized", "type": "about:blank", "status": 401,
        "detail": "Unauthorized"}, repr(r))


@test("authorizing alice again returns the same access token")
def t_same_token():
    f = pin_flow()
    check(f["oauth_token"] == CTX["alice"]["oauth_token"])
    check(f["oauth_token_secret"] == CTX["alice"]["oauth_token_secret"])


@test("x_auth_access_type=read with bob (browser env user) -> level read")
def t_read_bob():
    r = request_token(body=[("x_auth_access_type", "read")])
    f = r.form()
    url = base() + "/oauth/authorize?oauth_token=" + f["oauth_token"]
    pinfile = os.path.join(TMP, "pin-bob")
    pin = fake_browser.run(url, {"BH_FAKE_BROWSER_USER": "bob",
                                 "BH_FAKE_BROWSER_PIN": pinfile})
    check(open(pinfile).read() == pin + "\n")
    r = access_token(f["oauth_token"], f["oauth_token_secret"], pin)
    t = r.form()
    check(t["screen_name"] == "bob" and t["user_id"] == "1002", repr(t))
    r = verify(t)
    check(r.headers["x-access-level"] == "read", repr(r.headers))
    CTX["bob"] = t


@test("carol: multi-byte name; control users -> read-write-directmessages")
def t_carol():
    check(control("/_fake/users", screen_name="carol",
                  access_level="read-write-directmessages").status == 200)
    t = pin_flow("carol")
    r = verify(t)
    check(r.json()["name"] == "Carol Ü Ñ 日本", r.text)
    check("Carol Ü Ñ 日本".encode("utf-8") in r.raw, "raw UTF-8")
    check(r.headers["x-access-level"] == "read-write-directmessages")
    CTX["carol"] = t


@test("tampered signature -> 401 code 32")
def t_tampered():
    t = CTX["alice"]
    path, h = sign_only("GET", "/1.1/account/verify_credentials.json",
                        token=t["oauth_token"],
                        token_secret=t["oauth_token_secret"])
    h["Authorization"] = re.sub(r'oauth_signature="([^"]{4})',
                                lambda m: 'oauth_signature="' +
                                ("AAAA" if m.group(1) != "AAAA" else "BBBB"),
                                h["Authorization"])
    r = request("GET", path, h)
    check(r.status == 401 and r.code() == 32, repr(r))
    # wrong token secret, wrong consumer secret, unknown key
    r = signed("GET", "/1.1/account/verify_credentials.json",
               token=t["oauth_token"], token_secret="x" * 45)
    check(r.status == 401 and r.code() == 32, repr(r))
    r = signed("GET", "/1.1/account/verify_credentials.json",
               key_secret="nope", token=t["oauth_token"],
               token_secret=t["oauth_token_secret"])
    check(r.status == 401 and r.code() == 32, repr(r))
    r = request_token(key="unknown-key")
    check(r.status == 401 and r.code() == 32, repr(r))
    # a signed parameter changed after signing
    path, h = sign_only("GET", "/1.1/test/echo.json?a=1",
                        token=t["oauth_token"],
                        token_secret=t["oauth_token_secret"])
    r = request("GET", path.replace("a=1", "a=2"), h)
    check(r.status == 401 and r.code() == 32, repr(r))
    # PLAINTEXT is not accepted
    r = signed("GET", "/1.1/account/verify_credentials.json",
               token=t["oauth_token"], token_secret=t["oauth_token_secret"],
               signature_method="PLAINTEXT")
    check(r.status == 401 and r.code() == 32, repr(r))


@test("stale timestamp -> 135; clock offset shifts Date and the check")
def t_timestamp():
    t = CTX["alice"]
    r = signed("GET", "/1.1/account/verify_credentials.json",
               token=t["oauth_token"], token_secret=t["oauth_token_secret"],
               timestamp=str(int(time.time()) - 400))
    check(r.status == 401 and r.code() == 135, repr(r))
    r = signed("GET", "/1.1/account/verify_credentials.json",
               token=t["oauth_token"], token_secret=t["oauth_token_secret"],
               timestamp=str(int(time.time()) - 250))
    check(r.status == 200, "250 s is within bounds: %r" % r)
    check(control("/_fake/clock", offset="3600").status == 200)
    r = verify(t)
    check(r.status == 401 and r.code() == 135, repr(r))
    d = email.utils.parsedate_to_datetime(r.headers["date"]).timestamp()
    check(abs(d - time.time() - 3600) < 5, "shifted Date")
    r = signed("GET", "/1.1/account/verify_credentials.json",
               token=t["oauth_token"], token_secret=t["oauth_token_secret"],
               timestamp=str(int(time.time()) + 3600))
    check(r.status == 200, repr(r))
    control("/_fake/clock", offset="0")


@test("reused nonce+timestamp is rejected")
def t_nonce():
    t = CTX["alice"]
    kw = dict(token=t["oauth_token"], token_secret=t["oauth_token_secret"],
              nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
              timestamp=str(int(time.time())))
    r = signed("GET", "/1.1/account/verify_credentials.json", **kw)
    check(r.status == 200, "42-char nonce accepted: %r" % r)
    r = signed("GET", "/1.1/account/verify_credentials.json", **kw)
    check(r.status == 401 and r.code() == 32, repr(r))


@test("missing / garbled Authorization -> 400 code 215")
def t_215():
    r = request("GET", "/1.1/account/verify_credentials.json")
    check(r.status == 400 and r.code() == 215, repr(r))
    r = request("POST", "/oauth/request_token",
                {"Authorization": "OAuth garbage"})
    check(r.status == 400 and r.code() == 215, repr(r))
    r = request("GET", "/1.1/account/verify_credentials.json",
                {"Authorization": 'OAuth oauth_consumer_key="%s"' % KEY})
    check(r.status == 400 and r.code() == 215, repr(r))


@test("unknown access token -> 401 code 89")
def t_89():
    r = signed("GET", "/1.1/account/verify_credentials.json",
               token="1001-" + "x" * 40, token_secret="y" * 45)
    check(r.status == 401 and r.code() == 89, repr(r))


@test("echo: server saw exactly the signed parameters (oauth1-user)")
def t_echo_user():
    t = CTX["carol"]
    q = [("b", "2"), ("a", "x y"), ("a", ""), ("e", "!*'()"),
         ("u", "日本 Ü")]
    body = [("a", "1"), ("p", "a+b c"), ("z", ""), ("t", "é~-._")]
    path = "/1.1/test/echo.json?" + urllib.parse.urlencode(
        q, quote_via=urllib.parse.quote)
    r = signed("POST", path, token=t["oauth_token"],
               token_secret=t["oauth_token_secret"], body=body)
    check(r.status == 200, repr(r))
    j = r.json()
    check(j["params"] == [list(p) for p in q + body], repr(j["params"]))
    check(j["auth"] == "oauth1-user" and j["screen_name"] == "carol")
    check(j["method"] == "POST" and j["path"] == "/1.1/test/echo.json")


@test("echo: oauth1 consumer-only (GET, 1.1 and 2)")
def t_echo_consumer():
    r = signed("GET", "/1.1/test/echo.json?x=1")
    check(r.status == 200 and r.json()["auth"] == "oauth1-consumer", repr(r))
    check(r.json()["params"] == [["x", "1"]] and
          r.json()["screen_name"] is None)
    r = signed("GET", "/2/test/echo")
    check(r.status == 200 and r.json()["auth"] == "oauth1-consumer", repr(r))


def basic(key, sec):
    import base64
    raw = urllib.parse.quote_plus(key) + ":" + urllib.parse.quote_plus(sec)
    return "Basic " + base64.b64encode(raw.encode("utf-8")).decode("ascii")


FORM = {"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"}


def bearer_token(key=KEY, sec=SECRET):
    h = dict(FORM, Authorization=basic(key, sec))
    return request("POST", "/oauth2/token", h,
                   "grant_type=client_credentials")


@test("oauth2/token: same bearer twice; 99 bad creds; 170 no grant_type")
def t_bearer():
    r1, r2 = bearer_token(), bearer_token()
    check(r1.status == 200, repr(r1))
    j = r1.json()
    check(j["token_type"] == "bearer", repr(j))
    check(j["access_token"].startswith("AAAAAAAAAAAAAAAAAAAAA"))
    check("%" in j["access_token"])
    check(r2.json()["access_token"] == j["access_token"])
    CTX["bearer"] = secret(j["access_token"])
    r = bearer_token(sec="wrong")
    check(r.status == 403 and r.code() == 99, repr(r))
    r = request("POST", "/oauth2/token", FORM, "grant_type=client_credentials")
    check(r.status == 403 and r.code() == 99, repr(r))
    r = request("POST", "/oauth2/token",
                dict(FORM, Authorization=basic(KEY, SECRET)), "")
    check(r.status == 403 and r.code() == 170, repr(r))
    # key and secret with reserved characters: form-encoded before base64
    key, sec = "a b+c:d/é", "s%e c+r:e/t"
    check(control("/_fake/apps", consumer_key=key,
                  consumer_secret=sec).status == 200)
    r = bearer_token(key, sec)
    check(r.status == 200, repr(r))
    secret(r.json()["access_token"])
    r = request_token(key, sec)
    check(r.status == 200, "OAuth1 with that key: %r" % r)
    # not form-encoded (plain key:secret) must fail
    import base64
    raw = base64.b64encode(("%s:%s" % (key, sec)).encode()).decode()
    r = request("POST", "/oauth2/token",
                dict(FORM, Authorization="Basic " + raw),
                "grant_type=client_credentials")
    check(r.status == 403 and r.code() == 99, repr(r))


@test("bearer on echo (1.1 and 2) and state shows Bearer scheme")
def t_bearer_echo():
    h = {"Authorization": "Bearer " + CTX["bearer"]}
    r = request("GET", "/2/test/echo?q=1", h)
    check(r.status == 200 and r.json()["auth"] == "bearer", repr(r))
    r = request("POST", "/1.1/test/echo.json", dict(h, **FORM), "q=2")
    check(r.status == 200 and r.json()["params"] == [["q", "2"]], repr(r))
    s = control("/_fake/state").json()
    check(s["last_authorization_scheme"]["/2/test/echo"] == "Bearer")
    check(s["bearers"][KEY] == CTX["bearer"])


@test("oauth2/invalidate_token (OAuth1 user ctx), use after -> 89, Basic")
def t_bearer_invalidate():
    t = CTX["alice"]
    r = signed("POST", "/oauth2/invalidate_token", token=t["oauth_token"],
               token_secret=t["oauth_token_secret"],
               body=[("access_token", CTX["bearer"])])
    check(r.status == 200 and r.json() == {"access_token": CTX["bearer"]},
          repr(r))
    r = request("GET", "/2/test/echo", {"Authorization": "Bearer " +
                                        CTX["bearer"]})
    check(r.status == 401, repr(r))
    r = request("GET", "/1.1/test/echo.json", {"Authorization": "Bearer " +
                                               CTX["bearer"]})
    check(r.status == 401 and r.code() == 89, repr(r))
    r = signed("POST", "/oauth2/invalidate_token", token=t["oauth_token"],
               token_secret=t["oauth_token_secret"],
               body=[("access_token", CTX["bearer"])])
    check(r.status == 401 and r.code() == 89, repr(r))
    s = control("/_fake/state").json()
    check(CTX["bearer"] in s["invalidated_bearers"] and
          s["bearers"][KEY] is None)
    new = bearer_token().json()["access_token"]
    secret(new)
    check(new != CTX["bearer"])
    r = request("POST", "/oauth2/invalidate_token?access_token=" +
                urllib.parse.quote(new, safe=""),
                {"Authorization": basic(KEY, SECRET)})
    check(r.status == 200 and r.json()["access_token"] == new, repr(r))


@test("1.1/oauth/invalidate_token: revokes; then 89; re-authorize is new")
def t_invalidate_token():
    t = CTX["bob"]
    r = signed("POST", "/1.1/oauth/invalidate_token", token=t["oauth_token"],
               token_secret=t["oauth_token_secret"])
    check(r.status == 200 and r.json() == {"access_token": t["oauth_token"]},
          repr(r))
    check(verify(t).code() == 89)
    r = signed("POST", "/1.1/oauth/invalidate_token", token=t["oauth_token"],
               token_secret=t["oauth_token_secret"])
    check(r.status == 401 and r.code() == 89, repr(r))
    check(t["oauth_token"] in
          control("/_fake/state").json()["invalidated_access_tokens"])
    n = pin_flow("bob")
    check(n["oauth_token"] != t["oauth_token"])


@test("suspended app -> 403 code 416")
def t_suspended():
    control("/_fake/apps", consumer_key="susp-key", consumer_secret="susp-s",
            suspended="1")
    r = request_token("susp-key", "susp-s")
    check(r.status == 403 and r.code() == 416, repr(r))
    r = bearer_token("susp-key", "susp-s")
    check(r.status == 403 and r.code() == 416, repr(r))


@test("3 wrong PINs drop the request token")
def t_three_tries():
    f = request_token().form()
    pin = control("/_fake/verifier", oauth_token=f["oauth_token"]).json()[
        "oauth_verifier"]
    for i in range(3):
        r = access_token(f["oauth_token"], f["oauth_token_secret"],
                         "%07d" % ((int(pin) + 1 + i) % 10 ** 7))
        check("Invalid oauth_verifier" in r.text, repr(r))
    r = access_token(f["oauth_token"], f["oauth_token_secret"], pin)
    check(r.status == 401 and r.text == "Invalid request token.", repr(r))


@test("/_fake/verifier authorizes without browser; expire-request-tokens")
def t_expire():
    f = request_token().form()
    v = control("/_fake/verifier", oauth_token=f["oauth_token"],
                screen_name="bob").json()
    check(v["screen_name"] == "bob" and re.fullmatch(r"\d{7}",
                                                     v["oauth_verifier"]))
    control("/_fake/expire-request-tokens")
    r = request("GET", "/oauth/authorize?oauth_token=" + f["oauth_token"])
    check("<form" not in r.text)
    r = access_token(f["oauth_token"], f["oauth_token_secret"],
                     v["oauth_verifier"])
    check(r.status == 401 and r.text == "Invalid request token.", repr(r))


def fault(path, kind, **kw):
    r = control("/_fake/fault", path=path, kind=kind, **kw)
    check(r.status == 200, repr(r))


VC = "/1.1/account/verify_credentials.json"


@test("faults 500/503/429/401/89/135/215/416/417: status + code, count=1")
def t_fault_codes():
    expect = {"500": (500, 131), "503": (503, 130), "429": (429, 88),
              "401": (401, 32), "89": (401, 89), "135": (401, 135),
              "215": (400, 215), "416": (403, 416), "417": (403, 417)}
    for kind, (status, code) in expect.items():
        fault(VC, kind)
        r = verify(CTX["alice"])
        check(r.status == status and r.code() == code, kind + repr(r))
        if kind == "429":
            check(r.headers["x-rate-limit-remaining"] == "0")
            check(abs(int(r.headers["x-rate-limit-reset"]) -
                      time.time() - 900) < 10)
        check(verify(CTX["alice"]).status == 200, "count=1: " + kind)


@test("fault count=0 persists until reset / kind=none; count=2 twice")
def t_fault_count():
    fault(VC, "500", count="0")
    for _ in range(3):
        check(verify(CTX["alice"]).status == 500)
    fault(VC, "none")
    check(verify(CTX["alice"]).status == 200)
    fault(VC, "503", count="2")
    check([verify(CTX["alice"]).status for _ in range(3)] == [503, 503, 200])


@test("fault malformed: form endpoint '<html>oops', JSON endpoint broken")
def t_fault_malformed():
    fault("/oauth/request_token", "malformed")
    r = request_token()
    check(r.status == 200 and "oauth_token" not in r.form(), repr(r))
    fault("/2/users/me", "malformed")
    r = verify(CTX["alice"], "/2/users/me")
    check(r.status == 200, repr(r))
    try:
        r.json()
        check(False, "body must not be valid JSON")
    except ValueError:
        pass


@test("fault slow (1 s) does not block other requests")
def t_fault_slow():
    fault(VC, "slow", seconds="1")
    out = {}

    def slow():
        t0 = time.monotonic()
        out["r"] = verify(CTX["alice"])
        out["dt"] = time.monotonic() - t0
    th = threading.Thread(target=slow)
    th.start()
    time.sleep(0.1)
    t0 = time.monotonic()
    r = request("GET", "/1.1/other.json")
    fast = time.monotonic() - t0
    th.join(10)
    check(r.status == 404 and fast < 0.8, "blocked %.2f" % fast)
    check(out["r"].status == 200 and out["dt"] >= 1.0, repr(out))


@test("fault drop: connection closed without a response")
def t_fault_drop():
    fault(VC, "drop")
    try:
        r = verify(CTX["alice"])
        check(False, "got a response %r" % r)
    except (http.client.RemoteDisconnected, ConnectionError):
        pass
    check(verify(CTX["alice"]).status == 200)


@test("faults not-bearer, no-token, no-callback-confirmed")
def t_fault_bodies():
    fault("/oauth2/token", "not-bearer")
    r = bearer_token()
    check(r.status == 200 and r.json()["token_type"] == "mac", repr(r))
    fault("/oauth2/token", "no-token")
    r = bearer_token()
    check(r.status == 200 and "access_token" not in r.json(), repr(r))
    fault("/oauth/request_token", "no-token")
    f = request_token().form()
    check("oauth_token" not in f and "oauth_token_secret" in f, repr(f))
    fault("/oauth/request_token", "no-callback-confirmed")
    f = request_token().form()
    check("oauth_token" in f and "oauth_callback_confirmed" not in f)
    rt = request_token().form()
    pin = control("/_fake/verifier", oauth_token=rt["oauth_token"]).json()[
        "oauth_verifier"]
    fault("/oauth/access_token", "no-token")
    r = access_token(rt["oauth_token"], rt["oauth_token_secret"], pin)
    f = r.form()
    check(r.status == 200 and "oauth_token" not in f and
          f.get("screen_name") == "alice", repr(r))


@test("pin-refusal styles: wrong PIN and dropped token, 401 each way")
def t_pin_refusal_styles():
    for style, ctype in (("json", "application/json"),
                         ("problem", "application/problem+json"),
                         ("html", "text/html"), ("empty", "text/plain"),
                         ("text", "text/plain")):
        check(control("/_fake/pin-refusal", style=style).status == 200)
        f = request_token().form()
        pin = control("/_fake/verifier", oauth_token=f["oauth_token"]).json()[
            "oauth_verifier"]
        wrong = "%07d" % ((int(pin) + 1) % 10 ** 7)
        r = access_token(f["oauth_token"], f["oauth_token_secret"], wrong)
        check(r.status == 401 and r.headers["content-type"].startswith(ctype),
              style + repr(r))
        if style == "json":
            check(r.code() == 32, repr(r))
        elif style == "problem":
            check(r.json()["status"] == 401, repr(r))
        elif style == "empty":
            check(r.raw == b"", repr(r))
        # the right PIN still works after one wrong one
        r = access_token(f["oauth_token"], f["oauth_token_secret"], pin)
        check(r.status == 200, style + repr(r))
    check(control("/_fake/pin-refusal", style="nope").status == 400)


@test("param-source: invalidate_token reads access_token only where told")
def t_param_source():
    t = CTX["alice"]
    for source in ("form", "query"):
        control("/_fake/param-source", path="/oauth2/invalidate_token",
                source=source)
        bearer = bearer_token().json()["access_token"]
        secret(bearer)
        other = "query" if source == "form" else "form"
        # sent only where the server does not look: refused
        if other == "form":
            r = signed("POST", "/oauth2/invalidate_token",
                       token=t["oauth_token"],
                       token_secret=t["oauth_token_secret"],
                       body=[("access_token", bearer)])
        else:
            r = signed("POST", "/oauth2/invalidate_token?access_token=" +
                       urllib.parse.quote(bearer, safe=""),
                       token=t["oauth_token"],
                       token_secret=t["oauth_token_secret"])
        check(r.status == 400, source + repr(r))
        # sent in both: accepted
        r = signed("POST", "/oauth2/invalidate_token?access_token=" +
                   urllib.parse.quote(bearer, safe=""),
                   token=t["oauth_token"],
                   token_secret=t["oauth_token_secret"],
                   body=[("access_token", bearer)])
        check(r.status == 200, source + repr(r))
    control("/_fake/param-source", path="/oauth2/invalidate_token",
            source="both")


@test("hostile faults: 401 styles, deep JSON, blanks, wrong types, controls")
def t_fault_hostile():
    for kind, status in (("401-problem", 401), ("401-text", 401),
                         ("401-html", 401), ("401-empty", 401),
                         ("deep-json-401", 401), ("whitespace", 401),
                         ("wrong-types", 401), ("control-detail", 403),
                         ("big-code", 401), ("deep-json", 200)):
        fault(VC, kind)
        r = verify(CTX["alice"])
        check(r.status == status, kind + repr(r))
        if kind.startswith("deep-json"):
            check(r.raw == b"[" * 100000, kind)
        if kind == "whitespace":
            check(r.raw.strip() == b"" and r.raw != b"", kind)
        if kind == "big-code":
            check(r.json()["errors"][0]["code"] == 2 ** 32 + 32, kind)
        if kind == "control-detail":
            check("\u009b" in r.json()["detail"] and
                  "\u202e" in r.json()["detail"], kind)
        check(verify(CTX["alice"]).status == 200, "count=1: " + kind)
    fault(VC, "hostile-name")
    r = verify(CTX["alice"])
    check(r.status == 200 and "\u009b" in r.json()["name"], repr(r))


@test("faults redirect and trickle")
def t_fault_redirect_trickle():
    fault(VC, "redirect", status="307",
          location="http://elsewhere.invalid/x?y=1")
    r = verify(CTX["alice"])
    check(r.status == 307 and
          r.headers["location"] == "http://elsewhere.invalid/x?y=1", repr(r))
    fault(VC, "trickle", seconds="0.2")
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    try:
        c.request("GET", VC)
        resp = c.getresponse()
        check(resp.status == 200)
        t0 = time.monotonic()
        first = resp.read(3)
        check(len(first) == 3 and time.monotonic() - t0 >= 0.3,
              "trickled %.2f" % (time.monotonic() - t0))
    finally:
        c.close()


@test("state: counts, oauth_* names without values, schemes")
def t_state():
    s = control("/_fake/state").json()
    check(s["ok"] is True)
    check(s["counts"]["/oauth/access_token"] >= 5)
    names = s["last_oauth_param_names"]["/oauth/access_token"]
    check(set(names) >= {"oauth_consumer_key", "oauth_token",
                         "oauth_verifier", "oauth_signature",
                         "oauth_nonce", "oauth_timestamp",
                         "oauth_signature_method"}, repr(names))
    check(s["last_authorization_scheme"]["/oauth/access_token"] == "OAuth")
    check(s["last_authorization_scheme"]["/oauth2/token"] == "Basic")
    dump = json.dumps(s)
    check(CTX["alice"]["oauth_token_secret"] not in dump)
    check(not any(k.startswith("/_fake") for k in s["counts"]))


@test("issued-secrets: what the server handed out, empty again after reset")
def t_issued_secrets():
    issued = control("/_fake/issued-secrets").json()["secrets"]
    check(SECRET in issued)
    check(CTX["alice"]["oauth_token"] in issued)
    check(CTX["alice"]["oauth_token_secret"] in issued)
    check(CTX["pin"] in issued)
    check(control("/_fake/reset").status == 200)
    # the two default Apps' secrets: OAuth 1.0a consumer, OAuth 2.0 client
    check(control("/_fake/issued-secrets").json()["secrets"] ==
          [SECRET, "fake-oauth2-secret_0123456789-abcdefghijklmnopqrst"])


@test("reset: tokens, bearers, faults, users and counters back to start")
def t_reset():
    fault(VC, "500", count="0")
    control("/_fake/clock", offset="1000")
    check(control("/_fake/reset").status == 200)
    s = control("/_fake/state").json()
    check(s["counts"] == {} and s["invalidated_access_tokens"] == [] and
          s["faults"] == {} and s["clock_offset"] == 0, repr(s))
    check(list(s["bearers"]) == [KEY])
    check(verify(CTX["alice"]).code() == 89)
    t = pin_flow("carol")
    check(verify(t).headers["x-access-level"] == "read-write")
    check(t["oauth_token"] != CTX["carol"]["oauth_token"])


# --------------------------------------------------------------------------
# OAuth 2.0 user context: oauthlib's own client (WebApplicationClient)
# against the server, a loopback listener of our own, the fake browser
# --------------------------------------------------------------------------

O2_ID = "ZmFrZS1vYXV0aDItY2xpZW50LTAxMjM0NTY6MTpjaQ"
O2_SECRET = "fake-oauth2-secret_0123456789-abcdefghijklmnopqrst"
O2_PUBLIC = "ZmFrZS1vYXV0aDItcHVibGljLTAxMjM0NTY6MTpuYQ"
O2_SCOPES = ["tweet.read", "users.read", "offline.access"]
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
X_BAD_CODE = {"error": "invalid_request", "error_description":
              "Value passed for the authorization code was invalid."}
X_BAD_TOKEN = {"error": "invalid_request", "error_description":
               "Value passed for the token was invalid."}
V2_401 = {"title": "Unauthorized", "type": "about:blank", "status": 401,
          "detail": "Unauthorized"}


class Listener:
    """A loopback redirect listener, as the App runs one: records each
    request's path and query, answers 200 "done"."""

    def __init__(self):
        import http.server
        seen = self.seen = []

        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                seen.append(self.path)
                body = b"done"
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), H)
        self.port = self.httpd.server_address[1]
        self.uri = "http://127.0.0.1:%d/callback" % self.port
        threading.Thread(target=self.httpd.serve_forever,
                         kwargs={"poll_interval": 0.1}, daemon=True).start()

    def last(self):
        check(self.seen, "the listener got nothing")
        q = urllib.parse.urlsplit(self.seen[-1]).query
        return dict(urllib.parse.parse_qsl(q, keep_blank_values=True))


def o2_listener():
    if "listener" not in CTX:
        CTX["listener"] = Listener()
    lst = CTX["listener"]
    for cid, sec in ((O2_ID, O2_SECRET), (O2_PUBLIC, None)):
        params = {"client_id": cid, "redirect_uri": lst.uri}
        if sec:
            params["client_secret"] = sec
        check(control("/_fake/oauth2-client", **params).status == 200)
    return lst


def o2_authorize_url(client, redirect_uri, scopes=None, state=None,
                     method="S256", verifier=None, **extra):
    verifier = verifier or client.create_code_verifier(64)
    challenge = client.create_code_challenge(verifier, "S256")
    url = client.prepare_request_uri(
        base() + "/i/oauth2/authorize", redirect_uri=redirect_uri,
        scope=scopes or O2_SCOPES, state=state or "st-" + rand_state(),
        code_challenge=extra.pop("code_challenge", challenge),
        code_challenge_method=method, **extra)
    return url, verifier


def rand_state():
    import secrets as _s
    return _s.token_urlsafe(24)


def basic_o2(cid, sec):
    q = urllib.parse.quote_plus
    raw = "%s:%s" % (q(cid), q(sec))
    return "Basic " + base64.b64encode(raw.encode()).decode()


def o2_token(params, cid=O2_ID, sec=O2_SECRET, headers=None):
    h = dict(FORM)
    if sec is not None:
        h["Authorization"] = basic_o2(cid, sec)
    h.update(headers or {})
    r = request("POST", "/2/oauth2/token", h, urllib.parse.urlencode(params))
    if r.status == 200:
        j = r.json()
        secret(j.get("access_token"), j.get("refresh_token"))
    return r


def o2_code(cid=O2_ID, scopes=None, action="authorize", **kw):
    """Authorize page -> fake browser -> listener. (code, verifier,
    redirect_uri, client)."""
    lst = o2_listener()
    client = WebApplicationClient(cid)
    state = "st-" + rand_state()
    url, verifier = o2_authorize_url(client, lst.uri, scopes, state, **kw)
    res = fake_browser.submit(url, action)
    check(res["listener_status"] == 200 and res["listener_body"] == "done",
          repr(res))
    q = lst.last()
    if action != "authorize":
        return q, None, lst.uri, client
    code = client.parse_request_uri_response(lst.seen[-1], state=state)["code"]
    secret(code)
    return code, verifier, lst.uri, client


def o2_grant(cid=O2_ID, sec=O2_SECRET, scopes=None):
    code, verifier, uri, client = o2_code(cid, scopes)
    body = {"grant_type": "authorization_code", "code": code,
            "redirect_uri": uri, "code_verifier": verifier}
    if sec is None:
        body["client_id"] = cid
    r = o2_token(body, cid, sec)
    check(r.status == 200, repr(r))
    return r.json()


def users_me_bearer(tok):
    return request("GET", "/2/users/me", {"Authorization": "Bearer " + tok})


def o2_state():
    return control("/_fake/oauth2-state").json()


@test("oauth2 authorize: bad client or redirect_uri -> error page, never "
      "a redirect")
def t_o2_authorize_fatal():
    lst = o2_listener()
    client = WebApplicationClient(O2_ID)
    other_port = "http://127.0.0.1:%d/callback" % (lst.port + 1
                                                   if lst.port < 65535
                                                   else lst.port - 1)
    for uri in (other_port, lst.uri + "/", lst.uri.replace("/callback",
                                                           "/callbac"),
                lst.uri.replace("127.0.0.1", "localhost"), lst.uri + "?x=1"):
        url, _ = o2_authorize_url(client, uri)
        r = request("GET", url[len(base()):])
        check(r.status == 400 and "location" not in r.headers and
              'id="oauth2_error"' in r.text and "<form" not in r.text,
              "%s: %r" % (uri, r))
    url, _ = o2_authorize_url(WebApplicationClient("nobody"), lst.uri)
    r = request("GET", url[len(base()):])
    check(r.status == 400 and "location" not in r.headers, repr(r))
    url, _ = o2_authorize_url(client, None)
    r = request("GET", url[len(base()):])
    check(r.status == 400 and "location" not in r.headers, repr(r))
    check(lst.seen == [], "nothing reached the listener")


@test("oauth2 authorize: plain, no PKCE, unknown scope, no state -> error "
      "redirect (or page when told)")
def t_o2_authorize_errors():
    lst = o2_listener()
    client = WebApplicationClient(O2_ID)
    v = client.create_code_verifier(64)
    cases = [
        ({"method": "plain", "code_challenge": v}, "invalid_request"),
        ({"method": None, "code_challenge": v}, "invalid_request"),
        ({"code_challenge": None, "method": None}, "invalid_request"),
        ({"code_challenge": "short"}, "invalid_request"),
        ({"scopes": ["tweet.read", "users.read", "no.such.scope"]},
         "invalid_scope"),
    ]
    for kw, err in cases:
        state = "st-" + rand_state()
        url, _ = o2_authorize_url(client, lst.uri, state=state, **kw)
        r = request("GET", url[len(base()):])
        check(r.status == 302, "%r: %r" % (kw, r))
        loc = r.headers["location"]
        check(loc.startswith(lst.uri + "?"), loc)
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(loc).query))
        check(q["error"] == err and q["state"] == state and "code" not in q,
              "%r: %r" % (kw, q))
    # no state at all: X needs one
    url = base() + "/i/oauth2/authorize?" + urllib.parse.urlencode({
        "response_type": "code", "client_id": O2_ID, "redirect_uri": lst.uri,
        "scope": "tweet.read users.read",
        "code_challenge": client.create_code_challenge(v, "S256"),
        "code_challenge_method": "S256"})
    r = request("GET", url[len(base()):])
    check(r.status == 302 and "error=invalid_request" in
          r.headers["location"], repr(r))
    check(control("/_fake/oauth2-authorize-errors", mode="page").status
          == 200)
    try:
        url, _ = o2_authorize_url(client, lst.uri, method="plain",
                                  code_challenge=v)
        r = request("GET", url[len(base()):])
        check(r.status == 400 and "location" not in r.headers and
              'data-error="invalid_request"' in r.text, repr(r))
    finally:
        control("/_fake/oauth2-authorize-errors", mode="redirect")
    check(lst.seen == [], "the browser never went there")


@test("oauth2: the whole code flow with PKCE (confidential, Basic), "
      "users/me with the bearer")
def t_o2_flow():
    lst = o2_listener()
    before = o2_state()["token_calls"].get("authorization_code", 0)
    client = WebApplicationClient(O2_ID)
    state = "st-" + rand_state()
    url, verifier = o2_authorize_url(client, lst.uri, state=state)
    r = request("GET", url[len(base()):])
    check(r.status == 200 and 'value="Authorize app"' in r.text and
          'value="Cancel"' in r.text and 'action="/i/oauth2/authorize"'
          in r.text, repr(r))
    check(r.headers.get("cache-control") == "no-store")
    res = fake_browser.submit(url, "authorize")
    q = lst.last()
    check(q["state"] == state and set(q) == {"code", "state"}, repr(q))
    check(res["redirect"].startswith(lst.uri + "?"), repr(res))
    code = client.parse_request_uri_response(lst.seen[-1],
                                             state=state)["code"]
    secret(code)
    check(re.fullmatch(r"[A-Za-z0-9+/]+", code), code)
    check(base64.b64decode(code + "=" * (-len(code) % 4))
          .decode().endswith(":ac:1"))
    body = client.prepare_request_body(code=code, redirect_uri=lst.uri,
                                       code_verifier=verifier,
                                       include_client_id=False)
    r = request("POST", "/2/oauth2/token",
                dict(FORM, Authorization=basic_o2(O2_ID, O2_SECRET)), body)
    check(r.status == 200, repr(r))
    check(r.headers["content-type"].startswith("application/json"))
    check(r.headers.get("cache-control") == "no-store")
    tok = r.json()
    secret(tok.get("access_token"), tok.get("refresh_token"))
    check(list(tok) == ["token_type", "expires_in", "access_token", "scope",
                        "refresh_token"], repr(list(tok)))
    check(tok["token_type"] == "bearer" and tok["expires_in"] == 7200)
    check(tok["scope"] == "tweet.read users.read offline.access")
    check(tok["access_token"] != tok["refresh_token"])
    parsed = client.parse_request_body_response(r.text,
                                                scope=O2_SCOPES)
    check(parsed["access_token"] == tok["access_token"])
    r = users_me_bearer(tok["access_token"])
    check(r.status == 200 and r.json() == {"data": {
        "id": "1001", "name": "Alice Example", "username": "alice"}},
        repr(r))
    check(r.headers["x-rate-limit-limit"] == "75")
    s = o2_state()
    check(s["token_calls"]["authorization_code"] == before + 1)
    check(s["last_client_auth"] == "basic")
    issued = control("/_fake/issued-secrets").json()["secrets"]
    for v in (O2_SECRET, code, tok["access_token"], tok["refresh_token"]):
        check(v in issued, "issued secrets lack one")
    CTX["o2"] = tok


@test("oauth2 token: wrong verifier, other redirect_uri, no verifier, "
      "form only -> refused (X's words, or RFC's)")
def t_o2_token_refusals():
    code, verifier, uri, _ = o2_code()
    good = {"grant_type": "authorization_code", "code": code,
            "redirect_uri": uri, "code_verifier": verifier}
    wrong = dict(good, code_verifier=verifier[:-1] + (
        "A" if verifier[-1] != "A" else "B"))
    r = o2_token(wrong)
    check(r.status == 400 and r.json() == X_BAD_CODE, repr(r))
    r = o2_token(dict(good, code_verifier="short"))
    check(r.status == 400 and r.json() == X_BAD_CODE, repr(r))
    r = o2_token({k: v for k, v in good.items() if k != "code_verifier"})
    check(r.status == 400 and r.json()["error"] == "invalid_request",
          repr(r))
    r = o2_token(dict(good, redirect_uri=uri + "/"))
    check(r.status == 400 and r.json() == X_BAD_CODE, repr(r))
    r = o2_token({k: v for k, v in good.items() if k != "redirect_uri"})
    check(r.status == 400 and r.json()["error"] == "invalid_request",
          repr(r))
    r = request("POST", "/2/oauth2/token",
                {"Content-Type": "application/json",
                 "Authorization": basic_o2(O2_ID, O2_SECRET)},
                json.dumps(good))
    check(r.status == 400 and r.json()["error"] == "invalid_request",
          repr(r))
    check(control("/_fake/oauth2-errors", style="rfc").status == 200)
    try:
        r = o2_token(wrong)
        check(r.status == 400 and r.json()["error"] == "invalid_grant",
              repr(r))
        r = o2_token(dict(good, redirect_uri=uri + "/"))
        check(r.status == 400 and r.json()["error"] == "invalid_grant",
              repr(r))
        r = o2_token(dict(good, grant_type="password"))
        check(r.status == 400 and
              r.json()["error"] == "unsupported_grant_type", repr(r))
    finally:
        control("/_fake/oauth2-errors", style="x")
    # refusals did not spend the code: the right request still works
    r = o2_token(good)
    check(r.status == 200, repr(r))


@test("oauth2 token: a code works once; its second use ends the grant")
def t_o2_code_reuse():
    code, verifier, uri, _ = o2_code()
    body = {"grant_type": "authorization_code", "code": code,
            "redirect_uri": uri, "code_verifier": verifier}
    r = o2_token(body)
    check(r.status == 200, repr(r))
    tok = r.json()
    check(users_me_bearer(tok["access_token"]).status == 200)
    r = o2_token(body)
    check(r.status == 400 and r.json() == X_BAD_CODE, repr(r))
    r = users_me_bearer(tok["access_token"])
    check(r.status == 401 and r.json() == V2_401, repr(r))
    r = o2_token({"grant_type": "refresh_token",
                  "refresh_token": tok["refresh_token"]})
    check(r.status == 400 and r.json() == X_BAD_TOKEN, repr(r))
    check(o2_state()["grants"][-1]["ended"] == "code-reuse")


@test("oauth2 token: a code is short-lived (30 s on the OAuth 2.0 clock)")
def t_o2_code_expiry():
    code, verifier, uri, _ = o2_code()
    check(control("/_fake/oauth2-clock", advance="31").status == 200)
    try:
        r = o2_token({"grant_type": "authorization_code", "code": code,
                      "redirect_uri": uri, "code_verifier": verifier})
        check(r.status == 400 and r.json() == X_BAD_CODE, repr(r))
    finally:
        control("/_fake/oauth2-clock", offset="0")


@test("oauth2 client auth: confidential needs Basic of form-encoded "
      "id:secret; public sends client_id")
def t_o2_client_auth():
    code, verifier, uri, _ = o2_code()
    body = {"grant_type": "authorization_code", "code": code,
            "redirect_uri": uri, "code_verifier": verifier}
    r = o2_token(dict(body, client_id=O2_ID), sec=None)
    check(r.status == 401 and r.json() == {
        "error": "unauthorized_client",
        "error_description": "Missing valid authorization header"}, repr(r))
    r = o2_token(dict(body, client_id=O2_ID, client_secret=O2_SECRET),
                 sec=None)
    check(r.status == 401, "client_secret in the body is not X's: %r" % r)
    r = o2_token(body, sec=O2_SECRET[:-1])
    check(r.status == 401 and r.json()["error"] == "invalid_client",
          repr(r))
    check("basic" in r.headers.get("www-authenticate", "").lower())
    r = o2_token(dict(body, client_id=O2_PUBLIC))
    check(r.status == 401 and r.json()["error"] == "invalid_client",
          "Basic for one, client_id of another: %r" % r)
    r = o2_token(body)
    check(r.status == 200, repr(r))
    # RFC 6749 §2.3.1: id and secret are form-encoded before base64
    lst = o2_listener()
    odd_id, odd_secret = "odd:client id", "s3cr+t/with :colon%"
    check(control("/_fake/oauth2-client", client_id=odd_id,
                  client_secret=odd_secret, redirect_uri=lst.uri).status
          == 200)
    code, verifier, uri, _ = o2_code(odd_id)
    body = {"grant_type": "authorization_code", "code": code,
            "redirect_uri": uri, "code_verifier": verifier}
    raw = "Basic " + base64.b64encode(
        ("%s:%s" % (odd_id, odd_secret)).encode()).decode()
    r = o2_token(body, sec=None, headers={"Authorization": raw})
    check(r.status == 401, "unencoded Basic accepted: %r" % r)
    half = "Basic " + base64.b64encode(("%s:%s" % (
        urllib.parse.quote_plus(odd_id), odd_secret)).encode()).decode()
    r = o2_token(body, sec=None, headers={"Authorization": half})
    check(r.status == 401, "unencoded secret accepted: %r" % r)
    r = o2_token(body, odd_id, odd_secret)
    check(r.status == 200, repr(r))
    # a public client: client_id in the body, no secret anywhere
    tok = o2_grant(O2_PUBLIC, None)
    check(o2_state()["last_client_auth"] == "client_id")
    check(users_me_bearer(tok["access_token"]).status == 200)
    code, verifier, uri, _ = o2_code(O2_PUBLIC)
    body = {"grant_type": "authorization_code", "code": code,
            "redirect_uri": uri, "code_verifier": verifier}
    r = o2_token(body, sec=None)
    check(r.status == 401 and r.json()["error"] == "invalid_client",
          "no client_id: %r" % r)
    r = o2_token(body, O2_PUBLIC, "")
    check(r.status == 401, "Basic for a public client: %r" % r)
    r = o2_token(dict(body, client_id=O2_ID), sec=None)
    check(r.status == 401, "another client's code: %r" % r)
    r = o2_token(dict(body, client_id=O2_PUBLIC), sec=None)
    check(r.status == 200, repr(r))


@test("oauth2 refresh: rotates, spends the old one, counts calls")
def t_o2_refresh():
    tok = o2_grant()
    before = o2_state()["token_calls"].get("refresh_token", 0)
    r = o2_token({"grant_type": "refresh_token",
                  "refresh_token": tok["refresh_token"]})
    check(r.status == 200, repr(r))
    new = r.json()
    check(new["refresh_token"] != tok["refresh_token"] and
          new["access_token"] != tok["access_token"])
    check(new["scope"] == tok["scope"] and new["token_type"] == "bearer")
    check(users_me_bearer(new["access_token"]).status == 200)
    s = o2_state()
    check(s["token_calls"]["refresh_token"] == before + 1)
    check(tok["refresh_token"] in s["spent_refresh_tokens"])
    check(new["refresh_token"] not in s["spent_refresh_tokens"])
    check(s["grants"][-1]["refreshes"] == 1 and
          s["grants"][-1]["ended"] is None)
    # a public client refreshes with client_id in the body
    ptok = o2_grant(O2_PUBLIC, None)
    r = o2_token({"grant_type": "refresh_token", "client_id": O2_PUBLIC,
                  "refresh_token": ptok["refresh_token"]}, sec=None)
    check(r.status == 200, repr(r))
    # someone else's refresh token
    r = o2_token({"grant_type": "refresh_token", "client_id": O2_PUBLIC,
                  "refresh_token": new["refresh_token"]}, sec=None)
    check(r.status == 400 and r.json() == X_BAD_TOKEN, repr(r))
    CTX["o2_rotated"] = (tok, new)


@test("oauth2 refresh: a spent refresh token ends the whole grant "
      "(RFC 9700 reuse detection)")
def t_o2_refresh_reuse():
    old, new = CTX["o2_rotated"]
    r = o2_token({"grant_type": "refresh_token",
                  "refresh_token": old["refresh_token"]})
    check(r.status == 400 and r.json() == X_BAD_TOKEN, repr(r))
    s = o2_state()
    check(s["reuse_detected"] is True)
    g = [g for g in s["grants"] if g["refreshes"] == 1 and
         g["ended"] == "refresh-reuse"]
    check(g, repr(s["grants"]))
    r = users_me_bearer(new["access_token"])
    check(r.status == 401 and r.json() == V2_401, repr(r))
    r = o2_token({"grant_type": "refresh_token",
                  "refresh_token": new["refresh_token"]})
    check(r.status == 400 and r.json() == X_BAD_TOKEN, repr(r))
    # other grants live on
    check(users_me_bearer(CTX["o2"]["access_token"]).status == 200)


@test("oauth2 scopes: no refresh token without offline.access; users/me "
      "needs tweet.read and users.read")
def t_o2_scopes():
    tok = o2_grant(scopes=["tweet.read", "users.read"])
    check("refresh_token" not in tok and tok["scope"] ==
          "tweet.read users.read", repr(tok))
    check(users_me_bearer(tok["access_token"]).status == 200)
    for scopes in (["users.read", "offline.access"], ["tweet.read"]):
        tok = o2_grant(scopes=scopes)
        r = users_me_bearer(tok["access_token"])
        check(r.status == 403 and r.json()["status"] == 403 and
              r.json()["title"] == "Forbidden", repr(r))
    # a client registered for fewer scopes cannot ask for more
    lst = o2_listener()
    check(control("/_fake/oauth2-client", client_id="narrow",
                  redirect_uri=lst.uri, scopes="tweet.read users.read")
          .status == 200)
    url, _ = o2_authorize_url(WebApplicationClient("narrow"), lst.uri)
    r = request("GET", url[len(base()):])
    check(r.status == 302 and "error=invalid_scope" in r.headers["location"],
          repr(r))


@test("oauth2 lifetime and clock: expires_in as set; an expired token -> "
      "401 on users/me")
def t_o2_expiry():
    check(control("/_fake/oauth2-lifetime", seconds="2").status == 200)
    try:
        tok = o2_grant()
        check(tok["expires_in"] == 2, repr(tok))
        check(users_me_bearer(tok["access_token"]).status == 200)
        control("/_fake/oauth2-clock", advance="2")
        r = users_me_bearer(tok["access_token"])
        check(r.status == 401 and r.json() == V2_401, repr(r))
        # the refresh token still works and gives a fresh one
        r = o2_token({"grant_type": "refresh_token",
                      "refresh_token": tok["refresh_token"]})
        check(r.status == 200, repr(r))
        check(users_me_bearer(r.json()["access_token"]).status == 200)
    finally:
        control("/_fake/oauth2-lifetime", seconds="7200")
        control("/_fake/oauth2-clock", offset="0")
    tok = o2_grant()
    control("/_fake/oauth2-clock", advance="7199")
    try:
        check(users_me_bearer(tok["access_token"]).status == 200)
        control("/_fake/oauth2-clock", advance="1")
        check(users_me_bearer(tok["access_token"]).status == 401)
    finally:
        control("/_fake/oauth2-clock", offset="0")
    # an unknown bearer is refused as before
    r = users_me_bearer("not-a-token")
    check(r.status == 401 and r.json() == V2_401, repr(r))


@test("oauth2 revoke (RFC 7009): access token alone, refresh token ends "
      "the grant, unknown token 200, client auth required")
def t_o2_revoke():
    def revoke(params, cid=O2_ID, sec=O2_SECRET):
        h = dict(FORM)
        if sec is not None:
            h["Authorization"] = basic_o2(cid, sec)
        return request("POST", "/2/oauth2/revoke", h,
                       urllib.parse.urlencode(params))
    tok = o2_grant()
    before = o2_state()["revoke_calls"]
    r = revoke({"token": tok["access_token"],
                "token_type_hint": "access_token"})
    check(r.status == 200 and r.json() == {"revoked": True}, repr(r))
    check(users_me_bearer(tok["access_token"]).status == 401)
    r = o2_token({"grant_type": "refresh_token",
                  "refresh_token": tok["refresh_token"]})
    check(r.status == 200, "revoking the access token kept the grant")
    new = r.json()
    r = revoke({"token": new["refresh_token"]})       # no hint
    check(r.status == 200, repr(r))
    check(users_me_bearer(new["access_token"]).status == 401)
    r = o2_token({"grant_type": "refresh_token",
                  "refresh_token": new["refresh_token"]})
    check(r.status == 400, repr(r))
    r = revoke({"token": "never-issued"})
    check(r.status == 200, repr(r))
    tok = o2_grant()
    r = revoke({"token": tok["access_token"], "client_id": O2_ID}, sec=None)
    check(r.status == 401 and r.json()["error"] == "unauthorized_client",
          repr(r))
    r = revoke({"token": tok["access_token"]}, sec="wrong")
    check(r.status == 401, repr(r))
    r = revoke({})
    check(r.status == 400 and r.json()["error"] == "invalid_request",
          repr(r))
    check(users_me_bearer(tok["access_token"]).status == 200)
    # another client cannot revoke it
    r = revoke({"token": tok["access_token"], "client_id": O2_PUBLIC},
               sec=None)
    check(r.status == 200 and
          users_me_bearer(tok["access_token"]).status == 200, repr(r))
    ptok = o2_grant(O2_PUBLIC, None)
    r = revoke({"token": ptok["access_token"], "client_id": O2_PUBLIC},
               sec=None)
    check(r.status == 200 and
          users_me_bearer(ptok["access_token"]).status == 401, repr(r))
    check(o2_state()["revoke_calls"] == before + 8)


@test("oauth2 Cancel: 302 to the listener with error=access_denied and "
      "the state; the page answers once")
def t_o2_cancel():
    q, _, _, _ = o2_code(action="cancel")
    check(q["error"] == "access_denied" and q["state"].startswith("st-") and
          "code" not in q, repr(q))
    lst = o2_listener()
    url, _ = o2_authorize_url(WebApplicationClient(O2_ID), lst.uri)
    r = request("GET", url[len(base()):])
    pid = re.search(r'name="auth_request" value="([^"]+)"', r.text).group(1)
    form = {"auth_request": pid, "username": "bob",
            "authorize": "Authorize app"}
    r = request("POST", "/i/oauth2/authorize", FORM,
                urllib.parse.urlencode(form))
    check(r.status == 302 and "code=" in r.headers["location"], repr(r))
    secret(dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(
        r.headers["location"]).query)).get("code"))
    r = request("POST", "/i/oauth2/authorize", FORM,
                urllib.parse.urlencode(form))
    check(r.status == 400 and "location" not in r.headers, repr(r))


@test("fake-browser.py for OAuth 2.0: follows the 302, result file, "
      "cancel, no-follow, forged state first")
def t_o2_browser_subprocess():
    lst = o2_listener()
    client = WebApplicationClient(O2_ID)
    resfile = os.path.join(TMP, "o2-result")
    env = dict(os.environ, BH_FAKE_BROWSER_RESULT=resfile,
               BH_FAKE_BROWSER_USER="carol",
               BH_FAKE_BROWSER_LOG=os.path.join(TMP, "o2-urls"))
    for k in ("BH_FAKE_BROWSER_ACTION", "BH_FAKE_BROWSER_FOLLOW",
              "BH_FAKE_BROWSER_FORGE_STATE"):
        env.pop(k, None)

    def run(extra):
        n = len(lst.seen)
        state = "st-" + rand_state()
        url, verifier = o2_authorize_url(client, lst.uri, state=state)
        p = subprocess.run([BROWSER, url], env=dict(env, **extra),
                           timeout=15, capture_output=True)
        check(p.returncode == 0, p.stderr.decode())
        res = json.load(open(resfile))
        return res, lst.seen[n:], state, verifier

    res, seen, state, verifier = run({})
    check(len(seen) == 1 and res["listener_status"] == 200 and
          res["listener_body"] == "done", repr(res))
    check(res["redirect_params"]["state"] == state)
    code = res["redirect_params"]["code"]
    secret(code)
    r = o2_token({"grant_type": "authorization_code", "code": code,
                  "redirect_uri": lst.uri, "code_verifier": verifier})
    check(r.status == 200, repr(r))
    check(users_me_bearer(r.json()["access_token"]).json()["data"]
          ["username"] == "carol")
    res, seen, state, _ = run({"BH_FAKE_BROWSER_ACTION": "cancel"})
    check(len(seen) == 1 and res["redirect_params"] == {
        "error": "access_denied", "state": state}, repr(res))
    res, seen, state, _ = run({"BH_FAKE_BROWSER_FOLLOW": "0"})
    check(seen == [] and "listener_status" not in res and
          res["redirect_params"]["state"] == state, repr(res))
    secret(res["redirect_params"]["code"])
    res, seen, state, _ = run({"BH_FAKE_BROWSER_FORGE_STATE": "1"})
    check(len(seen) == 2 and res["forged"]["listener_status"] == 200,
          repr(res))
    forged = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(
        seen[0]).query))
    check(forged["state"] != state and forged["code"] !=
          res["redirect_params"]["code"], repr(forged))
    secret(res["redirect_params"]["code"])
    # an error page (unregistered redirect URI): recorded, exit 1
    url, _ = o2_authorize_url(client, lst.uri + "/other")
    p = subprocess.run([BROWSER, url], env=env, timeout=15,
                       capture_output=True)
    check(p.returncode == 1, p.stderr.decode())
    res = json.load(open(resfile))
    check(res["page_status"] == 400 and
          res["page_error"] == "invalid_request", repr(res))
    # X's error redirect is followed too
    url, _ = o2_authorize_url(client, lst.uri, method="plain",
                              code_challenge="x" * 43)
    n = len(lst.seen)
    p = subprocess.run([BROWSER, url], env=env, timeout=15,
                       capture_output=True)
    check(p.returncode == 0, p.stderr.decode())
    check(len(lst.seen) == n + 1 and "error=invalid_request" in lst.seen[-1])
    # the listener is gone: a failure, recorded
    dead = Listener()
    dead.httpd.shutdown()
    dead.httpd.server_close()
    check(control("/_fake/oauth2-client", client_id=O2_ID,
                  client_secret=O2_SECRET, redirect_uri=dead.uri).status
          == 200)
    url, _ = o2_authorize_url(client, dead.uri)
    p = subprocess.run([BROWSER, url], env=env, timeout=15,
                       capture_output=True)
    check(p.returncode == 1)
    res = json.load(open(resfile))
    check("listener_error" in res, repr(res))
    secret(res["redirect_params"]["code"])
    o2_listener()


@test("oauth2: faults apply to /2/oauth2/token (503, not-bearer, "
      "no-token)")
def t_o2_faults():
    tok = o2_grant()
    fault("/2/oauth2/token", "503")
    r = o2_token({"grant_type": "refresh_token",
                  "refresh_token": tok["refresh_token"]})
    check(r.status == 503 and r.code() == 130, repr(r))
    fault("/2/oauth2/token", "not-bearer")
    r = o2_token({"grant_type": "refresh_token",
                  "refresh_token": tok["refresh_token"]})
    check(r.status == 200 and r.json()["token_type"] == "mac", repr(r))
    fault("/2/oauth2/token", "no-token")
    r = o2_token({"grant_type": "refresh_token",
                  "refresh_token": r.json()["refresh_token"]})
    check(r.status == 200 and "access_token" not in r.json() and
          r.json()["refresh_token"], repr(r))
    secret(r.json()["refresh_token"])


@test("oauth2: reset forgets clients, grants and settings")
def t_o2_reset():
    tok = o2_grant()
    control("/_fake/oauth2-lifetime", seconds="5")
    check(control("/_fake/reset").status == 200)
    s = o2_state()
    check(s["grants"] == [] and s["token_calls"] == {} and
          s["spent_refresh_tokens"] == [] and
          s["access_token_lifetime"] == 7200 and
          s["clients"][O2_ID]["redirect_uris"] ==
          ["http://127.0.0.1:8477/callback"], repr(s))
    check(users_me_bearer(tok["access_token"]).status == 401)
    check(control("/_fake/oauth2-client", client_id="x").status == 400)


@test("rate_limit_status: app-only, 180 a window per App, 429s counted, "
      "shortened windows")
def t_rate_limit_status():
    path = "/1.1/application/rate_limit_status.json"
    bearer = secret(bearer_token().json()["access_token"])
    h = {"Authorization": "Bearer " + bearer}
    r = request("GET", path + "?resources=application", h)
    check(r.status == 200 and r.headers["x-rate-limit-limit"] == "180"
          and r.json()["rate_limit_context"] == {"application": KEY}, repr(r))
    check(request("GET", path, {"Authorization": "Bearer nope"}).code() == 89)
    check(request("GET", path).code() == 215)
    before = control("/_fake/rate-state").json()["rate_limited_responses"]
    check(control("/_fake/rate-limits", consumer_key=KEY,
                  remaining="1").status == 200)
    r = request("GET", path, h)
    check(r.status == 200 and r.headers["x-rate-limit-remaining"] == "0",
          repr(r))
    r = request("GET", path, h)
    check(r.status == 429 and r.code() == 88, repr(r))
    state = control("/_fake/rate-state").json()
    check(state["rate_limited_responses"] == before + 1, repr(state))
    check(state["remaining"]["%s %s" % (KEY, path)] == 0, repr(state))
    # A shortened window (the fake clock) starts afresh soon.
    control("/_fake/rate-limits", window="1")
    control("/_fake/reset")
    control("/_fake/rate-limits", window="1")
    bearer = secret(bearer_token().json()["access_token"])
    h = {"Authorization": "Bearer " + bearer}
    control("/_fake/rate-limits", consumer_key=KEY, remaining="0")
    check(request("GET", path, h).status == 429)
    time.sleep(1.5)
    r = request("GET", path, h)
    check(r.status == 200 and r.headers["x-rate-limit-remaining"] == "179",
          repr(r))
    check(control("/_fake/rate-limits", window="x").status == 400)
    control("/_fake/reset")


@test("stderr log: one 'METHOD PATH STATUS' line per request, no secrets")
def t_log():
    time.sleep(0.2)
    log = open(ERRLOG, encoding="utf-8", errors="replace").read()
    lines = log.splitlines()
    check(len(lines) > 50, "few log lines")
    bad = [ln for ln in lines
           if not re.fullmatch(r"[A-Z]+ /\S* (\d{3}|dropped|client-gone|trickled)",
                               ln)]
    check(not bad, "unexpected log lines: %r" % bad[:3])
    SEEN_SECRETS.add(SECRET)
    leaks = [s for s in SEEN_SECRETS if s and s in log]
    check(not leaks, "%d secret values in the log" % len(leaks))
    check("oauth_signature" not in log and "Basic" not in log)


@test("server exits when its stdin reaches EOF")
def t_stdin_eof():
    PROC.stdin.close()
    PROC.wait(timeout=5)
    check(PROC.returncode == 0)


@test("server exits on SIGTERM")
def t_sigterm():
    p = subprocess.Popen([sys.executable, SERVER], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        check(p.stdout.readline().startswith(b"PORT="))
        p.terminate()
        p.wait(timeout=5)
        check(p.returncode == 0, "rc %r" % p.returncode)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


@test("--host other than 127.0.0.1 is refused")
def t_host():
    p = subprocess.run([sys.executable, SERVER, "--host", "0.0.0.0"],
                       stdin=subprocess.PIPE, capture_output=True, timeout=10)
    check(p.returncode == 2 and b"PORT=" not in p.stdout)


def start():
    global PORT, PROC
    errf = open(ERRLOG, "wb")
    try:
        PROC = subprocess.Popen([sys.executable, SERVER], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=errf)
    finally:
        errf.close()
    line = PROC.stdout.readline().decode()
    m = re.fullmatch(r"PORT=(\d+)\n", line)
    if not m:
        raise RuntimeError("no PORT line: %r" % line)
    PORT = int(m.group(1))


def stop():
    if PROC is not None and PROC.poll() is None:
        PROC.kill()
        PROC.wait()
    for f in os.listdir(TMP):
        os.unlink(os.path.join(TMP, f))
    os.rmdir(TMP)


if __name__ == "__main__":
    sys.exit(bhtap.run(TESTS, setup=start, teardown=stop))
