#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fake desktop browser for Birdhouse tests: plays the user on the fake X
server's authorize page.

    fake-browser.py URL

Environment:
  BH_FAKE_BROWSER_LOG     if set, the URL is appended to it as one line.
  BH_FAKE_BROWSER_ACTION  authorize (default) | cancel | none.
  BH_FAKE_BROWSER_USER    username to submit (default: the prefilled one).
  BH_FAKE_BROWSER_PIN     file that receives "PIN\\n" (written atomically:
                          temporary file + rename) after "Authorize app".
  BH_FAKE_BROWSER_RESULT  OAuth 2.0: file that receives, as one JSON object
                          written atomically, what happened after the
                          button: {"action","redirect" (the Location X
                          sent: holds the code, single use),
                          "redirect_params":{name:value},
                          "listener_status","listener_body",
                          "listener_error","forged":{...}|null,
                          "page_status","page_error"}.
  BH_FAKE_BROWSER_FOLLOW  OAuth 2.0: 0 = do not follow X's redirect to the
                          loopback listener (the person closed the tab);
                          default 1 = follow it, as a real browser does.
  BH_FAKE_BROWSER_FORGE_STATE
                          OAuth 2.0: 1 = before the real redirect, visit
                          the redirect URI once with a forged state and
                          code (another page hitting the listener).

OAuth 1.0a (/oauth/authorize): the answer to the button is the PIN page.
OAuth 2.0 (/i/oauth2/authorize): the answer is a 302 to the App's loopback
redirect URI (?code=…&state=… or ?error=access_denied&state=…), which the
browser follows with a GET, as a real one does, recording what the
listener answered. An authorize URL that X answers with a redirect at once
(an error sent back to the App) is followed the same way; an error page
(no form) is recorded and is a failure.

Only loopback URLs (127.0.0.1, localhost, ::1) are fetched. Exit status 0 on
success (including action "none" and "cancel"), 1 on any failure (message
on stderr). Standard library only.
"""

import html.parser
import os
import sys
import tempfile
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class BrowserError(Exception):
    pass


class _PageParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []          # [{"action","method","inputs":[attrs]}]
        self._form = None
        self._in_pin = False
        self.pin = None
        self.oauth2_error = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""),
                          "method": a.get("method", "get").lower(),
                          "inputs": []}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None:
            self._form["inputs"].append(a)
        elif a.get("id") == "oauth2_error":
            self.oauth2_error = a.get("data-error") or "?"
        elif tag == "code" and a.get("id") == "oauth_pin":
            self._in_pin = True
            self.pin = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "code" and self._in_pin:
            self._in_pin = False

    def handle_data(self, data):
        if self._in_pin:
            self.pin += data


def _check_loopback(url):
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or \
            (parts.hostname or "").lower() not in LOOPBACK:
        raise BrowserError("refusing non-loopback URL")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by hand, each checked to be loopback."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                      _NoRedirect())


class _Answer:
    def __init__(self, status, headers, text):
        self.status = status
        self.headers = headers
        self.text = text


def _request(url, data=None):
    """One request, no proxy, no redirect followed: an _Answer for any
    HTTP status; BrowserError when nothing answered."""
    _check_loopback(url)
    req = urllib.request.Request(url, data=data)
    if data is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        resp = _OPENER.open(req, timeout=30)
    except urllib.error.HTTPError as e:
        resp = e
    except OSError as e:
        raise BrowserError("fetch failed: %s" % e.__class__.__name__)
    try:
        charset = resp.headers.get_content_charset() or "utf-8"
        body = resp.read().decode(charset, "replace")
    except OSError as e:
        raise BrowserError("read failed: %s" % e.__class__.__name__)
    finally:
        resp.close()
    return _Answer(resp.status if hasattr(resp, "status") else resp.code,
                   resp.headers, body)


def _fetch(url, data=None):
    a = _request(url, data)
    if not 200 <= a.status < 300:
        raise BrowserError("fetch failed: HTTP %d" % a.status)
    return a.text


def _parse(text):
    p = _PageParser()
    p.feed(text)
    p.close()
    return p


def _follow(url, location, result, forge=False):
    """GET the Location X answered with (a loopback redirect URI), as a
    browser does; records the listener's answer in @result."""
    target = urllib.parse.urljoin(url, location)
    parts = urllib.parse.urlsplit(target)
    params = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    result["redirect"] = target
    result["redirect_params"] = dict(params)
    if forge:
        forged = [(k, v) for k, v in params if k not in ("state", "code")]
        forged += [("code", "forged-" + secrets.token_urlsafe(16)),
                   ("state", "forged-" + secrets.token_urlsafe(16))]
        furl = urllib.parse.urlunsplit(parts._replace(
            query=urllib.parse.urlencode(forged)))
        try:
            a = _request(furl)
            result["forged"] = {"listener_status": a.status,
                                "listener_body": a.text}
        except BrowserError as e:
            result["forged"] = {"listener_error": str(e)}
    if not result.get("follow", True):
        return
    try:
        a = _request(target)
    except BrowserError as e:
        result["listener_error"] = str(e)
        raise
    result["listener_status"] = a.status
    result["listener_body"] = a.text


