#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fake X (Twitter) API server for Birdhouse tests.

An independent, strict stand-in for api.x.com. OAuth 1.0a signatures are
verified by oauthlib's server endpoints (RequestTokenEndpoint,
AccessTokenEndpoint, ResourceEndpoint, SignatureOnlyEndpoint) driven by a
RequestValidator subclass -- never by our own signing code.

Usage
-----
    /usr/bin/python3 tests/fake-x-server.py [--port N] [--host 127.0.0.1]
                                            [--no-stdin-watch]

Binds 127.0.0.1 only (any other --host is refused, exit status 2). The first
line on stdout is exactly ``PORT=<n>``. The server exits (os._exit(0)) when
its stdin reaches EOF -- keep a pipe to its stdin open for as long as it is
needed -- and on SIGTERM. ``--no-stdin-watch`` disables the stdin watch (for
manual use from a terminal). One line per request is logged on stderr:
``METHOD PATH STATUS`` (path without query; never a token, secret,
signature or header value). Every response has ``Connection: close`` so that
faults such as ``drop`` are not hidden by a client retrying on a reused
connection.

Initial state
-------------
App: consumer key ``fake-consumer-key-01234567890``, secret
``fake-consumer-secret-0123456789abcdefghijklmnopqrstu``, name
"Birdhouse Test App".
Users: alice (1001, "Alice Example"), bob (1002, "Bob Builder"),
carol (1003, "Carol Ü Ñ 日本"); max access level read-write.
Access tokens look like ``<user_id>-<40 alnum>``, token secrets 45 alnum,
request tokens 27 alnum, bearer tokens ``AAAAAAAAAAAAAAAAAAAAA...`` and
always contain the literal (already percent-encoded) sequences ``%2B`` and
``%3D`` as X's do. PINs are 7 digits (may start with 0).

API endpoints (X shapes)
------------------------
POST /oauth/request_token          OAuth1 consumer-only; oauth_callback must
                                   be "oob" (else 403 code 417; missing 400
                                   code 215); x_auth_access_type=read|write
                                   in query or body.
GET  /oauth/authorize              consent page (?oauth_token=T
     (/oauth/authenticate alias)   [&force_login=true][&screen_name=NAME]).
POST /oauth/authorize              form: oauth_token, username, [password],
                                   authorize=Authorize app | cancel=Cancel.
                                   PIN page: <code id="oauth_pin">NNNNNNN</code>
                                   Cancel drops the request token.
POST /oauth/access_token           OAuth1 request token + oauth_verifier.
                                   Wrong/missing verifier: 401 text/plain
                                   "Error processing your OAuth request:
                                   Invalid oauth_verifier parameter" (3
                                   tries, then the request token is dropped);
                                   unknown/expired/used request token: 401
                                   text/plain "Invalid request token.".
GET  /1.1/account/verify_credentials.json   OAuth1 user; x-access-level,
                                   x-rate-limit-{limit,remaining,reset}.
GET  /2/users/me                   OAuth1 user; same headers. Auth errors on
                                   /2/ paths: 401 v2 problem JSON.
POST /oauth2/token                 Basic enc(key):enc(secret) (quote_plus);
                                   form grant_type=client_credentials.
POST /oauth2/invalidate_token      access_token=<bearer>; OAuth1 user context
                                   of that app, or Basic client credentials.
POST /1.1/oauth/invalidate_token   OAuth1 user; invalidates that token.
GET|POST /1.1/test/echo.json, GET /2/test/echo
                                   OAuth1 user, OAuth1 consumer-only or
                                   Bearer; returns {"method","path","params":
                                   [[name,value],...] (query then form body,
                                   decoded, oauth_* excluded),"auth",
                                   "screen_name"}.
Anything else: 404 code 34.
Auth errors: no/garbled Authorization header or missing oauth_* params ->
400 code 215; |oauth_timestamp - server clock| > 300 s -> 401 code 135
(checked before oauthlib); bad signature, unknown key, reused nonce (same
key+token+nonce+timestamp), unsupported signature method -> 401 code 32;
unknown/revoked access token -> 401 code 89; suspended app -> 403 code 416.
Only the Authorization header carries OAuth1 parameters (oauth_* in query
or body are refused). Body parameters are read only with
Content-Type application/x-www-form-urlencoded.
Rate limit: 75 calls / 15 min per token and path (the 76th is 429 code 88).

Control endpoints (no auth, loopback only; JSON {"ok":true,...})
----------------------------------------------------------------
POST /_fake/reset                  back to the initial state (also clears
                                   faults, clock offset, counters).
POST /_fake/apps                   consumer_key, consumer_secret,
                                   [name], [suspended=1]: add or replace.
POST /_fake/clock                  offset=<seconds> (float ok): server clock
                                   = real clock + offset (Date header and
                                   the timestamp check).
POST /_fake/users                  screen_name, access_level=read|read-write|
                                   read-write-directmessages.
