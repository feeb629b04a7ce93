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

Only loopback URLs (127.0.0.1, localhost, ::1) are fetched. Exit status 0 on
success (including action "none" and "cancel"), 1 on any failure (message
on stderr). Standard library only.
"""

import html.parser
import os
import sys
import tempfile
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

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""),
                          "method": a.get("method", "get").lower(),
                          "inputs": []}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None:
            self._form["inputs"].append(a)
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


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _fetch(url, data=None):
    _check_loopback(url)
    req = urllib.request.Request(url, data=data)
    if data is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with _OPENER.open(req, timeout=30) as resp:
            charset = resp.headers.get_content_charset() or "utf-8"
            return resp.read().decode(charset, "replace")
    except OSError as e:
        raise BrowserError("fetch failed: %s" % e.__class__.__name__)


def _parse(text):
    p = _PageParser()
    p.feed(text)
    p.close()
    return p


def submit(url, action="authorize", user=None):
    """Open URL, press "Authorize app" (or "Cancel") on its form.
    Returns the PIN (authorize) or None (cancel)."""
    page = _parse(_fetch(url))
    form = None
    for f in page.forms:
        if any(i.get("type") == "submit" and i.get("name") == "authorize"
               for i in f["inputs"]):
            form = f
            break
    if form is None:
        raise BrowserError("no authorize form on the page")
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
    result = _parse(_fetch(target, data))
    if action != "authorize":
        return None
    pin = (result.pin or "").strip()
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
    pin = submit(url, action, env.get("BH_FAKE_BROWSER_USER") or None)
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
