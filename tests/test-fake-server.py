#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Self-test of tests/fake-x-server.py and tests/fake-browser.py (TAP).

The client side is oauthlib.oauth1.Client (the reference implementation),
never Birdhouse's C code: this proves the fake server is independent and
strict before the C tests rely on it.
"""

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
import traceback
import urllib.parse

from oauthlib.oauth1 import Client

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "fake-x-server.py")
BROWSER = os.path.join(HERE, "fake-browser.py")

KEY = "fake-consumer-key-01234567890"
SECRET = "fake-consumer-secret-0123456789abcdefghijklmnopqrstu"

spec = importlib.util.spec_from_file_location("fake_browser", BROWSER)
fake_browser = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fake_browser)

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


def check(cond, what="check failed"):
    if not cond:
        raise AssertionError(what)


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
                               "/_fake/issued-secrets") else "POST"
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
    check(control("/_fake/issued-secrets").json()["secrets"] == [SECRET])


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


@test("stderr log: one 'METHOD PATH STATUS' line per request, no secrets")
def t_log():
    time.sleep(0.2)
    log = open(ERRLOG, encoding="utf-8", errors="replace").read()
    lines = log.splitlines()
    check(len(lines) > 50, "few log lines")
    bad = [ln for ln in lines
           if not re.fullmatch(r"[A-Z]+ /\S* (\d{3}|dropped|client-gone)",
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


def main():
    global PORT, PROC
    print("1..%d" % len(TESTS))
    sys.stdout.flush()
    failed = 0
    errf = open(ERRLOG, "wb")
    PROC = subprocess.Popen([sys.executable, SERVER], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=errf)
    try:
        line = PROC.stdout.readline().decode()
        m = re.fullmatch(r"PORT=(\d+)\n", line)
        if not m:
            raise RuntimeError("no PORT line: %r" % line)
        PORT = int(m.group(1))
        for i, (name, fn) in enumerate(TESTS, 1):
            try:
                fn()
                print("ok %d - %s" % (i, name))
            except Exception as e:
                failed += 1
                print("not ok %d - %s" % (i, name))
                for ln in traceback.format_exception(e)[-3:]:
                    for sub in ln.rstrip().splitlines():
                        print("# " + sub)
            sys.stdout.flush()
    finally:
        if PROC.poll() is None:
            PROC.kill()
            PROC.wait()
        errf.close()
        for f in os.listdir(TMP):
            os.unlink(os.path.join(TMP, f))
        os.rmdir(TMP)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