def submit(url, action="authorize", user=None, result=None):
    """Open URL, press "Authorize app" (or "Cancel") on its form.
    Returns the PIN (OAuth 1.0a authorize) or None (OAuth 1.0a cancel);
    for OAuth 2.0, follows X's redirect to the loopback listener and
    returns @result (a dict, see BH_FAKE_BROWSER_RESULT)."""
    if result is None:
        result = {}
    result.setdefault("action", action)
    first = _request(url)
    if 300 <= first.status < 400 and first.headers.get("Location"):
        # X sent the App an error at once (RFC 6749 §4.1.2.1)
        _follow(url, first.headers["Location"], result,
                result.get("forge", False))
        return result
    page = _parse(first.text)
    form = None
    for f in page.forms:
        if any(i.get("type") == "submit" and i.get("name") == "authorize"
               for i in f["inputs"]):
            form = f
            break
    if form is None:
        result["page_status"] = first.status
        result["page_error"] = page.oauth2_error
        raise BrowserError("no authorize form on the page (HTTP %d)"
                           % first.status)
    button = "authorize" if action == "authorize" else "cancel"
    fields = []
    for i in form["inputs"]:
        t = i.get("type", "text").lower()
        name = i.get("name")
        if not name:
            continue
        if t == "submit":
            if name == button:
                fields.append((name, i.get("value", "")))
        elif t == "password":
            fields.append((name, "fake-password"))
        elif t == "text" and name == "username" and user:
            fields.append((name, user))
        else:
            fields.append((name, i.get("value", "")))
    target = urllib.parse.urljoin(url, form["action"] or url)
    data = urllib.parse.urlencode(fields).encode("ascii")
    answer = _request(target, data)
    if 300 <= answer.status < 400 and answer.headers.get("Location"):
        _follow(target, answer.headers["Location"], result,
                result.get("forge", False))
        return result
    if not 200 <= answer.status < 300:
        raise BrowserError("fetch failed: HTTP %d" % answer.status)
    parsed = _parse(answer.text)
    if action != "authorize":
        return None
    pin = (parsed.pin or "").strip()
    if not pin.isdigit():
        raise BrowserError("no PIN on the result page")
    return pin


def write_atomically(path, text):
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".fake-browser-", dir=d)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def run(url, env=None):
    env = os.environ if env is None else env
    log = env.get("BH_FAKE_BROWSER_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(url + "\n")
    action = env.get("BH_FAKE_BROWSER_ACTION") or "authorize"
    if action == "none":
        return None
    if action not in ("authorize", "cancel"):
        raise BrowserError("unknown BH_FAKE_BROWSER_ACTION")
    result = {"action": action,
              "follow": env.get("BH_FAKE_BROWSER_FOLLOW", "1") != "0",
              "forge": env.get("BH_FAKE_BROWSER_FORGE_STATE") == "1"}
    result_path = env.get("BH_FAKE_BROWSER_RESULT")
    try:
        pin = submit(url, action, env.get("BH_FAKE_BROWSER_USER") or None,
                     result)
    except BrowserError as e:
        result["failure"] = str(e)
        if result_path:
            write_atomically(result_path, json.dumps(result) + "\n")
        raise
    if isinstance(pin, dict):
        if result_path:
            write_atomically(result_path, json.dumps(pin) + "\n")
        return pin
    pin_path = env.get("BH_FAKE_BROWSER_PIN")
    if pin is not None and pin_path:
        write_atomically(pin_path, pin + "\n")
    return pin


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: fake-browser.py URL\n")
        return 2
    try:
        run(argv[1])
    except (BrowserError, OSError) as e:
        sys.stderr.write("fake-browser: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