POST /_fake/expire-request-tokens  every outstanding request token expires.
POST /_fake/fault                  path=/oauth/request_token, kind=K,
                                   [count=N] (default 1, 0 = until reset),
                                   [seconds=S] (slow; default 30).
                                   kind=none clears the path's fault. One
                                   fault per path (a new one replaces it).
                                   Kinds: 500 (code 131), 503 (code 130 Over
                                   capacity), 429 (code 88 + x-rate-limit-*
                                   remaining 0, reset now+900), malformed
                                   (200, "<html>oops" text/html on the two
                                   form endpoints, '{"data":' JSON
                                   elsewhere), slow (sleep S then answer
                                   normally; other requests are not
                                   blocked), drop (close without response),
                                   not-bearer (token_type "mac"), no-token
                                   (oauth_token / access_token removed from
                                   an otherwise real success), no-callback-
                                   confirmed, 401 (code 32), 89, 135, 215,
                                   416, 417. The three body-altering kinds
                                   alter only a 200 answer.
                                   What servers other than X send (a 401 in
                                   another style): 401-problem (v2 problem
                                   JSON), 401-text, 401-html, 401-empty.
                                   Hostile answers: deep-json (200, 100,000
                                   '['), deep-json-401, whitespace (401, a
                                   body of blanks), wrong-types (401, every
                                   field of the wrong JSON type),
                                   control-detail (403 problem whose detail
                                   holds C1 controls and bidi overrides),
                                   big-code (401, code 4294967328 = 2^32+32),
                                   hostile-name (200 verify_credentials /
                                   users/me whose name holds C1 controls and
                                   bidi overrides), trickle (200, headers at
                                   once, then one body byte every S seconds,
                                   default 30), redirect ([status=302],
                                   [location=URL]: default
                                   http://elsewhere.invalid/steal?q=1).
POST /_fake/pin-refusal            style=text|json|problem|html|empty: how
                                   a wrong PIN and a dropped request token
                                   are answered at /oauth/access_token (401
                                   in each case; text is X's own, the
                                   default; json is code 32 for both).
POST /_fake/param-source           path=P, source=both|query|form: where
                                   the handler of P reads its own
                                   parameters (oauth2/invalidate_token's
                                   access_token; default both).
GET  /_fake/issued-secrets         {"ok":true,"secrets":[every consumer
                                   secret, access token and its secret,
                                   request token secret, PIN and bearer
                                   since the reset]}: for tests that
                                   check logs hold none of them.
GET  /_fake/state                  {"ok","counts":{path:n},
                                   "invalidated_access_tokens":[...],
                                   "invalidated_bearers":[...],
                                   "bearers":{consumer_key: bearer|null},
                                   "last_oauth_param_names":{path:[names]},
                                   "last_authorization_scheme":{path:
                                   "OAuth"|"Bearer"|"Basic"|other|null},
                                   "clock_offset", "faults"}.
                                   Counts exclude /_fake/ paths and include
                                   faulted requests.
GET  /_fake/verifier?oauth_token=T[&screen_name=NAME]
                                   {"ok":true,"oauth_verifier":"NNNNNNN",
                                   "screen_name":...}; if nobody authorized
                                   the token yet it is authorized now as
                                   NAME (default alice). Unknown token: 404
                                   {"ok":false}.
"""

import argparse
import base64
import email.utils
import html
import json
import os
import secrets
import signal
import string
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from oauthlib.oauth1 import (
    AccessTokenEndpoint,
    RequestTokenEndpoint,
    RequestValidator,
    ResourceEndpoint,
    SignatureOnlyEndpoint,
)
from oauthlib.oauth1.rfc5849 import utils as oauth_utils

DEFAULT_CONSUMER_KEY = "fake-consumer-key-01234567890"
DEFAULT_CONSUMER_SECRET = "fake-consumer-secret-0123456789abcdefghijklmnopqrstu"
DEFAULT_APP_NAME = "Birdhouse Test App"

INITIAL_USERS = (
    ("1001", "alice", "Alice Example"),
    ("1002", "bob", "Bob Builder"),
    ("1003", "carol", "Carol Ü Ñ 日本"),
)

LEVELS = ("read", "read-write", "read-write-directmessages")
TIMESTAMP_WINDOW = 300
RATE_LIMIT = 75
RATE_WINDOW = 900
MAX_VERIFIER_TRIES = 3
MAX_BODY = 1 << 20

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"

ALNUM = string.ascii_letters + string.digits

FORM_ENDPOINTS = ("/oauth/request_token", "/oauth/access_token")

FAULT_KINDS = ("500", "503", "429", "malformed", "slow", "drop",
               "not-bearer", "no-token", "no-callback-confirmed",
               "401", "89", "135", "215", "416", "417", "none",
               "401-problem", "401-text", "401-html", "401-empty",
               "deep-json", "deep-json-401", "whitespace", "wrong-types",
               "control-detail", "big-code", "hostile-name", "trickle",
               "redirect")

PIN_REFUSAL_STYLES = ("text", "json", "problem", "html", "empty")
PARAM_SOURCES = ("both", "query", "form")

# Text with an 8-bit CSI (U+009B), a C1 OSC (U+009D), an RLO override
# (U+202E), an LRI isolate (U+2066) and an ALM (U+061C).
HOSTILE_TEXT = "Evil\u009b31m\u009d0;title\u0007 \u202eemanlaer\u202c\u2066x\u2069\u061c!"

# Bodies of the hostile faults: (status, content type, body).
HOSTILE_BODIES = {
    "401-problem": (401, "application/problem+json",
                    json.dumps({"title": "Unauthorized", "type": "about:blank",
                                "status": 401, "detail": "Unauthorized"})),
    "401-text": (401, "text/plain; charset=utf-8", "Unauthorized"),
    "401-html": (401, "text/html; charset=utf-8",
                 "<!DOCTYPE html><html><head><title>401</title></head><body>"
                 "<h1>Authorization Required</h1></body></html>"),
    "401-empty": (401, "text/plain", ""),
    "deep-json-401": (401, "application/json", "[" * 100000),
    "whitespace": (401, "application/json", " \r\n\t \n "),
    "wrong-types": (401, "application/json", json.dumps({
        "errors": [{"code": "32", "message": {"text": "x"}}],
        "title": ["Unauthorized"], "detail": {"d": 1}, "status": "401"})),
    "control-detail": (403, "application/problem+json", json.dumps({
        "title": "Forbidden", "status": 403, "type": "about:blank",
        "detail": "Blocked: " + HOSTILE_TEXT})),
    "big-code": (401, "application/json", json.dumps({
        "errors": [{"code": 4294967328, "message": "Something else"}]})),
}


def rand_alnum(n):
    return "".join(secrets.choice(ALNUM) for _ in range(n))


def x_errors(code, message, **extra):
    err = {"code": code, "message": message}
    err.update(extra)
    return {"errors": [err]}


ERR = {
    32: (401, x_errors(32, "Could not authenticate you.")),
    34: (404, x_errors(34, "Sorry, that page does not exist.")),
    88: (429, x_errors(88, "Rate limit exceeded")),
    89: (401, x_errors(89, "Invalid or expired token.")),
    99: (403, {"errors": [{"code": 99, "label": "authenticity_token_error",
                           "message": "Unable to verify your credentials"}]}),
    130: (503, x_errors(130, "Over capacity")),
    131: (500, x_errors(131, "Internal error")),
    135: (401, x_errors(135, "Timestamp out of bounds.")),
    170: (403, {"errors": [{"code": 170,
                            "message": "Missing required parameter: grant_type",
                            "label": "forbidden_missing_parameter"}]}),
    215: (400, x_errors(215, "Bad Authentication data.")),
    416: (403, x_errors(416, "Invalid / suspended application")),
    417: (403, x_errors(417, "Desktop applications only support the "
                             "oauth_callback value 'oob'")),
}

V2_UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank",
                   "status": 401, "detail": "Unauthorized"}

FAULT_TO_CODE = {"500": 131, "503": 130, "429": 88, "401": 32, "89": 89,
                 "135": 135, "215": 215, "416": 416, "417": 417}


class XError(Exception):
    """An X error answer: JSON {"errors":[...]} with its HTTP status."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


class PlainError(Exception):
    def __init__(self, status, text, ctype=None):
        super().__init__(status)
        self.status = status
        self.text = text
        self.ctype = ctype


def pin_refusal(text):
    """The 401 of oauth/access_token for a wrong PIN or a dropped request
    token, in the style set with /_fake/pin-refusal (X's is plain text)."""
    style = STATE.pin_refusal
    if style == "json":
        return PlainError(401, json.dumps(x_errors(32, "Could not "
                                                   "authenticate you.")),
                          JSON_TYPE)
    if style == "problem":
        return PlainError(401, json.dumps(V2_UNAUTHORIZED),
                          "application/problem+json")
    if style == "html":
        return PlainError(401, "<!DOCTYPE html><html><body><h1>Error</h1>"
                          "<p>Unauthorized</p></body></html>", HTML_TYPE)
    if style == "empty":
        return PlainError(401, "", TEXT_TYPE)
    return PlainError(401, text)


# --------------------------------------------------------------------------
# State
# --------------------------------------------------------------------------

class State:
    def __init__(self):
        self.lock = threading.RLock()
        self.reset()

    def reset(self):
        with self.lock:
            self.apps = {DEFAULT_CONSUMER_KEY: {
                "secret": DEFAULT_CONSUMER_SECRET, "name": DEFAULT_APP_NAME,
                "suspended": False}}
            self.users = {}
            for uid, sn, name in INITIAL_USERS:
                self.users[sn] = {"id": uid, "screen_name": sn, "name": name,
                                  "max_level": "read-write"}
            self.request_tokens = {}   # token -> dict
            self.access_tokens = {}    # token -> dict
            self.user_app_token = {}   # (app, user_id) -> token
            self.bearers = {}          # app key -> bearer
            self.bearer_index = {}     # bearer -> app key
            self.invalidated_tokens = []
            self.invalidated_bearers = []
            # Every secret handed out (or registered) since the reset, for
            # tests that check no log of the client holds one.
            self.issued_secrets = [DEFAULT_CONSUMER_SECRET]
            self.nonces = set()
            self.clock_offset = 0.0
            self.faults = {}
            self.counts = {}
            self.last_oauth_names = {}
            self.last_scheme = {}
            self.rate = {}
            self.pin_refusal = "text"
            self.param_source = {}

    def now(self):
        return time.time() + self.clock_offset

    def user_by_id(self, uid):
        for u in self.users.values():
            if u["id"] == uid:
                return u
        return None


STATE = State()


# --------------------------------------------------------------------------
# oauthlib validator, tuned for X-shaped data
# --------------------------------------------------------------------------

def _printable(s, lo, hi, allow_space=False):
    if not isinstance(s, str) or not lo <= len(s) <= hi:
        return False
    for c in s:
        if ord(c) < 0x20 or ord(c) == 0x7f or (c == " " and not allow_space):
            return False
    return True


class XRequestValidator(RequestValidator):
    """All methods are called with STATE.lock held by the handler."""

    enforce_ssl = False
    allowed_signature_methods = ("HMAC-SHA1",)
    safe_characters = set(ALNUM + "-_.~%+/=")
    client_key_length = (1, 256)
    request_token_length = (1, 256)
    access_token_length = (1, 256)
    nonce_length = (8, 128)
    verifier_length = (1, 64)
    # Our own +/-300 s check runs first against the shifted clock; keep
    # oauthlib's (real-clock) check out of the way.
    timestamp_lifetime = 10 ** 11
    realms = []

    dummy_client = "dummy-consumer-key"
    dummy_request_token = "dummy-request-token"
    dummy_access_token = "dummy-access-token"

    # format checks: permissive (X keys contain '-', nonces are ~42 chars,
    # PINs are 7 digits, test keys contain spaces and non-ASCII)
    def check_client_key(self, client_key):
        return _printable(client_key, 1, 256, allow_space=True)

    def check_request_token(self, request_token):
        return _printable(request_token, 1, 256)

    def check_access_token(self, request_token):
        return _printable(request_token, 1, 256)

    def check_nonce(self, nonce):
        return _printable(nonce, *self.nonce_length)

    def check_verifier(self, verifier):
        return _printable(verifier, *self.verifier_length, allow_space=True)

    def check_realms(self, realms):
        return True

    # lookups
    def get_client_secret(self, client_key, request):
        app = STATE.apps.get(client_key)
        return app["secret"] if app else "dummy-consumer-secret"

    def get_request_token_secret(self, client_key, token, request):
        rt = STATE.request_tokens.get(token)
        return rt["secret"] if rt else "dummy-request-token-secret"

    def get_access_token_secret(self, client_key, token, request):
        at = STATE.access_tokens.get(token)
        return at["secret"] if at else "dummy-access-token-secret"

    def get_default_realms(self, client_key, request):
        return []

    def get_realms(self, token, request):
        return []

    def get_redirect_uri(self, token, request):
        return "oob"

    def validate_client_key(self, client_key, request):
        return client_key in STATE.apps

    def validate_request_token(self, client_key, token, request):
        rt = STATE.request_tokens.get(token)
        ok = bool(rt and rt["app"] == client_key and not rt["expired"])
        request.bh_request_token_ok = ok
        return ok

    def validate_access_token(self, client_key, token, request):
        at = STATE.access_tokens.get(token)
        return bool(at and at["app"] == client_key and not at["invalidated"])

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce,
                                     request, request_token=None,
                                     access_token=None):
        key = (client_key, request_token or access_token or "", nonce,
               timestamp)
        if key in STATE.nonces:
            request.bh_replay = True
            return False
        STATE.nonces.add(key)
        return True

    def validate_redirect_uri(self, client_key, redirect_uri, request):
        return True

    def validate_requested_realms(self, client_key, realms, request):
        return True

    def validate_realms(self, client_key, token, request, uri=None,
                        realms=None):
        return True

    def validate_verifier(self, client_key, token, verifier, request):
        rt = STATE.request_tokens.get(token)
        if not rt or rt["verifier"] is None:
            return False
        return secrets.compare_digest(verifier.encode("utf-8"),
                                      rt["verifier"].encode("utf-8"))

    def verify_request_token(self, token, request):
        return token in STATE.request_tokens

    def verify_realms(self, token, realms, request):
        return True

    def save_request_token(self, token, request):
        access_type = None
        for name, value in request.params:
            if name == "x_auth_access_type" and value in ("read", "write"):
                access_type = value
        STATE.issued_secrets.append(token["oauth_token_secret"])
        STATE.request_tokens[token["oauth_token"]] = {
            "secret": token["oauth_token_secret"],
            "app": request.client_key,
            "callback": request.redirect_uri,
            "access_type": access_type,
            "verifier": None,
            "user": None,
            "tries": 0,
            "expired": False,
        }

    def save_verifier(self, token, verifier, request):
        pass

    def invalidate_request_token(self, client_key, request_token, request):
        STATE.request_tokens.pop(request_token, None)

    def save_access_token(self, token, request):
        # oauthlib hands us the token dict it will url-encode afterwards:
        # replace its values with X-shaped (and, as X does, re-used) ones.
        rt = STATE.request_tokens[request.resource_owner_key]
        user = rt["user"]
        app = request.client_key
        level = user["max_level"]
        if rt["access_type"] == "read":
            level = "read"
        elif rt["access_type"] == "write" and level == LEVELS[2]:
            level = "read-write"
        existing = STATE.user_app_token.get((app, user["id"]))
        at = STATE.access_tokens.get(existing) if existing else None
        if at and not at["invalidated"]:
            at["level"] = level
            tok = existing
        else:
            tok = "%s-%s" % (user["id"], rand_alnum(40))
            at = {"secret": rand_alnum(45), "user": user["screen_name"],
                  "app": app, "level": level, "invalidated": False}
            STATE.access_tokens[tok] = at
            STATE.user_app_token[(app, user["id"])] = tok
            STATE.issued_secrets.extend((tok, at["secret"]))
        token.clear()
        token["oauth_token"] = tok
        token["oauth_token_secret"] = at["secret"]
        token["user_id"] = user["id"]
        token["screen_name"] = user["screen_name"]


