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
OAuth 2.0 user context (RFC 6749 §4.1 + RFC 7636 PKCE + RFC 7009), run by
oauthlib's WebApplicationServer with X's rules in its RequestValidator:
GET  /i/oauth2/authorize           X's consent page. response_type=code,
                                   client_id, redirect_uri (exactly as
                                   registered: port and path included),
                                   scope (X's scopes, allowed for the
                                   client), state (required),
                                   code_challenge (43 base64url) and
                                   code_challenge_method=S256 (plain or
                                   none refused). Unknown client, missing
                                   or unregistered redirect_uri: 400 HTML
                                   error page, never a redirect. Other
                                   errors: 302 to redirect_uri with
                                   error=…&error_description=…&state=…
                                   (RFC 6749 §4.1.2.1), or the page with
                                   /_fake/oauth2-authorize-errors mode=page.
                                   ?screen_name=NAME prefills the username.
POST /i/oauth2/authorize           form: auth_request (hidden), username,
                                   authorize=Authorize app | cancel=Cancel.
                                   302 to redirect_uri ?code=…&state=… or
                                   ?error=access_denied&state=…; each page
                                   answers once.
POST /2/oauth2/token               form only. grant_type=authorization_code
                                   (code: single use, 30 s; a second use
                                   ends the grant it gave; redirect_uri
                                   equal to the authorize one;
                                   code_verifier against the S256
                                   challenge) or refresh_token (rotates:
                                   the old one is spent; a spent one
                                   presented again ends the whole grant,
                                   RFC 9700). Confidential clients: HTTP
                                   Basic form-enc(id):form-enc(secret)
                                   (RFC 6749 §2.3.1), else 401
                                   {"error":"unauthorized_client",
                                   "error_description":"Missing valid
                                   authorization header"}; public clients:
                                   client_id in the body. 200 {"token_type":
                                   "bearer","expires_in","access_token",
                                   "scope"[,"refresh_token" with
                                   offline.access]}, no-store. Errors as X
                                   words them (style x, default): a bad
                                   code 400 {"error":"invalid_request",
                                   "error_description":"Value passed for
                                   the authorization code was invalid."}, a
                                   bad refresh token "...for the token was
                                   invalid."; style rfc: oauthlib's own
                                   (invalid_grant, invalid_client 401,
                                   unsupported_grant_type, ...).
POST /2/oauth2/revoke              form: token[, token_type_hint]; client
                                   auth as above. 200 {"revoked":true},
                                   also for an unknown token. A refresh
                                   token ends its grant; an access token
                                   only itself.
GET  /2/users/me                   also Authorization: Bearer <OAuth 2.0
                                   user access token>: needs tweet.read and
                                   users.read (else 403 v2 problem
                                   Forbidden); expired, revoked or ended:
                                   401 v2 problem. A bearer that is no
                                   OAuth 2.0 user token goes on as before.
Default clients (both with redirect_uri http://127.0.0.1:8477/callback
and every scope): confidential ``ZmFrZS1vYXV0aDItY2xpZW50LTAxMjM0NTY6MTpjaQ``
secret ``fake-oauth2-secret_0123456789-abcdefghijklmnopqrst``; public
``ZmFrZS1vYXV0aDItcHVibGljLTAxMjM0NTY6MTpuYQ``. Codes, access and refresh
tokens are X-shaped: base64 of "<43 random>:<ms>:1:1:ac|at|rt:1".
Anything else: 404 code 34.
Auth errors: no/garbled Authorization header or missing oauth_* params ->
400 code 215; |oauth_timestamp - server clock| > 300 s -> 401 code 135
(checked before oauthlib); bad signature, unknown key, reused nonce (same
key+token+nonce+timestamp), unsupported signature method -> 401 code 32;
unknown/revoked access token -> 401 code 89; suspended app -> 403 code 416.
Only the Authorization header carries OAuth1 parameters (oauth_* in query
or body are refused). Body parameters are read only with
Content-Type application/x-www-form-urlencoded.
Rate limit: 75 calls / 15 min per token and path (the 76th is 429 code 88);
with an OAuth 2.0 user token, per user and Client ID (a refresh does not
start a new window).

Rate limits and health checks (their own section below)
-------------------------------------------------------
X's published limits are enforced for the endpoints Birdhouse's health
check uses, each window 15 minutes: verify_credentials and /2/users/me 75
per user token (OAuth 1.0a user context), GET
/1.1/application/rate_limit_status.json 180 per App (app-only bearer).
POST oauth/request_token has no published limit and none is enforced.
Every 429 sent is counted ("rate_limited_responses" in /_fake/state).
GET  /1.1/application/rate_limit_status.json
                                   Bearer (app-only) only: {"rate_limit_
                                   context":{"application":KEY},
                                   "resources":{}} with x-rate-limit-*;
                                   an unknown or invalidated bearer: 401
                                   code 89; no bearer: 400 code 215.
POST /_fake/rate-limits            [window=S]: length in seconds of the
                                   windows that start from now on (a fake
                                   clock: tests need not wait 15 minutes;
                                   default 900); [remaining=N with
                                   screen_name=NAME (each of the user's
                                   tokens on verify_credentials) or
                                   consumer_key=KEY (the App's
                                   rate_limit_status)]: what is left of
                                   the current window, as if a script had
                                   spent the rest.
POST /_fake/health-users           count=N, [prefix=P]: adds users P001…
                                   (default prefix "user"), ids from 5001
                                   on, each call after the last.
GET  /_fake/rate-state             {"ok","rate_limited_responses",
                                   "remaining":{"KEY PATH":n}} (KEY a user
                                   id or a consumer key).
A 429 fault takes [reset_in=S] (default 900): its x-rate-limit-reset.

Control endpoints (no auth, loopback only; JSON {"ok":true,...})
----------------------------------------------------------------
POST /_fake/reset                  back to the initial state (also clears
                                   faults, clock offset, counters, and
                                   every OAuth 2.0 client, grant, token
                                   and setting).
POST /_fake/apps                   consumer_key, consumer_secret,
                                   [name], [suspended=1]: add or replace.
POST /_fake/regenerate-app-keys    consumer_key, consumer_secret (the new
                                   one), [new_consumer_key]: what the
                                   developer portal's "Regenerate" does as
                                   this server plays it: the old secret
                                   (and key) stop working at once, the
                                   App's bearer token is invalidated, and
                                   the access tokens of its users stay
                                   valid (they belong to the App, not to
                                   its key).
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
                                   Faults apply to the OAuth 2.0 paths
                                   too (not-bearer and no-token alter a
                                   /2/oauth2/token success).
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
POST /_fake/oauth2-client          client_id, [client_secret] (confidential;
                                   none: public), redirect_uri (repeat for
                                   more), [scopes] (space-separated, default
                                   all of X's), [name]: add or replace.
POST /_fake/oauth2-lifetime        seconds=N (access token lifetime,
                                   default 7200), [code_seconds=N]
                                   (authorization code, default 30).
POST /_fake/oauth2-clock           offset=S or advance=S: the OAuth 2.0
                                   clock (codes, token expiry) runs S
                                   seconds ahead of the server clock.
POST /_fake/oauth2-errors          style=x|rfc (see /2/oauth2/token).
POST /_fake/oauth2-authorize-errors mode=redirect|page.
GET  /_fake/oauth2-state           {"ok","token_calls":{"authorization_code"
                                   :n,"refresh_token":n,"other":n},
                                   "revoke_calls","spent_refresh_tokens":
                                   [...],"revoked_tokens":[...],
                                   "reuse_detected":bool,"grants":[{"id",
                                   "client_id","user","scopes","ended":
                                   null|"refresh-reuse"|"code-reuse"|
                                   "revoked","refreshes","access_tokens",
                                   "refresh_tokens"}],"pending_
                                   authorizations","last_client_auth":
                                   "basic"|"client_id"|null,"clients",
                                   "access_token_lifetime","code_lifetime",
                                   "clock_offset","error_style",
                                   "authorize_errors"}.
                                   Client secrets, codes, access and
                                   refresh tokens are all in
                                   /_fake/issued-secrets.
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
import re
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
from oauthlib.oauth2 import RequestValidator as OAuth2RequestValidator
from oauthlib.oauth2 import WebApplicationServer
from oauthlib.common import add_params_to_uri
from oauthlib.oauth2.rfc6749 import errors as OAuth2Errors

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
            # Rate limits and health checks (see their section)
            self.rate_window = RATE_WINDOW   # seconds of a window started now
            self.rate_limited_responses = 0  # every 429 sent
            self.reset_oauth2()

    def reset_oauth2(self):
        self.oauth2_clients = {}
        for cid, sec in ((DEFAULT_OAUTH2_CLIENT_ID,
                          DEFAULT_OAUTH2_CLIENT_SECRET),
                         (DEFAULT_OAUTH2_PUBLIC_ID, None)):
            self.oauth2_clients[cid] = Oauth2Client(
                cid, sec, [DEFAULT_OAUTH2_REDIRECT], OAUTH2_SCOPES,
                DEFAULT_OAUTH2_APP_NAME)
        self.issued_secrets.append(DEFAULT_OAUTH2_CLIENT_SECRET)
        self.oauth2_pending = {}      # authorize page id -> request
        self.oauth2_codes = {}        # code -> record
        self.oauth2_grants = {}       # id -> grant
        self.oauth2_grant_seq = 0
        self.oauth2_access = {}       # access token -> record
        self.oauth2_refresh = {}      # refresh token -> record
        self.oauth2_spent_refresh = []
        self.oauth2_revoked = []
        self.oauth2_calls = {}        # grant_type -> token endpoint calls
        self.oauth2_revoke_calls = 0
        self.oauth2_last_client_auth = None
        self.oauth2_lifetime = OAUTH2_ACCESS_LIFETIME
        self.oauth2_code_lifetime = OAUTH2_CODE_LIFETIME
        self.oauth2_clock_offset = 0.0
        self.oauth2_error_style = "x"
        self.oauth2_authorize_errors = "redirect"

    def oauth2_now(self):
        return self.now() + self.oauth2_clock_offset

    def now(self):
        return time.time() + self.clock_offset

    def user_by_id(self, uid):
        for u in self.users.values():
            if u["id"] == uid:
                return u
        return None



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


# --------------------------------------------------------------------------
# OAuth 2.0 user context (authorization code + PKCE), on oauthlib's
# WebApplicationServer with X's rules in the validator
# --------------------------------------------------------------------------

# X's Client IDs are base64 of "<id>:1:ci" (confidential) or ":1:na"
# (native, public); secrets are 50 characters of [A-Za-z0-9_-].
DEFAULT_OAUTH2_CLIENT_ID = "ZmFrZS1vYXV0aDItY2xpZW50LTAxMjM0NTY6MTpjaQ"
DEFAULT_OAUTH2_CLIENT_SECRET = \
    "fake-oauth2-secret_0123456789-abcdefghijklmnopqrst"
DEFAULT_OAUTH2_PUBLIC_ID = "ZmFrZS1vYXV0aDItcHVibGljLTAxMjM0NTY6MTpuYQ"
DEFAULT_OAUTH2_REDIRECT = "http://127.0.0.1:8477/callback"
DEFAULT_OAUTH2_APP_NAME = "Birdhouse OAuth 2.0 Test App"

# X's scopes (developer documentation, "OAuth 2.0 scopes").
OAUTH2_SCOPES = (
    "tweet.read", "tweet.write", "tweet.moderate.write", "users.read",
    "users.email", "follows.read", "follows.write", "offline.access",
    "space.read", "mute.read", "mute.write", "like.read", "like.write",
    "list.read", "list.write", "block.read", "block.write",
    "bookmark.read", "bookmark.write", "dm.read", "dm.write", "media.write")
USERS_ME_SCOPES = ("tweet.read", "users.read")

OAUTH2_ACCESS_LIFETIME = 7200      # X: two hours
OAUTH2_CODE_LIFETIME = 30          # X: "valid for 30 seconds"
OAUTH2_PENDING_LIFETIME = 600      # an authorize page left open
OAUTH2_ERROR_STYLES = ("x", "rfc")
OAUTH2_AUTHORIZE_ERROR_MODES = ("redirect", "page")

PKCE_CHALLENGE_RE = re.compile(r"[A-Za-z0-9_-]{43}")
PKCE_VERIFIER_RE = re.compile(r"[A-Za-z0-9._~-]{43,128}")

# X's words at /2/oauth2/token (observed answers, not the RFC's codes).
X_BAD_CODE = "Value passed for the authorization code was invalid."
X_BAD_TOKEN = "Value passed for the token was invalid."
X_NO_BASIC = "Missing valid authorization header"

V2_FORBIDDEN = {"title": "Forbidden", "type": "about:blank",
                "status": 403, "detail": "Forbidden"}


def x_oauth2_token(kind):
    """An X-shaped OAuth 2.0 credential: base64 (no padding) of
    "<43 random>:<ms>:1:1:<kind>:1", kind ac (code), at or rt."""
    raw = "%s:%d:1:1:%s:1" % (
        "".join(secrets.choice(ALNUM + "-_") for _ in range(43)),
        int(STATE.oauth2_now() * 1000), kind)
    return base64.b64encode(raw.encode("ascii")).decode("ascii").rstrip("=")


class Oauth2Client:
    def __init__(self, client_id, secret, redirect_uris, scopes, name):
        self.client_id = client_id
        self.secret = secret or None
        self.redirect_uris = list(redirect_uris)
        self.scopes = set(scopes)
        self.name = name

    @property
    def confidential(self):
        return self.secret is not None


def basic_pair(auth):
    """RFC 6749 §2.3.1: Basic base64(form-enc(id) ":" form-enc(secret)).
    Returns (id, secret) decoded, or None."""
    if not auth or auth.strip().split(" ", 1)[0].lower() != "basic" or \
            " " not in auth.strip():
        return None
    try:
        raw = base64.b64decode(auth.strip().split(" ", 1)[1].strip(),
                               validate=True).decode("utf-8")
    except Exception:
        return None
    if ":" not in raw:
        return None
    cid, _, sec = raw.partition(":")
    return (urllib.parse.unquote_plus(cid), urllib.parse.unquote_plus(sec))


class X2RequestValidator(OAuth2RequestValidator):
    """X's OAuth 2.0 rules for oauthlib. Called with STATE.lock held."""

    # -- clients --------------------------------------------------------

    def _set_client(self, request, client):
        request.client = client
        request.client_id = client.client_id

    def client_authentication_required(self, request, *args, **kwargs):
        if basic_pair(request.headers.get("Authorization")) is not None:
            return True
        c = STATE.oauth2_clients.get(request.client_id or "")
        return bool(c and c.confidential)

    def authenticate_client(self, request, *args, **kwargs):
        pair = basic_pair(request.headers.get("Authorization"))
        if pair is None:
            return False
        cid, sec = pair
        c = STATE.oauth2_clients.get(cid)
        if c is None or not c.confidential:
            return False
        if not secrets.compare_digest(c.secret.encode("utf-8"),
                                      sec.encode("utf-8")):
            return False
        # a client_id in the body must name the same client
        if request.client_id is not None and request.client_id != cid:
            return False
        self._set_client(request, c)
        STATE.oauth2_last_client_auth = "basic"
        return True

    def authenticate_client_id(self, client_id, request, *args, **kwargs):
        c = STATE.oauth2_clients.get(client_id or "")
        if c is None or c.confidential:
            return False
        self._set_client(request, c)
        STATE.oauth2_last_client_auth = "client_id"
        return True

    def validate_client_id(self, client_id, request, *args, **kwargs):
        return client_id in STATE.oauth2_clients

    # -- authorization request ----------------------------------------

    def validate_redirect_uri(self, client_id, redirect_uri, request,
                              *args, **kwargs):
        c = STATE.oauth2_clients.get(client_id)
        # exact match: scheme, host, port, path, nothing more or less
        return bool(c) and redirect_uri in c.redirect_uris

    def get_default_redirect_uri(self, client_id, request, *args, **kwargs):
        return None          # X needs redirect_uri in every request

    def validate_response_type(self, client_id, response_type, client,
                               request, *args, **kwargs):
        return response_type == "code"

    def is_pkce_required(self, client_id, request):
        return True

    def get_default_scopes(self, client_id, request, *args, **kwargs):
        return []

    def validate_scopes(self, client_id, scopes, client, request, *args,
                        **kwargs):
        c = STATE.oauth2_clients.get(client_id)
        return bool(c and scopes and
                    all(s in OAUTH2_SCOPES and s in c.scopes
                        for s in scopes))

    def save_authorization_code(self, client_id, code, request, *args,
                                **kwargs):
        # oauthlib puts @code into the redirect after this: make it X's.
        value = x_oauth2_token("ac")
        code["code"] = value
        STATE.issued_secrets.append(value)
        STATE.oauth2_codes[value] = {
            "client_id": client_id,
            "redirect_uri": request.redirect_uri,
            "challenge": request.code_challenge,
            "method": request.code_challenge_method,
            "scopes": list(request.scopes),
            "user": request.user,
            "issued": STATE.oauth2_now(),
            "used": False,
            "grant": None,
        }

    # -- token request: code ------------------------------------------

    def validate_grant_type(self, client_id, grant_type, client, request,
                            *args, **kwargs):
        return grant_type in ("authorization_code", "refresh_token")

    def validate_code(self, client_id, code, client, request, *args,
                      **kwargs):
        rec = STATE.oauth2_codes.get(code)
        if rec is None or rec["client_id"] != client_id:
            return False
        if rec["used"]:
            # RFC 6749 §4.1.2: a code used twice revokes what it gave
            if rec["grant"] is not None:
                end_grant(rec["grant"], "code-reuse")
            return False
        if STATE.oauth2_now() - rec["issued"] > STATE.oauth2_code_lifetime:
            return False
        verifier = request.code_verifier
        if verifier is not None and not PKCE_VERIFIER_RE.fullmatch(verifier):
            return False     # RFC 7636 §4.1: 43-128 unreserved characters
        request.user = rec["user"]
        request.scopes = list(rec["scopes"])
        request.bh_code = rec
        return True

    def get_code_challenge(self, code, request):
        rec = STATE.oauth2_codes.get(code)
        return rec["challenge"] if rec else None

    def get_code_challenge_method(self, code, request):
        rec = STATE.oauth2_codes.get(code)
        return rec["method"] if rec else None

    def confirm_redirect_uri(self, client_id, code, redirect_uri, client,
                             request, *args, **kwargs):
        rec = STATE.oauth2_codes.get(code)
        if rec is None or rec["redirect_uri"] != redirect_uri:
            # RFC 6749 §5.2: invalid_grant (oauthlib would say
            # invalid_request)
            raise OAuth2Errors.InvalidGrantError(
                description="redirect_uri does not match", request=request)
        return True

    def invalidate_authorization_code(self, client_id, code, request,
                                      *args, **kwargs):
        rec = STATE.oauth2_codes.get(code)
        if rec is not None:
            rec["used"] = True

    # -- token request: refresh ---------------------------------------

    def validate_refresh_token(self, refresh_token, client, request, *args,
                               **kwargs):
        rec = STATE.oauth2_refresh.get(refresh_token)
        if rec is None:
            return False
        grant = STATE.oauth2_grants[rec["grant"]]
        if grant["client_id"] != client.client_id:
            return False
        if grant["ended"]:
            return False
        if rec["spent"]:
            # RFC 9700 §4.14.2: a rotated refresh token presented again
            # means two parties hold the grant: end all of it.
            end_grant(grant["id"], "refresh-reuse")
            return False
        request.user = grant["user"]
        request.bh_grant = grant
        request.bh_refresh = refresh_token
        return True

    def get_original_scopes(self, refresh_token, request, *args, **kwargs):
        rec = STATE.oauth2_refresh.get(refresh_token)
        return list(STATE.oauth2_grants[rec["grant"]]["scopes"]) if rec \
            else []

    def is_within_original_scope(self, request_scopes, refresh_token,
                                 request, *args, **kwargs):
        return False

    def rotate_refresh_token(self, request):
        return True

    # -- issuing ------------------------------------------------------

    def save_bearer_token(self, token, request, *args, **kwargs):
        now = STATE.oauth2_now()
        if request.grant_type == "authorization_code":
            STATE.oauth2_grant_seq += 1
            grant = {"id": STATE.oauth2_grant_seq,
                     "client_id": request.client_id,
                     "user": request.user,
                     "scopes": list(request.scopes),
                     "ended": None, "refreshes": 0,
                     "access_tokens": [], "refresh_tokens": []}
            STATE.oauth2_grants[grant["id"]] = grant
            request.bh_code["grant"] = grant["id"]
        else:
            grant = request.bh_grant
            grant["refreshes"] += 1
            old = STATE.oauth2_refresh[request.bh_refresh]
            old["spent"] = True
            STATE.oauth2_spent_refresh.append(request.bh_refresh)
        # a refresh token only with offline.access (X's rule)
        if "offline.access" not in grant["scopes"]:
            token.pop("refresh_token", None)
        at = token["access_token"]
        STATE.oauth2_access[at] = {
            "grant": grant["id"], "scopes": list(request.scopes),
            "expires_at": now + token["expires_in"], "revoked": False}
        grant["access_tokens"].append(at)
        STATE.issued_secrets.append(at)
        rt = token.get("refresh_token")
        if rt:
            STATE.oauth2_refresh[rt] = {"grant": grant["id"], "spent": False}
            grant["refresh_tokens"].append(rt)
            STATE.issued_secrets.append(rt)

    # -- revocation and resources -------------------------------------

    def revoke_token(self, token, token_type_hint, request, *args,
                     **kwargs):
        cid = request.client.client_id
        at = STATE.oauth2_access.get(token)
        rt = STATE.oauth2_refresh.get(token)
        if at and STATE.oauth2_grants[at["grant"]]["client_id"] == cid:
            at["revoked"] = True
            STATE.oauth2_revoked.append(token)
        elif rt and STATE.oauth2_grants[rt["grant"]]["client_id"] == cid:
            # RFC 7009 §2.1: a refresh token takes its grant with it
            STATE.oauth2_revoked.append(token)
            end_grant(rt["grant"], "revoked")

    def validate_bearer_token(self, token, scopes, request):
        rec = STATE.oauth2_access.get(token or "")
        if rec is None:
            request.bh_reason = "unknown"
            return False
        grant = STATE.oauth2_grants[rec["grant"]]
        if rec["revoked"] or grant["ended"]:
            request.bh_reason = "revoked"
            return False
        if STATE.oauth2_now() >= rec["expires_at"]:
            request.bh_reason = "expired"
            return False
        if not all(s in rec["scopes"] for s in scopes):
            request.bh_reason = "scope"
            return False
        request.bh_grant = grant
        request.user = grant["user"]
        return True


def end_grant(grant_id, reason):
    """Every access and refresh token of the grant stops working."""
    grant = STATE.oauth2_grants[grant_id]
    if grant["ended"] is None:
        grant["ended"] = reason
    for at in grant["access_tokens"]:
        STATE.oauth2_access[at]["revoked"] = True
    for rt in grant["refresh_tokens"]:
        STATE.oauth2_refresh[rt]["spent"] = True


OAUTH2_VALIDATOR = X2RequestValidator()
OAUTH2_SERVER = WebApplicationServer(
    OAUTH2_VALIDATOR,
    token_generator=lambda request: x_oauth2_token("at"),
    refresh_token_generator=lambda request: x_oauth2_token("rt"),
    token_expires_in=lambda request: STATE.oauth2_lifetime)
# S256 only: "plain" (and a missing method, which RFC 7636 reads as plain)
# is refused.
OAUTH2_SERVER.auth_grant._code_challenge_methods = {
    "S256": OAUTH2_SERVER.auth_grant._code_challenge_methods["S256"]}


def oauth2_state():
    grants = []
    for g in STATE.oauth2_grants.values():
        grants.append({"id": g["id"], "client_id": g["client_id"],
                       "user": g["user"], "scopes": g["scopes"],
                       "ended": g["ended"], "refreshes": g["refreshes"],
                       "access_tokens": len(g["access_tokens"]),
                       "refresh_tokens": len(g["refresh_tokens"])})
    return {
        "ok": True,
        "token_calls": dict(STATE.oauth2_calls),
        "revoke_calls": STATE.oauth2_revoke_calls,
        "spent_refresh_tokens": list(STATE.oauth2_spent_refresh),
        "revoked_tokens": list(STATE.oauth2_revoked),
        "reuse_detected": any(g["ended"] == "refresh-reuse"
                              for g in STATE.oauth2_grants.values()),
        "grants": grants,
        "pending_authorizations": len(STATE.oauth2_pending),
        "last_client_auth": STATE.oauth2_last_client_auth,
        "clients": {c.client_id: {"confidential": c.confidential,
                                  "redirect_uris": c.redirect_uris}
                    for c in STATE.oauth2_clients.values()},
        "access_token_lifetime": STATE.oauth2_lifetime,
        "code_lifetime": STATE.oauth2_code_lifetime,
        "clock_offset": STATE.oauth2_clock_offset,
        "error_style": STATE.oauth2_error_style,
        "authorize_errors": STATE.oauth2_authorize_errors,
    }


# After the OAuth 2.0 definitions, which its reset() uses.
STATE = State()


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


def oauth2_error_page(error, description):
    """X's answer to an authorize request it cannot send back: a page for
    the person, never a redirect (RFC 6749 §4.1.2.1)."""
    e = html.escape
    return page("X / Error",
                "<h1>Something went wrong</h1><p>You weren't able to give "
                "access to the App. Go back and try logging in again.</p>"
                "<p id=\"oauth2_error\" data-error=\"%s\">%s</p>"
                % (e(error), e(description)))


OAUTH2_PENDING_GONE_PAGE = oauth2_error_page(
    "invalid_request", "This authorization request expired or was "
    "already answered.")


def oauth2_authorize_page(pid, pending, username, error=None):
    e = html.escape
    client = STATE.oauth2_clients.get(pending["client_id"])
    name = client.name if client else "?"
    parts = ["<h1>%s wants to access your X account</h1>" % e(name)]
    if error:
        parts.append("<p class=\"error\">%s</p>" % e(error))
    parts.append("<form method=\"post\" action=\"/i/oauth2/authorize\" "
                 "id=\"oauth2_form\">")
    parts.append("<input type=\"hidden\" name=\"authenticity_token\" "
                 "value=\"%s\">" % rand_alnum(16))
    parts.append("<input type=\"hidden\" name=\"auth_request\" "
                 "value=\"%s\">" % e(pid))
    parts.append("<label for=\"username_or_email\">Username</label> "
                 "<input type=\"text\" name=\"username\" "
                 "id=\"username_or_email\" value=\"%s\">" % e(username))
    parts.append("<input type=\"submit\" name=\"authorize\" "
                 "value=\"Authorize app\" id=\"allow\">")
    parts.append("<input type=\"submit\" name=\"cancel\" value=\"Cancel\" "
                 "id=\"cancel\">")
    parts.append("</form>")
    parts.append("<ul id=\"scopes\">%s</ul>" % "".join(
        "<li>%s</li>" % e(s) for s in pending["scopes"]))
    return page("X / Authorize %s" % name, "\n".join(parts))


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
            headers = dict(self.rate_headers_exhausted(), **(headers or {}))
            STATE.rate_limited_responses += 1
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
                    self.send_x_error(FAULT_TO_CODE[kind],
                                      fault_reset_headers(extra))
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
            ("GET", RATE_STATUS_PATH): self.h_rate_limit_status,
            ("GET", "/i/oauth2/authorize"): self.h_oauth2_authorize_get,
            ("POST", "/i/oauth2/authorize"): self.h_oauth2_authorize_post,
            ("POST", "/2/oauth2/token"): self.h_oauth2_user_token,
            ("POST", "/2/oauth2/revoke"): self.h_oauth2_revoke,
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
        return spend_rate(tok, self.req_path)

    def h_verify_credentials(self):
        tok, at = self.verify_user_context()
        headers = self.rate_headers(tok)
        headers["x-access-level"] = at["level"]
        user = dict(STATE.users[at["user"]])
        if self.alter == "hostile-name":
            user["name"] = HOSTILE_TEXT
        self.send_json(200, user_object(user), headers)

    def h_users_me(self):
        o2 = self.oauth2_user_context()
        if o2 is not None:
            tok, grant = o2
            u = STATE.users[grant["user"]]
            name = HOSTILE_TEXT if self.alter == "hostile-name" \
                else u["name"]
            self.send_json(200, {"data": {"id": u["id"], "name": name,
                                          "username": u["screen_name"]}},
                           self.rate_headers(oauth2_rate_key(grant)))
            return
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

    # ---- OAuth 2.0 user context ----------------------------------------

    def oauth2_authorize_error(self, err, redirect_uri, state):
        """An authorize error that may go back to the client (RFC 6749
        §4.1.2.1), or a page when /_fake/oauth2-authorize-errors says."""
        if STATE.oauth2_authorize_errors == "page" or not redirect_uri:
            self.send(400, oauth2_error_page(err.error, err.description),
                      HTML_TYPE)
            return
        pairs = [("error", err.error)]
        if err.description:
            pairs.append(("error_description", err.description))
        if state:
            pairs.append(("state", state))
        self.send_redirect(add_params_to_uri(redirect_uri, pairs))

    def send_redirect(self, location):
        self.send(302, "", TEXT_TYPE, {"Location": location,
                                       "Cache-Control": "no-store"})

    def h_oauth2_authorize_get(self):
        uri = self.full_uri()
        try:
            scopes, info = OAUTH2_SERVER.validate_authorization_request(
                uri, http_method="GET")
        except OAuth2Errors.FatalClientError as err:
            # unknown client, missing or unregistered redirect_uri
            self.send(400, oauth2_error_page(err.error, err.description),
                      HTML_TYPE)
            return
        except OAuth2Errors.OAuth2Error as err:
            self.oauth2_authorize_error(err, err.redirect_uri, err.state)
            return
        state = info.get("state")
        redirect_uri = info["redirect_uri"]
        # X's own requirements beyond oauthlib's
        if not state:
            self.oauth2_authorize_error(OAuth2Errors.InvalidRequestError(
                description="Missing state parameter."), redirect_uri, None)
            return
        if not PKCE_CHALLENGE_RE.fullmatch(info.get("code_challenge") or ""):
            self.oauth2_authorize_error(OAuth2Errors.InvalidRequestError(
                description="Invalid code_challenge."), redirect_uri, state)
            return
        pid = rand_alnum(24)
        STATE.oauth2_pending[pid] = {
            "uri": uri, "client_id": info["client_id"], "scopes": scopes,
            "redirect_uri": redirect_uri, "state": state,
            "created": STATE.oauth2_now()}
        name = self.param("screen_name") or "alice"
        self.send(200, oauth2_authorize_page(pid, STATE.oauth2_pending[pid],
                                             name), HTML_TYPE,
                  {"Cache-Control": "no-store"})

    def h_oauth2_authorize_post(self):
        pid = self.param("auth_request") or ""
        pending = STATE.oauth2_pending.get(pid)
        if pending and STATE.oauth2_now() - pending["created"] > \
                OAUTH2_PENDING_LIFETIME:
            STATE.oauth2_pending.pop(pid, None)
            pending = None
        if not pending:
            self.send(400, OAUTH2_PENDING_GONE_PAGE, HTML_TYPE)
            return
        if self.param("cancel") is not None and \
                self.param("authorize") is None:
            STATE.oauth2_pending.pop(pid, None)
            self.send_redirect(add_params_to_uri(
                pending["redirect_uri"],
                [("error", "access_denied"), ("state", pending["state"])]))
            return
        username = (self.param("username") or "").lstrip("@").lower()
        if self.param("authorize") is None or username not in STATE.users:
            self.send(200, oauth2_authorize_page(
                pid, pending, username,
                "Press Authorize app or Cancel." if
                self.param("authorize") is None else
                "The username you entered did not match our records."),
                HTML_TYPE)
            return
        STATE.oauth2_pending.pop(pid, None)
        headers, _, status = OAUTH2_SERVER.create_authorization_response(
            pending["uri"], http_method="GET", scopes=pending["scopes"],
            credentials={"user": username})
        if status != 302 or "Location" not in headers:
            self.send(500, oauth2_error_page("server_error", "?"), HTML_TYPE)
            return
        self.send_redirect(headers["Location"])

    def oauth2_headers(self):
        h = {}
        if self.auth is not None:
            h["Authorization"] = self.auth
        if self.is_form:
            h["Content-Type"] = self.headers.get("Content-Type")
        return h

    def oauth2_precheck(self):
        """What X refuses before any OAuth 2.0 logic: a body that is not a
        form, and a confidential client that did not use HTTP Basic."""
        if not self.is_form:
            self.send_json(400, {"error": "invalid_request",
                                 "error_description": "Content-Type must "
                                 "be application/x-www-form-urlencoded"})
            return False
        scheme = (self.scheme() or "").lower()
        cid = None
        for k, v in self.form_params:
            if k == "client_id":
                cid = v
        c = STATE.oauth2_clients.get(cid or "")
        if scheme != "basic" and c is not None and c.confidential:
            if STATE.oauth2_error_style == "x":
                self.send_json(401, {"error": "unauthorized_client",
                                     "error_description": X_NO_BASIC})
            else:
                self.send_json(401, {"error": "invalid_client"},
                               {"WWW-Authenticate": "Basic realm=\"X\""})
            return False
        return True

    def send_oauth2_error(self, status, body, grant_type=None):
        try:
            obj = json.loads(body)
        except ValueError:
            obj = {"error": "server_error"}
        headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        if status == 401:
            headers["WWW-Authenticate"] = "Basic realm=\"X\""
        if STATE.oauth2_error_style == "x" and \
                obj.get("error") == "invalid_grant":
            obj = {"error": "invalid_request",
                   "error_description": X_BAD_TOKEN if
                   grant_type == "refresh_token" else X_BAD_CODE}
        self.send_json(status, obj, headers)

    def h_oauth2_user_token(self):
        grant_type = None
        for k, v in self.form_params:
            if k == "grant_type":
                grant_type = v
        key = grant_type if grant_type in ("authorization_code",
                                           "refresh_token") else "other"
        STATE.oauth2_calls[key] = STATE.oauth2_calls.get(key, 0) + 1
        STATE.oauth2_last_client_auth = None
        if not self.oauth2_precheck():
            return
        headers, body, status = OAUTH2_SERVER.create_token_response(
            self.full_uri(), http_method="POST", body=self.body_text,
            headers=self.oauth2_headers())
        if status != 200:
            self.send_oauth2_error(status, body, grant_type)
            return
        tok = json.loads(body)
        # X's shape and order; token_type in lower case
        obj = {"token_type": "bearer", "expires_in": tok["expires_in"],
               "access_token": tok["access_token"], "scope": tok["scope"]}
        if tok.get("refresh_token"):
            obj["refresh_token"] = tok["refresh_token"]
        if self.alter == "not-bearer":
            obj["token_type"] = "mac"
        elif self.alter == "no-token":
            del obj["access_token"]
        self.send_json(200, obj, {"Cache-Control": "no-store",
                                  "Pragma": "no-cache"})

    def h_oauth2_revoke(self):
        STATE.oauth2_revoke_calls += 1
        STATE.oauth2_last_client_auth = None
        if not self.oauth2_precheck():
            return
        headers, body, status = OAUTH2_SERVER.create_revocation_response(
            self.full_uri(), http_method="POST", body=self.body_text,
            headers=self.oauth2_headers())
        if status != 200:
            self.send_oauth2_error(status, body)
            return
        # RFC 7009 §2.2: 200 also for a token we do not know
        self.send_json(200, {"revoked": True})

    def oauth2_user_context(self):
        """(token, grant) for an OAuth 2.0 user access token in
        Authorization: Bearer; None when the bearer is none of ours (the
        caller goes on as before). Raises for a dead or narrow token."""
        if (self.scheme() or "").lower() != "bearer":
            return None
        tok = self.auth.strip().split(" ", 1)[1].strip() \
            if " " in self.auth.strip() else ""
        if tok not in STATE.oauth2_access:
            return None
        ok, req = OAUTH2_SERVER.verify_request(
            self.full_uri(), http_method=self.command, body="",
            headers={"Authorization": self.auth},
            scopes=list(USERS_ME_SCOPES))
        if not ok:
            if getattr(req, "bh_reason", None) == "scope":
                raise PlainError(403, json.dumps(V2_FORBIDDEN),
                                 "application/problem+json")
            raise PlainError(401, json.dumps(V2_UNAUTHORIZED),
                             "application/problem+json")
        return tok, req.bh_grant

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
            elif m == "POST" and p == "/_fake/regenerate-app-keys":
                key = self.param("consumer_key")
                secret = self.param("consumer_secret")
                new_key = self.param("new_consumer_key") or key
                if key not in STATE.apps or not secret:
                    self.send_json(400, {"ok": False, "error":
                                         "consumer_key and consumer_secret"})
                    return
                STATE.issued_secrets.append(secret)
                app = STATE.apps.pop(key)
                app["secret"] = secret
                STATE.apps[new_key] = app
                bearer = STATE.bearers.pop(key, None)
                if bearer is not None:
                    STATE.bearer_index.pop(bearer, None)
                    STATE.invalidated_bearers.append(bearer)
                for at in STATE.access_tokens.values():
                    if at["app"] == key:
                        at["app"] = new_key
                for (a, uid) in list(STATE.user_app_token):
                    if a == key:
                        STATE.user_app_token[(new_key, uid)] = \
                            STATE.user_app_token.pop((a, uid))
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
            elif m == "POST" and p == "/_fake/oauth2-client":
                self.control_oauth2_client()
            elif m == "POST" and p == "/_fake/oauth2-lifetime":
                try:
                    secs = int(self.param("seconds") or
                               str(OAUTH2_ACCESS_LIFETIME))
                    code = int(self.param("code_seconds") or
                               str(STATE.oauth2_code_lifetime))
                except ValueError:
                    secs = code = -1
                if secs < 1 or code < 1:
                    self.send_json(400, {"ok": False, "error":
                                         "seconds / code_seconds"})
                    return
                STATE.oauth2_lifetime = secs
                STATE.oauth2_code_lifetime = code
                self.send_json(200, {"ok": True, "seconds": secs,
                                     "code_seconds": code})
            elif m == "POST" and p == "/_fake/oauth2-clock":
                try:
                    if self.param("advance") is not None:
                        STATE.oauth2_clock_offset += float(
                            self.param("advance"))
                    else:
                        STATE.oauth2_clock_offset = float(
                            self.param("offset") or "0")
                except ValueError:
                    self.send_json(400, {"ok": False, "error": "offset"})
                    return
                self.send_json(200, {"ok": True,
                                     "offset": STATE.oauth2_clock_offset})
            elif m == "POST" and p == "/_fake/oauth2-errors":
                style = self.param("style")
                if style not in OAUTH2_ERROR_STYLES:
                    self.send_json(400, {"ok": False, "error": "style"})
                    return
                STATE.oauth2_error_style = style
                self.send_json(200, {"ok": True})
            elif m == "POST" and p == "/_fake/oauth2-authorize-errors":
                mode = self.param("mode")
                if mode not in OAUTH2_AUTHORIZE_ERROR_MODES:
                    self.send_json(400, {"ok": False, "error": "mode"})
                    return
                STATE.oauth2_authorize_errors = mode
                self.send_json(200, {"ok": True})
            elif m == "GET" and p == "/_fake/oauth2-state":
                self.send_json(200, oauth2_state())
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
            elif not self.control_rate():
                self.send_json(404, {"ok": False, "error": "no such control"})

    def control_oauth2_client(self):
        cid = self.param("client_id") or ""
        uris = [v for k, v in self.query_params + self.form_params
                if k == "redirect_uri"]
        scopes = (self.param("scopes") or " ".join(OAUTH2_SCOPES)).split()
        if not _printable(cid, 1, 256, allow_space=True) or not uris or \
                any(s not in OAUTH2_SCOPES for s in scopes):
            self.send_json(400, {"ok": False, "error": "client_id / "
                                 "redirect_uri / scopes"})
            return
        secret = self.param("client_secret") or None
        if secret:
            STATE.issued_secrets.append(secret)
        STATE.oauth2_clients[cid] = Oauth2Client(
            cid, secret, uris, scopes, self.param("name") or "Test App")
        self.send_json(200, {"ok": True, "confidential": bool(secret)})

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
                                  "reset_in": self.param("reset_in"),
                                  "location": self.param("location")}
        self.send_json(200, {"ok": True})


# --------------------------------------------------------------------------
# Rate limits and health checks
# --------------------------------------------------------------------------
# X's published limits for what Birdhouse's health check asks, per 15-minute
# window:
# - GET 1.1/account/verify_credentials: 75 per user (user auth), "Requests /
#   15-min window (user auth) 75", https://developer.x.com/en/docs/accounts-
#   and-users/manage-account-settings/api-reference/get-account-
#   verify_credentials; GET /2/users/me likewise 75 per user.
# - GET 1.1/application/rate_limit_status: 180 per App with app auth,
#   "Requests / 15-min window (app auth) 180", https://developer.twitter.com/
#   en/docs/twitter-api/v1/developer-utilities/rate-limit-status/api-
#   reference/get-application-rate_limit_status.
# - Limits count per access token for user context and per App for an
#   app-only bearer, separately (https://developer.x.com/en/docs/twitter-api/
#   rate-limits, "Rate limits and authentication method").
# POST oauth/request_token and POST oauth2/token have no published limit:
# none is enforced.

RATE_STATUS_PATH = "/1.1/application/rate_limit_status.json"
RATE_LIMITS = {
    "/1.1/account/verify_credentials.json": RATE_LIMIT,
    "/2/users/me": RATE_LIMIT,
    RATE_STATUS_PATH: 180,
}


def spend_rate(key, path):
    """One request of KEY's (a token or an App key) window on PATH: its
    x-rate-limit-* headers, or XError 88 when the window is spent."""
    limit = RATE_LIMITS.get(path, RATE_LIMIT)
    now = STATE.now()
    remaining, reset = STATE.rate.get((key, path), (limit, 0))
    if reset <= now:
        remaining, reset = limit, int(now + STATE.rate_window)
    if remaining <= 0:
        raise XError(88)
    remaining -= 1
    STATE.rate[(key, path)] = (remaining, reset)
    return {"x-rate-limit-limit": limit,
            "x-rate-limit-remaining": remaining,
            "x-rate-limit-reset": reset}


def oauth2_rate_key(grant):
    """X counts a user-context window per user and App, not per access
    token: a refreshed OAuth 2.0 token spends the same window."""
    return ("oauth2", grant["client_id"], grant["user"])


def set_rate_remaining(key, path, remaining):
    limit = RATE_LIMITS.get(path, RATE_LIMIT)
    now = STATE.now()
    _, reset = STATE.rate.get((key, path), (limit, 0))
    if reset <= now:
        reset = int(now + STATE.rate_window)
    STATE.rate[(key, path)] = (min(limit, remaining), reset)


def fault_reset_headers(fault):
    """x-rate-limit-reset of a 429 fault with reset_in=S."""
    if not fault or not fault.get("reset_in"):
        return None
    return {"x-rate-limit-reset":
            int(STATE.now() + float(fault["reset_in"]))}


class RateLimitHandlers:
    """The handler's part of this section (mixed into Handler)."""

    def h_rate_limit_status(self):
        if (self.scheme() or "").lower() != "bearer":
            raise XError(215)
        bearer = self.auth.strip().split(" ", 1)[-1].strip()
        key = STATE.bearer_index.get(bearer)
        if key is None:
            raise XError(89)
        self.check_app_usable(key)
        headers = spend_rate(key, RATE_STATUS_PATH)
        self.send_json(200, {"rate_limit_context": {"application": key},
                             "resources": {}}, headers)

    def control_rate(self):
        """The controls of this section; False for a path not its own."""
        p, m = self.req_path, self.command
        if m == "POST" and p == "/_fake/rate-limits":
            try:
                window = self.param("window")
                if window is not None:
                    STATE.rate_window = max(1.0, float(window))
                remaining = self.param("remaining")
                if remaining is not None:
                    n = int(remaining)
                    sn = (self.param("screen_name") or "").lower()
                    key = self.param("consumer_key")
                    if sn:
                        for tok, at in STATE.access_tokens.items():
                            if at["user"] == sn:
                                for path in ("/1.1/account/"
                                             "verify_credentials.json",
                                             "/2/users/me"):
                                    set_rate_remaining(tok, path, n)
                        for grant in STATE.oauth2_grants.values():
                            if grant["user"] == sn:
                                set_rate_remaining(oauth2_rate_key(grant),
                                                   "/2/users/me", n)
                    elif key:
                        set_rate_remaining(key, RATE_STATUS_PATH, n)
                    else:
                        raise ValueError("whose")
            except ValueError:
                self.send_json(400, {"ok": False, "error": "window / "
                                     "remaining / screen_name"})
                return True
            self.send_json(200, {"ok": True, "window": STATE.rate_window})
        elif m == "POST" and p == "/_fake/health-users":
            try:
                n = int(self.param("count") or "0")
            except ValueError:
                n = -1
            prefix = (self.param("prefix") or "user").lower()
            if not 0 < n <= 1000 or not prefix.isalnum():
                self.send_json(400, {"ok": False, "error": "count / prefix"})
                return True
            first = 5001 + sum(1 for u in STATE.users.values()
                               if int(u["id"]) > 5000)
            for i in range(1, n + 1):
                sn = "%s%03d" % (prefix, i)
                STATE.users[sn] = {"id": str(first + i - 1),
                                   "screen_name": sn,
                                   "name": "Test User %d" % i,
                                   "max_level": "read-write"}
            self.send_json(200, {"ok": True})
        elif m == "GET" and p == "/_fake/rate-state":
            rem = {}
            for (key, path), (remaining, _) in STATE.rate.items():
                at = STATE.access_tokens.get(key)
                who = STATE.users[at["user"]]["id"] if at else key
                rem["%s %s" % (who, path)] = remaining
            self.send_json(200, {"ok": True, "remaining": rem,
                                 "rate_limited_responses":
                                 STATE.rate_limited_responses})
        else:
            return False
        return True


for _name in ("h_rate_limit_status", "control_rate"):
    setattr(Handler, _name, getattr(RateLimitHandlers, _name))


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