VALIDATOR = XRequestValidator()


REQUEST_TOKEN_EP = RequestTokenEndpoint(VALIDATOR,
                                        token_generator=lambda: rand_alnum(32))
ACCESS_TOKEN_EP = AccessTokenEndpoint(VALIDATOR)
RESOURCE_EP = ResourceEndpoint(VALIDATOR)
SIGNATURE_EP = SignatureOnlyEndpoint(VALIDATOR)


def new_bearer():
    return ("AAAAAAAAAAAAAAAAAAAAA" + rand_alnum(20) + "%2B" + rand_alnum(20)
            + "%3D" + rand_alnum(40))


# --------------------------------------------------------------------------
# HTML pages
# --------------------------------------------------------------------------

def page(title, body):
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>%s</title></head><body>\n%s\n</body></html>\n"
            % (html.escape(title), body))


INVALID_TOKEN_PAGE = page(
    "X / Error",
    "<h1>Whoa there!</h1><p>The request token for this page is invalid. It "
    "may have already been used, or expired because it is too old. Please "
    "go back to the site or application that sent you here and try again; "
    "it was probably just a mistake.</p>")


def authorize_page(token, rt, username, force_login, error=None):
    app = STATE.apps.get(rt["app"], {"name": "?"})
    e = html.escape
    parts = ["<h1>Authorize %s to access your account?</h1>" % e(app["name"])]
    if error:
        parts.append("<p class=\"error\">%s</p>" % e(error))
    if force_login:
        parts.append("<p id=\"force_login\">Sign in to X: enter your "
                     "username and password (force_login).</p>")
    parts.append("<form method=\"post\" action=\"/oauth/authorize\" "
                 "id=\"oauth_form\">")
    parts.append("<input type=\"hidden\" name=\"authenticity_token\" "
                 "value=\"%s\">" % rand_alnum(16))
    parts.append("<input type=\"hidden\" name=\"oauth_token\" value=\"%s\">"
                 % e(token))
    if force_login:
        parts.append("<input type=\"hidden\" name=\"force_login\" "
                     "value=\"true\">")
    parts.append("<label for=\"username_or_email\">Username</label> "
                 "<input type=\"text\" name=\"username\" "
                 "id=\"username_or_email\" value=\"%s\">" % e(username))
    if force_login:
        parts.append("<label for=\"password\">Password</label> "
                     "<input type=\"password\" name=\"password\" "
                     "id=\"password\" value=\"\">")
    parts.append("<input type=\"submit\" name=\"authorize\" "
                 "value=\"Authorize app\" id=\"allow\">")
    parts.append("<input type=\"submit\" name=\"cancel\" value=\"Cancel\" "
                 "id=\"cancel\">")
    parts.append("</form>")
    if rt["access_type"] == "read":
        parts.append("<p>This application will be able to read Posts from "
                     "your timeline and see who you follow.</p>")
    else:
        parts.append("<p>This application will be able to read Posts, see "
                     "who you follow, and post and repost for you.</p>")
    return page("Authorize %s" % app["name"], "\n".join(parts))


def pin_page(rt, pin):
    app = STATE.apps.get(rt["app"], {"name": "?"})
    e = html.escape
    body = ("<h1>Redirecting you back to the application. This may take a "
            "few moments.</h1>"
            "<p>You've granted access to %s!</p>"
            "<div id=\"oauth_pin_block\"><p>Next, return to %s and enter "
            "this PIN to complete the authorization process:</p>"
            "<p><kbd aria-label=\"PIN\"><code id=\"oauth_pin\">%s</code>"
            "</kbd></p></div>" % (e(app["name"]), e(app["name"]), pin))
    return page("X / Authorize an application", body)


CANCEL_PAGE = page("X / Authorize an application",
                   "<h1>You have not authorized the app</h1><p>You can "
                   "close this window.</p>")


def user_object(u):
    uid = int(u["id"])
    return {
        "id": uid, "id_str": u["id"], "name": u["name"],
        "screen_name": u["screen_name"], "location": "", "description": "",
        "url": None, "entities": {"description": {"urls": []}},
        "protected": False, "followers_count": 10 + uid % 7,
        "friends_count": 3, "listed_count": 0,
        "created_at": "Wed Oct 10 20:19:24 +0000 2018",
        "favourites_count": 0, "utc_offset": None, "time_zone": None,
        "geo_enabled": False, "verified": False, "statuses_count": 42,
        "lang": None, "contributors_enabled": False,
        "is_translator": False, "profile_image_url_https":
            "https://pbs.twimg.com/profile_images/%d/photo_normal.jpg" % uid,
        "default_profile": True, "default_profile_image": False,
        "following": False, "follow_request_sent": False,
        "notifications": False, "translator_type": "none",
        "withheld_in_countries": [], "suspended": False,
        "needs_phone_verification": False,
    }


# --------------------------------------------------------------------------
# HTTP handler
# --------------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "tsa_b"
    sys_version = ""

    # ---- plumbing -------------------------------------------------------

    def version_string(self):
        return self.server_version

    def date_time_string(self, timestamp=None):
        return email.utils.formatdate(STATE.now() if timestamp is None
                                      else timestamp, usegmt=True)

    def log_request(self, code="-", size="-"):
        pass

    def log_message(self, format, *args):
        # http.server's own messages may quote the request line: keep only
        # the status code.
        code = args[0] if args and isinstance(args[0], int) else "-"
        sys.stderr.write("fake-x-server: protocol error %s\n" % code)
        sys.stderr.flush()

    def log_line(self, status):
        path = "".join(c if 0x20 < ord(c) < 0x7f else "?"
                       for c in self.log_path)
        sys.stderr.write("%s %s %s\n" % (self.command, path, status))
        sys.stderr.flush()

    def send(self, status, body, ctype, headers=None):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.close_connection = True
        self.log_line(status)

    def send_json(self, status, obj, headers=None):
        body = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
        self.send(status, body, JSON_TYPE, headers)

    def send_x_error(self, code, headers=None):
        status, obj = ERR[code]
        if code == 88:
            headers = dict(headers or {})
            headers.update(self.rate_headers_exhausted())
        self.send_json(status, obj, headers)

    def rate_headers_exhausted(self):
        return {"x-rate-limit-limit": RATE_LIMIT,
                "x-rate-limit-remaining": 0,
                "x-rate-limit-reset": int(STATE.now()) + RATE_WINDOW}

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_PUT(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()

    # ---- request parsing --------------------------------------------------

    def parse(self):
        target = self.path
        if "://" in target.split("?", 1)[0]:
            target = "/" + target.split("://", 1)[1].partition("/")[2]
        self.raw_target = target
        path, _, query = target.partition("?")
        self.log_path = path
        self.req_path = urllib.parse.unquote(path)
        self.query = query
        n = int(self.headers.get("Content-Length") or 0)
        if n < 0 or n > MAX_BODY:
            raise ValueError("body size")
        self.body_bytes = self.rfile.read(n) if n else b""
        ctype = self.headers.get("Content-Type", "")
        self.is_form = "application/x-www-form-urlencoded" in ctype.lower()
        self.body_text = self.body_bytes.decode("utf-8", "surrogateescape")
        self.query_params = urllib.parse.parse_qsl(query,
                                                   keep_blank_values=True)
        self.form_params = (urllib.parse.parse_qsl(
            self.body_bytes.decode("utf-8", "replace"),
            keep_blank_values=True) if self.is_form else [])
        self.auth = self.headers.get("Authorization")

    def param(self, name):
        for k, v in self.query_params + self.form_params:
            if k == name:
                return v
        return None

    def param_from(self, name):
        """A parameter read only where /_fake/param-source says."""
        source = STATE.param_source.get(self.req_path, "both")
        pairs = {"both": self.query_params + self.form_params,
                 "query": self.query_params,
                 "form": self.form_params}[source]
        for k, v in pairs:
            if k == name:
                return v
        return None

    def full_uri(self):
        host = self.headers.get("Host") or "127.0.0.1:%d" % \
            self.server.server_address[1]
        return "http://%s%s" % (host, self.raw_target)

    def oauth_headers(self):
        h = {"Authorization": self.auth or ""}
        if self.is_form:
            h["Content-Type"] = self.headers.get("Content-Type")
        return h

    def oauth_body(self):
        return self.body_text if self.is_form else ""

    def scheme(self):
        if self.auth is None:
            return None
        return self.auth.strip().split(" ", 1)[0]

    # ---- dispatch -----------------------------------------------------------

    def dispatch(self):
        try:
            self.req_path = self.log_path = "?"
            self.parse()
        except Exception:
            self.send_x_error(215)
            return
        try:
            if self.req_path.startswith("/_fake/"):
                if self.client_address[0] not in ("127.0.0.1", "::1"):
                    self.send_json(403, {"ok": False})
                    return
                self.control()
                return
            fault = self.record_and_take_fault()
            if fault is not None:
                kind, seconds, extra = fault
                if kind == "slow":
                    time.sleep(seconds)
                    fault = None
                elif kind == "drop":
                    self.close_connection = True
                    try:
                        self.connection.shutdown(2)
                    except OSError:
                        pass
                    self.log_line("dropped")
                    return
                elif kind in FAULT_TO_CODE:
                    self.send_x_error(FAULT_TO_CODE[kind])
                    return
                elif kind == "malformed":
                    if self.req_path in FORM_ENDPOINTS:
                        self.send(200, "<html>oops", HTML_TYPE)
                    else:
                        self.send(200, "{\"data\":", JSON_TYPE)
                    return
                elif kind in HOSTILE_BODIES:
                    status, ctype, body = HOSTILE_BODIES[kind]
                    self.send(status, body, ctype)
                    return
                elif kind == "deep-json":
                    self.send(200, "[" * 100000, JSON_TYPE)
                    return
                elif kind == "trickle":
                    self.trickle(seconds)
                    return
                elif kind == "redirect":
                    self.send(int(extra.get("status") or 302), "", TEXT_TYPE,
                              {"Location": extra.get("location") or
                               "http://elsewhere.invalid/steal?q=1"})
                    return
            self.alter = fault[0] if fault else None
            self.route()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            self.log_line("client-gone")

    def trickle(self, seconds):
        """A 200 whose body comes one byte every @seconds: alive, never
        idle for long, never done. Ends when the client goes away."""
        body = json.dumps({"data": {"id": "1", "padding": "x" * 4096}})
        body = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", JSON_TYPE)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        try:
            for i in range(len(body)):
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
                time.sleep(seconds)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.log_line("trickled")

    def record_and_take_fault(self):
        with STATE.lock:
            p = self.req_path
            STATE.counts[p] = STATE.counts.get(p, 0) + 1
            STATE.last_scheme[p] = self.scheme()
            names = []
            if (self.scheme() or "").lower() == "oauth":
                try:
                    names = [k for k, _ in
                             oauth_utils.parse_authorization_header(self.auth)]
                except ValueError:
                    names = []
            names += [k for k, _ in self.query_params + self.form_params
                      if k.startswith("oauth_")]
            STATE.last_oauth_names[p] = names
            f = STATE.faults.get(p)
            if not f:
                return None
            if f["count"] > 0:
                f["count"] -= 1
                if f["count"] == 0:
                    del STATE.faults[p]
            return (f["kind"], f["seconds"], f)

    def route(self):
        p, m = self.req_path, self.command
        routes = {
            ("POST", "/oauth/request_token"): self.h_request_token,
            ("GET", "/oauth/authorize"): self.h_authorize_get,
            ("GET", "/oauth/authenticate"): self.h_authorize_get,
            ("POST", "/oauth/authorize"): self.h_authorize_post,
            ("POST", "/oauth/authenticate"): self.h_authorize_post,
            ("POST", "/oauth/access_token"): self.h_access_token,
            ("GET", "/1.1/account/verify_credentials.json"):
                self.h_verify_credentials,
            ("GET", "/2/users/me"): self.h_users_me,
            ("POST", "/oauth2/token"): self.h_oauth2_token,
            ("POST", "/oauth2/invalidate_token"): self.h_oauth2_invalidate,
            ("POST", "/1.1/oauth/invalidate_token"): self.h_invalidate_token,
            ("GET", "/1.1/test/echo.json"): self.h_echo,
            ("POST", "/1.1/test/echo.json"): self.h_echo,
            ("GET", "/2/test/echo"): self.h_echo,
        }
        h = routes.get((m, p))
        if h is None:
            self.send_x_error(34)
            return
        try:
            with STATE.lock:
                h()
        except XError as e:
            if p.startswith("/2/") and e.code in (32, 89, 135, 215):
                self.send_json(401, V2_UNAUTHORIZED)
            else:
                self.send_x_error(e.code)
        except PlainError as e:
            self.send(e.status, e.text, e.ctype or TEXT_TYPE)

    # ---- OAuth1 verification ------------------------------------------------

    def oauth_precheck(self):
        """Header present and well formed, timestamp within 300 s of the
        (shifted) server clock. Returns the decoded oauth_* dict."""
        if (self.scheme() or "").lower() != "oauth":
            raise XError(215)
        try:
            items = oauth_utils.parse_authorization_header(self.auth)
        except ValueError:
            raise XError(215)
        names = [k for k, _ in items if k != "realm"]
        if len(names) != len(set(names)):
            raise XError(215)
        params = {k: urllib.parse.unquote(v) for k, v in items}
        for req in ("oauth_consumer_key", "oauth_signature_method",
                    "oauth_signature", "oauth_timestamp", "oauth_nonce"):
            if not params.get(req):
                raise XError(215)
        if any(k.startswith("oauth_") for k, _ in
               self.query_params + self.form_params):
            raise XError(215)
        ts = params["oauth_timestamp"]
        if not ts.isdigit():
            raise XError(215)
        if abs(int(ts) - STATE.now()) > TIMESTAMP_WINDOW:
            raise XError(135)
        return params

    def check_app_usable(self, key):
        app = STATE.apps.get(key)
        if app and app["suspended"]:
            raise XError(416)

    def verify_user_context(self):
        """OAuth1 user context through oauthlib's ResourceEndpoint.
        Returns (access token, its record)."""
        params = self.oauth_precheck()
        if not params.get("oauth_token"):
            raise XError(215)
        try:
            ok, req = RESOURCE_EP.validate_protected_resource_request(
                self.full_uri(), http_method=self.command,
                body=self.oauth_body(), headers=self.oauth_headers())
        except Exception:
            raise XError(32)
        if not ok:
            if req is None or getattr(req, "bh_replay", False):
                raise XError(32)
            log = getattr(req, "validator_log", {})
            if not log:
                raise XError(32)
            if not log.get("client"):
                raise XError(32)
            if not log.get("resource_owner"):
                raise XError(89)
            raise XError(32)
        self.check_app_usable(params["oauth_consumer_key"])
        tok = params["oauth_token"]
        return tok, STATE.access_tokens[tok]

    def verify_consumer_only(self):
        params = self.oauth_precheck()
        try:
            ok, req = SIGNATURE_EP.validate_request(
                self.full_uri(), http_method=self.command,
                body=self.oauth_body(), headers=self.oauth_headers())
        except Exception:
            raise XError(32)
        if not ok:
            raise XError(32)
        self.check_app_usable(params["oauth_consumer_key"])
        return params["oauth_consumer_key"]

    def basic_credentials(self):
        """HTTP Basic enc(key):enc(secret) -> app key, or None."""
        if (self.scheme() or "").lower() != "basic":
            return None
        try:
            raw = base64.b64decode(self.auth.strip().split(" ", 1)[1].strip(),
                                   validate=True).decode("utf-8")
        except Exception:
            return None
        if ":" not in raw:
            return None
        k, _, s = raw.partition(":")
        key = urllib.parse.unquote_plus(k)
        secret = urllib.parse.unquote_plus(s)
        app = STATE.apps.get(key)
        if not app or not secrets.compare_digest(
                app["secret"].encode("utf-8"), secret.encode("utf-8")):
            return None
        return key

    # ---- handlers -----------------------------------------------------------

    def send_form(self, pairs):
        if self.alter == "no-token":
            pairs = [(k, v) for k, v in pairs if k != "oauth_token"]
        elif self.alter == "no-callback-confirmed":
            pairs = [(k, v) for k, v in pairs
                     if k != "oauth_callback_confirmed"]
        self.send(200, urllib.parse.urlencode(pairs), HTML_TYPE)

    def h_request_token(self):
        params = self.oauth_precheck()
        if "oauth_callback" not in params:
            raise XError(215)
        try:
            _, body, status = REQUEST_TOKEN_EP.create_request_token_response(
                self.full_uri(), http_method=self.command,
                body=self.oauth_body(), headers=self.oauth_headers())
        except Exception:
            raise XError(32)
        if status != 200:
            raise XError(32 if status == 401 else 215)
        pairs = urllib.parse.parse_qsl(body, keep_blank_values=True)
        if params["oauth_callback"] != "oob":
            STATE.request_tokens.pop(dict(pairs)["oauth_token"], None)
            raise XError(417)
        key = params["oauth_consumer_key"]
        if STATE.apps[key]["suspended"]:
            STATE.request_tokens.pop(dict(pairs)["oauth_token"], None)
            raise XError(416)
        self.send_form(pairs)

    def h_authorize_get(self):
        token = self.param("oauth_token") or ""
        rt = STATE.request_tokens.get(token)
        if not rt or rt["expired"]:
            self.send(200, INVALID_TOKEN_PAGE, HTML_TYPE)
            return
        force = (self.param("force_login") or "").lower() in ("true", "1")
        name = self.param("screen_name") or "alice"
        self.send(200, authorize_page(token, rt, name, force), HTML_TYPE)

    def h_authorize_post(self):
        token = self.param("oauth_token") or ""
        rt = STATE.request_tokens.get(token)
        if not rt or rt["expired"]:
            self.send(200, INVALID_TOKEN_PAGE, HTML_TYPE)
            return
        if self.param("cancel") is not None and \
                self.param("authorize") is None:
            STATE.request_tokens.pop(token, None)
            self.send(200, CANCEL_PAGE, HTML_TYPE)
            return
        if self.param("authorize") is None:
            self.send(200, authorize_page(token, rt, "", False,
                                          "Press Authorize app or Cancel."),
                      HTML_TYPE)
            return
        username = (self.param("username") or "").lstrip("@").lower()
        user = STATE.users.get(username)
        force = (self.param("force_login") or "") == "true"
        if user is None or (force and not self.param("password")):
            self.send(200, authorize_page(
                token, rt, username, force,
                "The username and password you entered did not match our "
                "records. Please double-check and try again."), HTML_TYPE)
            return
        pin = self.issue_pin(rt, user)
        self.send(200, pin_page(rt, pin), HTML_TYPE)

    @staticmethod
    def issue_pin(rt, user):
        rt["verifier"] = "%07d" % secrets.randbelow(10 ** 7)
        STATE.issued_secrets.append(rt["verifier"])
        rt["user"] = user
        rt["tries"] = 0
        return rt["verifier"]

    def h_access_token(self):
        params = self.oauth_precheck()
        if not params.get("oauth_token"):
            raise XError(215)
        rtok = params["oauth_token"]
        rt = STATE.request_tokens.get(rtok)
        if "oauth_verifier" not in params or not params["oauth_verifier"]:
            raise pin_refusal("Error processing your OAuth request: "
                              "Invalid oauth_verifier parameter")
        self.check_app_usable(params["oauth_consumer_key"])
        try:
            _, body, status = ACCESS_TOKEN_EP.create_access_token_response(
                self.full_uri(), http_method=self.command,
                body=self.oauth_body(), headers=self.oauth_headers())
        except Exception:
            raise XError(32)
        if status == 200:
            self.send_form(urllib.parse.parse_qsl(body,
                                                  keep_blank_values=True))
            return
        # oauthlib said no: find out why, X-style. oauthlib does not give
        # us its Request, so re-derive from our own validator's view.
        key = params["oauth_consumer_key"]
        if key not in STATE.apps:
            raise XError(32)
        if not rt or rt["app"] != key or rt["expired"]:
            raise pin_refusal("Invalid request token.")
        if status != 401:
            raise XError(215)
        # token known: was it the verifier or the signature?
        if rt["verifier"] is not None and secrets.compare_digest(
                params["oauth_verifier"].encode("utf-8"),
                rt["verifier"].encode("utf-8")):
            raise XError(32)   # signature (or replayed nonce)
        if not self.signature_ok_for_token(key, rtok):
            raise XError(32)
        rt["tries"] += 1
        if rt["tries"] >= MAX_VERIFIER_TRIES:
            STATE.request_tokens.pop(rtok, None)
        raise pin_refusal("Error processing your OAuth request: "
                          "Invalid oauth_verifier parameter")

    def signature_ok_for_token(self, key, rtok):
        """Signature check (by oauthlib) of an access_token request whose
        verifier was wrong, so that only signed wrong PINs count as tries."""
        from oauthlib.oauth1.rfc5849 import signature as sig
        try:
            req = ACCESS_TOKEN_EP._create_request(
                self.full_uri(), self.command, self.oauth_body(),
                self.oauth_headers())
            return sig.verify_hmac_sha1(
                req, STATE.apps[key]["secret"],
                STATE.request_tokens[rtok]["secret"])
        except Exception:
            return False

    def rate_headers(self, tok):
        now = STATE.now()
        key = (tok, self.req_path)
        remaining, reset = STATE.rate.get(key, (RATE_LIMIT, 0))
        if reset <= now:
            remaining, reset = RATE_LIMIT, int(now) + RATE_WINDOW
        if remaining <= 0:
            raise XError(88)
        remaining -= 1
        STATE.rate[key] = (remaining, reset)
        return {"x-rate-limit-limit": RATE_LIMIT,
                "x-rate-limit-remaining": remaining,
                "x-rate-limit-reset": reset}

    def h_verify_credentials(self):
        tok, at = self.verify_user_context()
        headers = self.rate_headers(tok)
        headers["x-access-level"] = at["level"]
        user = dict(STATE.users[at["user"]])
        if self.alter == "hostile-name":
            user["name"] = HOSTILE_TEXT
        self.send_json(200, user_object(user), headers)

    def h_users_me(self):
        tok, at = self.verify_user_context()
        headers = self.rate_headers(tok)
        headers["x-access-level"] = at["level"]
        u = STATE.users[at["user"]]
        name = HOSTILE_TEXT if self.alter == "hostile-name" else u["name"]
        self.send_json(200, {"data": {"id": u["id"], "name": name,
                                      "username": u["screen_name"]}},
                       headers)

    def h_oauth2_token(self):
        key = self.basic_credentials()
        if key is None:
            raise XError(99)
        self.check_app_usable(key)
        grant = None
        for k, v in self.form_params:
            if k == "grant_type":
                grant = v
        if grant != "client_credentials":
            raise XError(170)
        bearer = STATE.bearers.get(key)
        if bearer is None:
            bearer = new_bearer()
            STATE.issued_secrets.append(bearer)
            STATE.bearers[key] = bearer
            STATE.bearer_index[bearer] = key
        obj = {"token_type": "bearer", "access_token": bearer}
        if self.alter == "not-bearer":
            obj["token_type"] = "mac"
        elif self.alter == "no-token":
            del obj["access_token"]
        self.send_json(200, obj)

    def h_oauth2_invalidate(self):
        scheme = (self.scheme() or "").lower()
        if scheme == "basic":
            key = self.basic_credentials()
            if key is None:
                raise XError(99)
            self.check_app_usable(key)
        else:
            _, at = self.verify_user_context()
            key = at["app"]
        bearer = self.param_from("access_token")
        if not bearer:
            self.send_json(400, x_errors(38, "access_token parameter is "
                                             "missing."))
            return
        if STATE.bearer_index.get(bearer) != key:
            raise XError(89)
        del STATE.bearer_index[bearer]
        STATE.bearers.pop(key, None)
        STATE.invalidated_bearers.append(bearer)
        self.send_json(200, {"access_token": bearer})

    def h_invalidate_token(self):
        tok, at = self.verify_user_context()
        at["invalidated"] = True
        STATE.invalidated_tokens.append(tok)
        k = (at["app"], STATE.users[at["user"]]["id"])
        if STATE.user_app_token.get(k) == tok:
            del STATE.user_app_token[k]
        self.send_json(200, {"access_token": tok})

    def h_echo(self):
        scheme = (self.scheme() or "").lower()
        screen_name = None
        if scheme == "bearer":
            bearer = self.auth.strip().split(" ", 1)[1].strip() \
                if " " in self.auth.strip() else ""
            key = STATE.bearer_index.get(bearer)
            if key is None:
                raise XError(89)
            self.check_app_usable(key)
            auth = "bearer"
        elif scheme == "oauth":
            params = self.oauth_precheck()
            if params.get("oauth_token"):
                _, at = self.verify_user_context()
                auth = "oauth1-user"
                screen_name = at["user"]
            else:
                self.verify_consumer_only()
                auth = "oauth1-consumer"
        else:
            raise XError(215)
        plist = [[k, v] for k, v in self.query_params + self.form_params
                 if not k.startswith("oauth_")]
        self.send_json(200, {"method": self.command, "path": self.req_path,
                             "params": plist, "auth": auth,
                             "screen_name": screen_name})

    # ---- control ------------------------------------------------------------

    def control(self):
        p = self.req_path
        m = self.command
        with STATE.lock:
            if m == "POST" and p == "/_fake/reset":
                STATE.reset()
                self.send_json(200, {"ok": True})
            elif m == "POST" and p == "/_fake/apps":
                key = self.param("consumer_key")
                secret = self.param("consumer_secret")
                if not key or not secret:
                    self.send_json(400, {"ok": False, "error":
                                         "consumer_key and consumer_secret"})
                    return
                STATE.issued_secrets.append(secret)
                STATE.apps[key] = {
                    "secret": secret,
                    "name": self.param("name") or "Test App",
                    "suspended": self.param("suspended") in ("1", "true")}
                self.send_json(200, {"ok": True})
            elif m == "POST" and p == "/_fake/clock":
                try:
                    STATE.clock_offset = float(self.param("offset") or "0")
                except ValueError:
                    self.send_json(400, {"ok": False, "error": "offset"})
                    return
                self.send_json(200, {"ok": True,
                                     "offset": STATE.clock_offset})
            elif m == "POST" and p == "/_fake/users":
                sn = (self.param("screen_name") or "").lower()
                lvl = self.param("access_level")
                if sn not in STATE.users or lvl not in LEVELS:
                    self.send_json(400, {"ok": False, "error":
                                         "screen_name / access_level"})
                    return
                STATE.users[sn]["max_level"] = lvl
                self.send_json(200, {"ok": True})
            elif m == "POST" and p == "/_fake/expire-request-tokens":
                for rt in STATE.request_tokens.values():
                    rt["expired"] = True
                self.send_json(200, {"ok": True,
                                     "expired": len(STATE.request_tokens)})
            elif m == "POST" and p == "/_fake/fault":
                self.control_fault()
            elif m == "POST" and p == "/_fake/pin-refusal":
                style = self.param("style")
                if style not in PIN_REFUSAL_STYLES:
                    self.send_json(400, {"ok": False, "error": "style"})
                    return
                STATE.pin_refusal = style
                self.send_json(200, {"ok": True})
            elif m == "POST" and p == "/_fake/param-source":
                path = self.param("path") or ""
                source = self.param("source")
                if not path.startswith("/") or source not in PARAM_SOURCES:
                    self.send_json(400, {"ok": False,
                                         "error": "path / source"})
                    return
                STATE.param_source[path] = source
                self.send_json(200, {"ok": True})
            elif m == "GET" and p == "/_fake/state":
                self.send_json(200, {
                    "ok": True,
                    "counts": STATE.counts,
                    "invalidated_access_tokens": STATE.invalidated_tokens,
                    "invalidated_bearers": STATE.invalidated_bearers,
                    "bearers": {k: STATE.bearers.get(k) for k in STATE.apps},
                    "last_oauth_param_names": STATE.last_oauth_names,
                    "last_authorization_scheme": STATE.last_scheme,
                    "clock_offset": STATE.clock_offset,
                    "faults": STATE.faults,
                })
            elif m == "GET" and p == "/_fake/issued-secrets":
                self.send_json(200, {"ok": True,
                                     "secrets": STATE.issued_secrets})
            elif m in ("GET", "POST") and p == "/_fake/verifier":
                tok = self.param("oauth_token") or ""
                rt = STATE.request_tokens.get(tok)
                if not rt:
                    self.send_json(404, {"ok": False,
                                         "error": "unknown request token"})
                    return
                if rt["verifier"] is None:
                    sn = (self.param("screen_name") or "alice").lower()
                    if sn not in STATE.users:
                        self.send_json(400, {"ok": False,
                                             "error": "unknown user"})
                        return
                    self.issue_pin(rt, STATE.users[sn])
                self.send_json(200, {"ok": True,
                                     "oauth_verifier": rt["verifier"],
                                     "screen_name": rt["user"]["screen_name"]})
            else:
                self.send_json(404, {"ok": False, "error": "no such control"})

    def control_fault(self):
        path = self.param("path") or ""
        kind = self.param("kind") or ""
        try:
            count = int(self.param("count") or "1")
            seconds = float(self.param("seconds") or "30")
        except ValueError:
            self.send_json(400, {"ok": False, "error": "count / seconds"})
            return
        if not path.startswith("/") or kind not in FAULT_KINDS or count < 0:
            self.send_json(400, {"ok": False, "error": "path / kind / count"})
            return
        if kind == "none":
            STATE.faults.pop(path, None)
        else:
            STATE.faults[path] = {"kind": kind, "count": count,
                                  "seconds": seconds,
                                  "status": self.param("status"),
                                  "location": self.param("location")}
        self.send_json(200, {"ok": True})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # never print a traceback: it could quote request data
        exc = sys.exc_info()[0]
        sys.stderr.write("fake-x-server: internal error %s\n"
                         % (exc.__name__ if exc else "?"))
        sys.stderr.flush()


def _watch_stdin():
    try:
        while True:
            chunk = os.read(0, 4096)
            if not chunk:
                break
    except OSError:
        pass
    os._exit(0)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Fake X API server (tests)")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--no-stdin-watch", action="store_true")
    args = ap.parse_args(argv)
    if args.host != "127.0.0.1":
        sys.stderr.write("fake-x-server: refusing to bind %s: only "
                         "127.0.0.1 is allowed\n" % args.host)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    httpd = Server(("127.0.0.1", args.port), Handler)
    sys.stdout.write("PORT=%d\n" % httpd.server_address[1])
    sys.stdout.flush()
    if not args.no_stdin_watch:
        threading.Thread(target=_watch_stdin, daemon=True).start()
    try:
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
