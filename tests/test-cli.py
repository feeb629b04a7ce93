#!/usr/bin/python3
# test-cli.py
#
# Copyright 2026 The Birdhouse authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""`birdhouse SUBCOMMAND` end to end, as a script would use it: the built
binary ($BH_BIRDHOUSE) run with pipes, the real (private) keyring of
bh-test-session.sh, and the fake X server, which checks every signature
with oauthlib. Speaks TAP on stdout.

Each check is a function named test_*; they run in the order written and
share one fake server and one keyring, because later steps use what
earlier ones stored (an App, then its accounts, then its bearer token).
"""

import base64
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from oauthlib import oauth1

import bhcli
import bhtap
from bhcli import wait_for_file
from bhtap import check, diag

BH = os.environ["BH_BIRDHOUSE"]
FAKE_SERVER = os.environ["BH_FAKE_X_SERVER"]
READ_ENV_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "read-env-file.py")
FAKE_BROWSER = os.environ.get("BH_FAKE_BROWSER") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "fake-browser.py")
TMPDIR = os.environ.get("BH_TEST_TMPDIR") or tempfile.mkdtemp()
WORK = tempfile.mkdtemp(prefix="cli-", dir=TMPDIR)

KEY = "fake-consumer-key-01234567890"
SECRET = "fake-consumer-secret-0123456789abcdefghijklmnopqrstu"
APP = "Test App"

# X's "Creating a signature" example.
X_KEY = "xvz1evFS4wEEPTGEFPHBog"
X_SECRET = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw"
X_TOKEN = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"
X_TOKEN_SECRET = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"
X_NONCE = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
X_URL = "https://api.twitter.com/1.1/statuses/update.json?include_entities=true"
X_STATUS = "status=Hello Ladies + Gentlemen, a signed OAuth request!"

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# Secrets that must appear in no output but that of `bearer` and `export`
# (access tokens: also not in `sign`, whose header carries them in clear).
SECRETS = {SECRET, X_SECRET, X_TOKEN_SECRET}
ACCESS_TOKENS = set()
# (argv, stdout, stderr) of every run, for the final scan.
RUNS = []

server = None
base_url = None


def child_env(extra=None, drop=()):
    env = dict(os.environ)
    # The CLI must never need the fatal-warnings crutch to behave, but it
    # must not warn either: keep G_DEBUG as the suite sets it.
    for name in drop:
        env.pop(name, None)
    if extra:
        env.update(extra)
    return env


def run(args, stdin="", env=None, timeout=60):
    """Runs birdhouse ARGS; returns (status, stdout, stderr)."""
    proc = subprocess.run([BH] + args, input=stdin.encode("utf-8"),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env or child_env(), timeout=timeout)
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    RUNS.append((args, out, err))
    return proc.returncode, out, err


def expect(args, status, stdin="", env=None, what=None):
    rc, out, err = run(args, stdin, env)
    # Only the command line is shown on failure: never the outputs, which
    # may hold secrets for bearer/export.
    check(rc == status, "%s: exit status %d, expected %d" % (what or " ".join(args), rc, status),
          "stderr: " + (err if args[0] not in ("bearer", "export") else "(hidden)"))
    return out, err


def one_error_line(err):
    lines = [l for l in err.splitlines() if l.strip()]
    check(len(lines) == 1 and lines[0].startswith("birdhouse: "),
          "expected one 'birdhouse: ' line on stderr", err)
    return lines[0]


# ---- fake X server ---------------------------------------------------------

def start_server():
    global server, base_url
    server, base_url = bhcli.start_fake_server(FAKE_SERVER)


def stop_server():
    bhcli.stop_fake_server(server)


def control(endpoint, **fields):
    return bhcli.control(base_url, endpoint, **fields)


def get_json(path):
    return bhcli.get_json(base_url, path)


def fetch_tokens(screen_name):
    """An access token for SCREEN_NAME obtained with oauthlib alone, as the
    developer portal's "Generate" button would hand it out."""
    token, token_secret = bhcli.fetch_tokens(base_url, KEY, SECRET, screen_name)
    SECRETS.add(token_secret)
    ACCESS_TOKENS.add(token)
    return token, token_secret


def export_json(screen_name=None):
    args = ["export", APP] + ([screen_name] if screen_name else []) + ["--format", "json"]
    out, _ = expect(args, 0)
    values = json.loads(out)
    for name in ("X_API_SECRET", "X_ACCESS_TOKEN_SECRET", "X_BEARER_TOKEN"):
        if name in values:
            SECRETS.add(values[name])
    if "X_ACCESS_TOKEN" in values:
        ACCESS_TOKENS.add(values["X_ACCESS_TOKEN"])
    return values


# ---- the tests ---------------------------------------------------------------

SUBCOMMANDS = [
    ["app"], ["app", "add"], ["app", "list"], ["app", "remove"],
    ["authorize"],
    ["account"], ["account", "add"], ["account", "list"], ["account", "verify"],
    ["account", "revoke"], ["account", "remove"],
    ["bearer"], ["export"], ["sign"], ["request"], ["check"],
]


def test_help_without_display():
    """--help everywhere (exit 0, on stdout), with no display at all: the
    command line never initialises GTK."""
    env = child_env(drop=("DISPLAY", "WAYLAND_DISPLAY"))
    out, err = expect(["--help"], 0, env=env)
    for name in ("app", "authorize", "account", "bearer", "export", "sign", "request"):
        check(name in out, "overview lacks " + name, out)
    for sub in SUBCOMMANDS:
        out, err = expect(sub + ["--help"], 0, env=env)
        check("birdhouse " + " ".join(sub) in out, "help of %s names it" % sub, out)
        check(err == "", "help of %s writes nothing on stderr" % sub, err)
    out, err = expect(["sign", "--help"], 0, env=env)
    for option in ("--consumer-key", "--timestamp", "--nonce", "--explain", "-d"):
        check(option in out, "sign --help documents " + option, out)
    out, err = expect(["request", "--help"], 0, env=env)
    for option in ("--include", "--timestamp", "--nonce", "--explain"):
        check(option in out, "request --help documents " + option, out)
    check("standard error" in out, "request --help says where --explain prints", out)


def loaded_by_program(err):
    """What the dynamic loader reported (LD_DEBUG=libs) in ERR: a list of
    (program, [libraries initialised for it]), one per execve()."""
    programs, libs = [], []
    for line in err.splitlines():
        line = line.split(":", 1)[1].strip() if ":" in line else line
        if line.startswith("calling init: "):
            libs.append(os.path.basename(line[len("calling init: "):]))
        elif line.startswith("initialize program: "):
            programs.append((os.path.basename(line[len("initialize program: "):]), libs))
            libs = []
    return programs


def test_programs_load_what_they_need():
    """`birdhouse sign` runs in birdhouse itself, which loads neither GTK
    nor libsoup; `request` is handed to birdhouse-cli (libsoup, no GTK)
    with the command line and standard input as given."""
    env = child_env({"LD_DEBUG": "libs"})
    gui = ("libgtk-4", "libadwaita-1")
    rc, out, err = run(["sign", "--consumer-key", X_KEY, "--token", X_TOKEN,
                        "--nonce", X_NONCE, "--timestamp", "1318622958", "-X", "POST",
                        "-d", "include_entities=true", "https://api.twitter.com/1.1/statuses/update.json"],
                       stdin=X_SECRET + "\n" + X_TOKEN_SECRET + "\n", env=env)
    check(rc == 0 and "oauth_signature=" in out, "sign signs with the loader's log on", err[-2000:])
    programs = loaded_by_program(err)
    check([p for p, _ in programs] == ["birdhouse"], "sign runs in birdhouse alone", programs)
    libs = programs[0][1]
    for lib in ("libgnutls", "libsecret-1", "libjson-glib-1.0"):
        check(any(l.startswith(lib) for l in libs), "birdhouse loads " + lib, libs)
    for lib in ("libsoup-3.0",) + gui:
        check(not any(l.startswith(lib) for l in libs), "birdhouse does not load " + lib, libs)

    # A port nothing listens on: the request fails after birdhouse-cli has
    # read the secret from the same standard input and tried to connect.
    rc, out, err = run(["request", "--consumer-key", X_KEY, "http://127.0.0.1:9/2/users/me"],
                       stdin=X_SECRET + "\n", env=env)
    check(rc == 1 and "refused the connection" in err, "request handed over and tried to connect", err[-2000:])
    programs = loaded_by_program(err)
    check([p for p, _ in programs] == ["birdhouse", "birdhouse-cli"], "request goes on in birdhouse-cli", programs)
    check(not any(l.startswith("libsoup-3.0") for l in programs[0][1]), "birdhouse did not load libsoup", programs[0][1])
    check(any(l.startswith("libsoup-3.0") for l in programs[1][1]), "birdhouse-cli loads libsoup", programs[1][1])
    for lib in gui:
        check(not any(l.startswith(lib) for _, libs in programs for l in libs), "no program loads " + lib, programs)


def test_app_list_without_display():
    env = child_env(drop=("DISPLAY", "WAYLAND_DISPLAY"))
    out, err = expect(["app", "list", "--json"], 0, env=env)
    check(json.loads(out) == [], "no App yet", out)


def test_usage_errors():
    for args in (["frobnicate"], ["app"], ["app", "frob"], ["app", "list", "--bogus"],
                 ["account", "verify", APP], ["app", "add", "X"],
                 ["sign", "--bogus", "https://api.x.com/"],
                 ["sign", "--consumer-key", "k"], ["export", APP, "--format", "yaml"],
                 ["sign", "--app", "A", "--consumer-key", "k", "https://api.x.com/"],
                 ["sign", "--consumer-key", "k", "-d", "novalue", "https://api.x.com/"]):
        out, err = expect(args, 2, stdin=SECRET + "\n")
        check("--help" in err, "usage error of %s hints at --help" % args, err)
        check(out == "", "usage error prints nothing on stdout", out)


def test_sign_x_example():
    out, err = expect(["sign", "--consumer-key", X_KEY, "--token", X_TOKEN,
                       "--nonce", X_NONCE, "--timestamp", "1318622958",
                       "-X", "POST", "-d", X_STATUS, X_URL], 0,
                      stdin=X_SECRET + "\n" + X_TOKEN_SECRET + "\n")
    header = out.splitlines()[0]
    check(header.startswith("OAuth "), "the first line is the header value", header)
    check('oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"' in header,
          "X's documented signature", header)
    check(len(out.splitlines()) == 1, "only the header without --explain", out)


def test_sign_explain():
    out, err = expect(["sign", "--consumer-key", X_KEY, "--token", X_TOKEN,
                       "--nonce", X_NONCE, "--timestamp", "1318622958",
                       "-X", "post", "-d", X_STATUS, "--explain", X_URL], 0,
                      stdin=X_SECRET + "\n" + X_TOKEN_SECRET + "\n")
    lines = out.splitlines()
    check('oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"' in lines[0],
          "header first, lower-case method upper-cased", lines[0])
    base = ("POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&"
            "include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26"
            "oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26"
            "oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26"
            "oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26"
            "oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen"
            "%252C%2520a%2520signed%2520OAuth%2520request%2521")
    check(any(l.endswith(base) for l in lines), "the base string, labelled", out)
    check(any("Parameter string" in l and "status=Hello%20Ladies" in l for l in lines),
          "the parameter string, labelled", out)
    for s in (X_SECRET, X_TOKEN_SECRET):
        check(s not in out and s not in err, "no secret in --explain")


def test_sign_get_data_goes_to_query():
    out, err = expect(["sign", "--consumer-key", X_KEY, "--nonce", "abc", "--timestamp", "1",
                       "-d", "q=a b&c", "--explain", "https://api.x.com/2/x?z=%7E"], 0,
                      stdin=X_SECRET + "\n")
    check("q=a%20b%26c" in out and "z=~" in out.replace("%7E", "~"),
          "-d values are literal text added to the query of a GET", out)
    check("oauth_token=" not in out.splitlines()[0], "consumer-only: no token", out)


def oauthlib_signature(url, method="GET", body=None, nonce="abc", timestamp="1"):
    """oauth_signature as oauthlib computes it for a consumer-only request
    with X's example keys."""
    client = oauth1.Client(X_KEY, client_secret=X_SECRET, nonce=nonce, timestamp=timestamp)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    _, headers, _ = client.sign(url, http_method=method, body=body, headers=headers)
    return re.search(r'oauth_signature="([^"]+)"', headers["Authorization"]).group(1)


def test_sign_fragment_and_oauth_signature():
    """A #fragment is never sent: -d parameters go in the query, not after
    the fragment. A query parameter named oauth_signature is not signed
    (RFC 5849 3.4.1.3.1). oauthlib is the judge of both."""
    out, err = expect(["sign", "--consumer-key", X_KEY, "--nonce", "abc", "--timestamp", "1",
                       "-d", "q=1", "--explain", "https://api.x.com/2/x?a=1#frag"], 0,
                      stdin=X_SECRET + "\n")
    lines = out.splitlines()
    check("URL: https://api.x.com/2/x?a=1&q=1" in lines, "the URL signed, without its fragment", out)
    check("#" not in out, "no fragment anywhere", out)
    expected = oauthlib_signature("https://api.x.com/2/x?a=1&q=1")
    check('oauth_signature="%s"' % expected in lines[0], "oauthlib's signature", lines[0], expected)
    out, err = expect(["sign", "--consumer-key", X_KEY, "--nonce", "abc", "--timestamp", "1",
                       "-X", "POST", "-d", "q=1", "https://api.x.com/2/x#frag"], 0,
                      stdin=X_SECRET + "\n")
    expected = oauthlib_signature("https://api.x.com/2/x", "POST", "q=1")
    check('oauth_signature="%s"' % expected in out, "a POST with a fragment", out, expected)
    url = "https://api.x.com/2/x?a=1&oauth_signature=forged"
    out, err = expect(["sign", "--consumer-key", X_KEY, "--nonce", "abc", "--timestamp", "1",
                       "--explain", url], 0, stdin=X_SECRET + "\n")
    lines = out.splitlines()
    labelled = dict(l.split(": ", 1) for l in lines[1:] if ": " in l)
    check("forged" not in lines[0] and "forged" not in labelled["Parameter string"]
          and "forged" not in labelled["Signature base string"],
          "oauth_signature from the query is neither in the header nor signed", out)
    check('oauth_signature="%s"' % oauthlib_signature(url) in lines[0],
          "oauthlib's signature, which leaves it out", lines[0])


def test_sign_bad_urls():
    for url in ("not a url", "api.x.com/1.1/x.json", "/1.1/x.json", "ftp://api.x.com/x",
                "https://api.x.com/x?a=%zz", "https://"):
        out, err = expect(["sign", "--consumer-key", "k", url], 2, stdin="s\n",
                          what="sign " + url)
        check("--help" in err, "malformed URL is a usage error", err)
    out, err = expect(["sign", "--consumer-key", "k", "http://example.com/x"], 1, stdin="s\n")
    line = one_error_line(err)
    check("https" in line, "plain http to another host is refused with a sentence", line)
    expect(["sign", "--consumer-key", "k", "http://127.0.0.1:9/x"], 0, stdin="s\n")


def test_sign_empty_stdin():
    out, err = expect(["sign", "--consumer-key", "k", "https://api.x.com/x"], 1, stdin="")
    one_error_line(err)
    out, err = expect(["sign", "--consumer-key", "k", "--token", "t", "https://api.x.com/x"], 1,
                      stdin="s\n")
    one_error_line(err)
    out, err = expect(["sign", "--consumer-key", "k", "https://api.x.com/x"], 1, stdin="\n")
    one_error_line(err)


def test_stdin_line_limit():
    """Lines of standard input are read in blocks, up to 4096 bytes: a
    longer one is refused at once with one line, exit status 1 (a 10 MB
    line used to be read byte by byte for a minute, then accepted)."""
    url = "https://api.x.com/x"
    start = time.time()
    # birdhouse stops reading: writing the rest fails with EPIPE, which
    # must not end this script (SIGPIPE is ignored, see the end).
    rc, out, err = run(["sign", "--consumer-key", "k", url],
                       stdin="s" * (10 * 1024 * 1024) + "\n", timeout=30)
    check(rc == 1 and out == "", "a 10 MB line is refused", rc)
    check("4096" in one_error_line(err), "the error says the limit", err)
    check(time.time() - start < 10, "at once", time.time() - start)
    rc, out, err = run(["sign", "--consumer-key", "k", url], stdin="s" * 4097 + "\n")
    check(rc == 1 and "4096" in one_error_line(err), "4097 bytes are too many", err)
    rc, out, err = run(["sign", "--consumer-key", "k", url], stdin="s" * 4096 + "\n")
    check(rc == 0 and out.startswith("OAuth "), "4096 bytes are fine", err)
    rc, out, err = run(["app", "add", "Long", "--consumer-key", "k"], stdin="s" * 70000)
    check(rc == 1 and "4096" in one_error_line(err), "also without a newline", err)
    # Leading and trailing blanks are dropped: the same signature.
    args = ["sign", "--consumer-key", X_KEY, "--nonce", "abc", "--timestamp", "1", url]
    plain, _ = expect(args, 0, stdin=X_SECRET + "\n")
    padded, _ = expect(args, 0, stdin=" \t " * 100 + X_SECRET + "  \r\n")
    check(plain == padded, "blanks around a secret are not part of it", plain, padded)


def test_stdin_rest_left_for_the_next_reader():
    """Nothing past the line's end is read: the script's next command gets
    the rest, from a pipe as from a file."""
    script = '"$1" sign --consumer-key k https://api.x.com/x >/dev/null && cat'
    data = X_SECRET + "\nthe rest\nand more\n"
    proc = subprocess.run(["sh", "-c", script, "sh", BH], input=data.encode("utf-8"),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    check(proc.returncode == 0 and proc.stdout == b"the rest\nand more\n",
          "from a pipe", proc.stdout, proc.stderr)
    path = os.path.join(WORK, "stdin.txt")
    with open(path, "w") as f:
        f.write(data)
    with open(path, "rb") as f:
        proc = subprocess.run(["sh", "-c", script, "sh", BH], stdin=f,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    os.unlink(path)
    check(proc.returncode == 0 and proc.stdout == b"the rest\nand more\n",
          "from a file", proc.stdout, proc.stderr)


def count_in_memory(pid, needle):
    """How many times NEEDLE is in the readable memory of process PID, or
    None when its memory cannot be read (not root and not our own user's
    dumpable process)."""
    count = 0
    try:
        maps = open("/proc/%d/maps" % pid).read().splitlines()
        mem = os.open("/proc/%d/mem" % pid, os.O_RDONLY)
    except OSError:
        return None
    try:
        for line in maps:
            fields = line.split()
            if not fields[1].startswith("r") or (len(fields) > 5 and fields[5] in ("[vvar]", "[vsyscall]")):
                continue
            lo, hi = (int(x, 16) for x in fields[0].split("-"))
            # AddressSanitizer's shadow: terabytes of zeros.
            if hi - lo > 1 << 30:
                continue
            chunk = 1 << 24
            for start in range(lo, hi, chunk):
                # Overlapping by the needle's length, so none is cut in two
                # (or counted twice: a match must start before the overlap).
                try:
                    data = os.pread(mem, min(chunk + len(needle) - 1, hi - start), start)
                except OSError:
                    break
                count += data.count(needle)
    finally:
        os.close(mem)
    return count


def test_stdin_secret_copies_wiped():
    """While birdhouse waits for the token secret, the API key secret read
    before it is in its memory once: the reader's buffer is wiped, and so is
    the tail that stripping leading blanks used to leave behind."""
    secret = "memscan" + "".join("%02x" % b for b in os.urandom(20))
    proc = subprocess.Popen([BH, "sign", "--consumer-key", "k", "--token", "t", "https://api.x.com/x"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        proc.stdin.write((" " * 150 + secret + "  \n").encode("ascii"))
        proc.stdin.flush()
        counts = []
        deadline = time.time() + 15
        while time.time() < deadline:
            time.sleep(0.3)
            n = count_in_memory(proc.pid, secret.encode("ascii"))
            if n is None:
                diag("skipped: cannot read the memory of process %d" % proc.pid)
                return
            counts.append(n)
            if counts[-2:] == [1, 1]:
                break
        check(counts[-2:] == [1, 1], "one copy of the secret while waiting", counts)
        proc.stdin.write(b"token-secret\n")
        proc.stdin.close()
        out = proc.stdout.read()
        check(proc.wait(timeout=30) == 0 and out.startswith(b"OAuth "), "signed", out)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def start_waiting(argv, cwd, user=None):
    """ARGV started in CWD with no limit on core files (as `ulimit -c
    unlimited`), waiting on a standard input that never ends; as USER (a
    uid) when given."""
    import resource

    def setup():
        resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        if user is not None:
            os.setgid(user)
            os.setuid(user)

    return subprocess.Popen(argv, cwd=cwd, preexec_fn=setup, stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def crash(proc):
    time.sleep(2)
    proc.send_signal(signal.SIGSEGV)
    proc.wait(timeout=30)
    proc.stdin.close()
    # A sanitizer's handler turns SIGSEGV into an abort: a signal still.
    check(proc.returncode in (-signal.SIGSEGV, -signal.SIGABRT), "ended by SIGSEGV", proc.returncode)


def test_no_core_dump():
    """A crash of birdhouse waiting for a secret, or of its window, leaves
    no core file, where a crash of `sleep` under the same conditions does."""
    with open("/proc/sys/kernel/core_pattern") as f:
        pattern = f.read().strip()
    if pattern.startswith("|") or "/" in pattern:
        diag("skipped: core files do not land in the working folder (core_pattern %r)" % pattern)
        return
    # The window's own program, started directly: `birdhouse` executes it,
    # and an execve() makes a process dumpable again.
    window = os.path.join(os.path.dirname(BH), "birdhouse-window")
    for name, argv in (("sleep", ["sleep", "60"]),
                       ("birdhouse", [BH, "sign", "--consumer-key", "k", "https://api.x.com/x"]),
                       ("birdhouse-cli", [BH, "request", "--consumer-key", "k", "https://api.x.com/x"]),
                       ("birdhouse-window", [window])):
        cwd = tempfile.mkdtemp(prefix="core-%s-" % name, dir=WORK)
        crash(start_waiting(argv, cwd))
        cores = os.listdir(cwd)
        if name == "sleep":
            if not cores:
                diag("skipped: even `sleep` leaves no core file here (core_pattern %r)" % pattern)
                return
        else:
            check(cores == [], "%s left no core file" % name, cores)
        for c in cores:
            os.unlink(os.path.join(cwd, c))
        os.rmdir(cwd)


def test_not_dumpable():
    """birdhouse makes itself non-dumpable (prctl PR_SET_DUMPABLE): the
    kernel then gives its /proc/PID files to root, out of reach of the
    user's other processes. Seen from root with birdhouse run as nobody;
    `sleep` as nobody is the control."""
    import pwd
    if os.getuid() != 0:
        diag("skipped: needs root, to run birdhouse as another user")
        return
    nobody = pwd.getpwnam("nobody").pw_uid
    for name, argv in (("sleep", ["sleep", "60"]),
                       ("birdhouse", [BH, "sign", "--consumer-key", "k", "https://api.x.com/x"]),
                       ("birdhouse-cli", [BH, "request", "--consumer-key", "k", "https://api.x.com/x"])):
        proc = start_waiting(argv, "/", user=nobody)
        try:
            time.sleep(1)
            check(proc.poll() is None, "%s runs as nobody" % name, proc.returncode)
            owner = os.stat("/proc/%d/environ" % proc.pid).st_uid
            if name == "sleep":
                check(owner == nobody, "a dumpable process owns its /proc files", owner)
            else:
                check(owner == 0, "birdhouse's /proc files belong to root", owner)
        finally:
            proc.kill()
            proc.wait()
            proc.stdin.close()


def test_terminal_prompt_hides_input():
    """On a terminal: prompts on stderr, echo off while a secret is typed,
    and echo back on when the user presses Ctrl+C at the prompt."""
    import pty
    import select
    import termios

    def read_until(stream, text, seconds=20):
        data = b""
        deadline = time.time() + seconds
        while text.encode("utf-8") not in data and time.time() < deadline:
            if select.select([stream], [], [], 0.5)[0]:
                chunk = os.read(stream.fileno(), 100)
                if not chunk:
                    break
                data += chunk
        check(text.encode("utf-8") in data, "prompt %r on stderr" % text, data)
        return data

    master, slave = pty.openpty()
    proc = subprocess.Popen([BH, "sign", "--consumer-key", "k", "--token", "t",
                             "https://api.x.com/x"], stdin=slave,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        read_until(proc.stderr, "API key secret: ")
        check(not termios.tcgetattr(slave)[3] & termios.ECHO, "echo is off at the prompt")
        os.write(master, (X_SECRET + "\n").encode("ascii"))
        read_until(proc.stderr, "Access token secret: ")
        os.write(master, (X_TOKEN_SECRET + "\n").encode("ascii"))
        out, err = proc.communicate(timeout=30)
        check(proc.returncode == 0 and out.startswith(b"OAuth "), "signed", err)
        check(termios.tcgetattr(slave)[3] & termios.ECHO, "echo is back on")
        echoed = b""
        while select.select([master], [], [], 0.2)[0]:
            try:
                chunk = os.read(master, 1000)
            except OSError:
                break
            if not chunk:
                break
            echoed += chunk
        check(X_SECRET.encode() not in echoed and X_TOKEN_SECRET.encode() not in echoed,
              "the secrets were not echoed")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    proc = subprocess.Popen([BH, "sign", "--consumer-key", "k", "https://api.x.com/x"],
                            stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        read_until(proc.stderr, "API key secret: ")
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
        check(proc.returncode != 0, "Ctrl+C ends it")
        check(termios.tcgetattr(slave)[3] & termios.ECHO, "echo is back on after Ctrl+C")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
        os.close(slave)


def test_app_add():
    out, err = expect(["app", "add", APP, "--consumer-key", KEY, "--api-host", base_url], 0,
                      stdin=SECRET + "\n")
    check(APP in out, "names the App", out)
    out, err = expect(["app", "add", APP, "--consumer-key", KEY, "--api-host", base_url], 1,
                      stdin=SECRET + "\n")
    one_error_line(err)
    out, err = expect(["app", "add", "Other", "--consumer-key", KEY], 1, stdin="")
    one_error_line(err)
    out, err = expect(["app", "add", "Other", "--consumer-key", KEY,
                       "--api-host", "http://example.com"], 1, stdin=SECRET + "\n")
    one_error_line(err)


def test_app_list():
    out, err = expect(["app", "list", "--json"], 0)
    apps = json.loads(out)
    check(len(apps) == 1 and apps[0]["name"] == APP and apps[0]["consumer_key"] == KEY
          and apps[0]["api_host"] == base_url and apps[0]["has_secret"] is True
          and apps[0]["accounts"] == [], "the App as registered", out)
    out, err = expect(["app", "list"], 0)
    check(out.startswith(APP + "\t" + KEY), "one tab-separated line per App", out)


def test_unknown_app_and_account():
    for args in (["account", "list", "Nope"], ["bearer", "Nope"], ["export", "Nope"],
                 ["authorize", "Nope"], ["app", "remove", "Nope"],
                 ["account", "verify", APP, "nobody"], ["account", "remove", APP, "@nobody"],
                 ["export", APP, "nobody"],
                 ["sign", "--app", "Nope", "https://api.x.com/x"],
                 ["sign", "--app", APP, "--account", "nobody", "https://api.x.com/x"]):
        out, err = expect(args, 1)
        line = one_error_line(err)
        check("Nope" in line or "nobody" in line, "the sentence names what is missing", line)


def authorize(args, extra_env, get_pin, wrong_pin_first=False):
    def pins_for(url):
        check(url.startswith(base_url + "/oauth/authorize?oauth_token="),
              "the authorize URL on a line of its own", url)
        pin = get_pin(url)
        wrong = ["%07d" % ((int(pin) + 1) % 10 ** 7)] if wrong_pin_first else []
        return wrong + [pin]

    rc, out, err, url = bhcli.run_with_pins([BH, "authorize"] + args, child_env(extra_env), pins_for)
    RUNS.append((["authorize"] + args, out, err))
    return rc, out, err, url


def test_authorize_with_browser():
    pin_file = os.path.join(WORK, "pin-alice")
    log = os.path.join(WORK, "browser-alice.log")
    rc, out, err, url = authorize([APP], {"BH_FAKE_BROWSER_PIN": pin_file,
                                          "BH_FAKE_BROWSER_LOG": log},
                                  lambda url: wait_for_file(pin_file, 30),
                                  wrong_pin_first=True)
    check(rc == 0, "authorize exits 0", err)
    check(out.splitlines()[-1] == "@alice (Alice Example), read and write",
          "prints the account", out)
    check("X did not accept the PIN" in err, "a refused PIN gets X's sentence", err)
    check("PIN:" not in err, "no prompt when stdin is not a terminal", err)
    with open(log) as f:
        check(f.read().strip() == url, "the browser opened the printed URL")
    os.unlink(pin_file)


def test_authorize_pin_refused_in_any_style():
    """A wrong PIN refused as JSON, a v2 problem, HTML or an empty body is
    still a refused PIN: the sentence, and another line is read."""
    def pin_for(url):
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["oauth_token"][0]
        return get_json("/_fake/verifier?oauth_token=%s&screen_name=alice"
                        % urllib.parse.quote(token))["oauth_verifier"]

    env = {"BH_FAKE_BROWSER_ACTION": "none"}
    try:
        for style in ("json", "problem", "html", "empty"):
            control("/_fake/pin-refusal", style=style)
            rc, out, err, url = authorize([APP, "--no-browser"], env, pin_for,
                                          wrong_pin_first=True)
            check(rc == 0, "authorize exits 0 after a PIN refused as %s" % style, err)
            check("X did not accept the PIN" in err,
                  "a PIN refused as %s gets the PIN sentence" % style, err)
            check(out.splitlines()[-1].startswith("@alice "), "alice authorized", out)
    finally:
        control("/_fake/pin-refusal", style="text")


def test_authorize_no_browser():
    pin_file = os.path.join(WORK, "pin-bob")
    log = os.path.join(WORK, "browser-bob.log")

    def drive(url):
        check("force_login=true" in url and "screen_name=bob" in url,
              "--force-login and --screen-name reach the URL", url)
        env = child_env({"BH_FAKE_BROWSER_PIN": pin_file, "BH_FAKE_BROWSER_USER": "bob"},
                        drop=("BH_FAKE_BROWSER_LOG",))
        subprocess.run(["/usr/bin/python3", FAKE_BROWSER, url], env=env, check=True,
                       timeout=60)
        return wait_for_file(pin_file, 5)

    rc, out, err, url = authorize([APP, "--no-browser", "--read-only", "--force-login",
                                   "--screen-name", "@bob"],
                                  {"BH_FAKE_BROWSER_LOG": log}, drive)
    check(rc == 0, "authorize --no-browser exits 0", err)
    check(out.splitlines()[-1] == "@bob (Bob Builder), read only", "prints bob, read only", out)
    check(not os.path.exists(log), "no browser was opened")


def test_authorize_input_ends():
    env = child_env({"BH_FAKE_BROWSER_ACTION": "none"})
    rc, out, err = run(["authorize", APP, "--no-browser"], stdin="", env=env)
    check(rc == 1, "EOF before a PIN: exit 1", err)
    check(out.startswith(base_url + "/oauth/authorize?"), "the URL was printed", out)
    one_error_line(err)
    rc, out, err = run(["authorize", APP, "--no-browser"], stdin="abc\n", env=env)
    check(rc == 1 and "not a PIN" in err, "a line that is no PIN is refused, then EOF", err)


def test_account_list():
    out, err = expect(["account", "list", APP, "--json"], 0)
    accounts = json.loads(out)
    check([a["screen_name"] for a in accounts] == ["alice", "bob"], "alice and bob", out)
    check(accounts[0]["access_level"] == "read-write" and accounts[0]["user_id"] == "1001"
          and accounts[0]["app"] == APP, "alice's record", out)
    out, err = expect(["account", "list"], 0)
    check(len(out.splitlines()) == 2 and "\t@alice\tAlice Example\t" in out, "text listing", out)
    export_json("alice")
    export_json("bob")


def test_account_verify():
    out, err = expect(["account", "verify", APP, "@alice"], 0)
    check(out.splitlines()[0] == "@alice (Alice Example), read and write", "verified", out)
    check("Rate limit" in out, "rate-limit figures", out)
    control("/_fake/fault", path="/1.1/account/verify_credentials.json", kind="89")
    out, err = expect(["account", "verify", APP, "alice"], 1)
    line = one_error_line(err)
    check("invalid or has been revoked" in line, "89 becomes its sentence", line)
    out, err = expect(["account", "list", APP, "--json"], 0)
    check(json.loads(out)[0]["state"] == "needs-reauthorization", "marked, not removed", out)
    expect(["account", "verify", APP, "alice"], 0)


def test_account_add():
    token, token_secret = fetch_tokens("carol")
    out, err = expect(["account", "add", APP], 0, stdin=token + "\n" + token_secret + "\n")
    check(out.strip() == "@carol (Carol Ü Ñ 日本), read and write", "carol added", out)
    out, err = expect(["account", "add", APP], 1, stdin="")
    one_error_line(err)
    out, err = expect(["account", "add", APP], 1, stdin=token + "\n")
    one_error_line(err)
    out, err = expect(["account", "add", APP], 1, stdin=token + "\nwrong" + token_secret[5:] + "\n")
    line = one_error_line(err)
    check(line.startswith("birdhouse: X "), "X's refusal as a sentence", line)
    values = export_json("carol")
    check(values["X_ACCESS_TOKEN"] == token and values["X_ACCESS_TOKEN_SECRET"] == token_secret,
          "the verified tokens were stored, the wrong ones not")


def test_bearer():
    out1, _ = expect(["bearer", APP], 0)
    out2, _ = expect(["bearer", APP], 0)
    token = out1.strip()
    SECRETS.add(token)
    check(token != "" and out1 == out2, "twice the same bearer token")
    check(get_json("/_fake/state")["bearers"][KEY] == token, "X's token")
    values = export_json()
    check(values.get("X_BEARER_TOKEN") == token, "export names the bearer token")


def test_request_with_invalidated_bearer():
    """The bearer token was invalidated elsewhere (another machine, the
    portal): a request with it says so, and how to get a new one."""
    old = export_json()["X_BEARER_TOKEN"]
    auth = base64.b64encode(("%s:%s" % (KEY, SECRET)).encode("ascii")).decode("ascii")
    req = urllib.request.Request(base_url + "/oauth2/invalidate_token",
                                 data=urllib.parse.urlencode({"access_token": old}).encode("ascii"),
                                 headers={"Authorization": "Basic " + auth})
    with OPENER.open(req, timeout=30) as resp:
        check(resp.status == 200, "invalidated behind Birdhouse's back")
    echo = base_url + "/1.1/test/echo.json"
    out, err = expect(["request", "--app", APP, "--bearer", echo], 1)
    line = one_error_line(err)
    check("no longer valid" in line and
          "birdhouse bearer 'Test App' --invalidate" in line, "says what to do", line)
    check("API key" not in line, "does not blame the App's keys", line)
    # The advice works: the dead token is removed, a new one generated.
    out, err = expect(["bearer", APP, "--invalidate"], 0)
    check("no longer knew" in out, "X no longer knew it", out)
    out, err = expect(["bearer", APP], 0)
    new = out.strip()
    SECRETS.add(new)
    check(new != old, "a new bearer token")
    out, err = expect(["request", "--app", APP, "--bearer", echo], 0)
    check(json.loads(out)["auth"] == "bearer", "the new one works", out)


def test_request():
    echo = base_url + "/1.1/test/echo.json"
    out, err = expect(["request", "--app", APP, "--account", "alice", "-X", "POST",
                       "-d", "status=Hello Ladies + Gentlemen!", "-d", "a=", echo + "?x=1%202"], 0)
    body = json.loads(out)
    check(body["auth"] == "oauth1-user" and body["screen_name"] == "alice",
          "oauthlib accepted alice's signature", out)
    check(body["method"] == "POST" and
          body["params"] == [["x", "1 2"], ["status", "Hello Ladies + Gentlemen!"], ["a", ""]],
          "the server saw the query and the -d parameters", out)
    out, err = expect(["request", "--app", APP, "-d", "q=ü", echo], 0)
    body = json.loads(out)
    check(body["auth"] == "oauth1-consumer" and body["params"] == [["q", "ü"]],
          "consumer-only GET with -d in the query", out)
    out, err = expect(["request", "--app", APP, "--bearer", echo], 0)
    check(json.loads(out)["auth"] == "bearer", "bearer request", out)
    out, err = expect(["request", "--consumer-key", KEY, echo], 0, stdin=SECRET + "\n")
    check(json.loads(out)["auth"] == "oauth1-consumer", "keys from stdin", out)
    out, err = expect(["request", "-i", "--app", APP, "--account", "bob",
                       base_url + "/1.1/account/verify_credentials.json"], 0)
    head, _, rest = out.partition("\n\n")
    check(head.startswith("HTTP/1.1 200"), "status line", out)
    check(re.search(r"(?im)^x-rate-limit-remaining: \d+$", head), "rate-limit headers", head)
    check(json.loads(rest)["screen_name"] == "bob", "the body after the headers", rest)
    out, err = expect(["request", "--app", APP, "--account", "alice",
                       base_url + "/1.1/nothing/here.json"], 1)
    check('"errors"' in out, "the body of a failure is printed", out)
    one_error_line(err)
    control("/_fake/fault", path="/1.1/test/echo.json", kind="89")
    out, err = expect(["request", "--app", APP, "--account", "alice", echo], 1)
    check("invalid or has been revoked" in one_error_line(err), "89 becomes its sentence", err)
    out, err = expect(["request", "--app", APP, "https://127.0.0.1:1/x", "-X", "GET"], 1)
    one_error_line(err)
    out, err = expect(["request", "--app", APP, "http://example.com/x"], 1)
    one_error_line(err)
    out, err = expect(["request", "--app", APP, "example.com/x"], 2)


def test_request_terminal_gets_no_controls():
    """A name with an 8-bit CSI and bidi overrides: byte for byte into a
    pipe, without the controls on a terminal."""
    import pty
    import select
    vc = base_url + "/1.1/account/verify_credentials.json"
    hostile = ["\u009b", "\u009d", "\u202e", "\u2066", "\u061c", "\u0007"]
    control("/_fake/fault", path="/1.1/account/verify_credentials.json", kind="hostile-name")
    out, err = expect(["request", "--app", APP, "--account", "alice", vc], 0)
    check(all(c in out for c in hostile[:5]), "a pipe gets the body as sent", repr(out[:200]))

    control("/_fake/fault", path="/1.1/account/verify_credentials.json", kind="hostile-name")
    master, slave = pty.openpty()
    proc = subprocess.Popen([BH, "request", "-i", "--app", APP, "--account", "alice", vc],
                            stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE,
                            env=child_env())
    os.close(slave)
    data = b""
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            if select.select([master], [], [], 0.5)[0]:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                data += chunk
            elif proc.poll() is not None:
                break
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    text = data.decode("utf-8", "replace")
    RUNS.append((["request", "(terminal)"], text, ""))
    check(proc.returncode == 0, "request on a terminal exits 0", text[:200])
    check("Evil31m0;title" in text and "emanlaerx!" in text, "the name is there",
          repr(text[-300:]))
    check(not any(c in text for c in hostile), "no control reached the terminal",
          repr(text[-300:]))
    check("\x1b" not in text, "no ESC either")


def rfc3986(text):
    return urllib.parse.quote(text, safe="")


def test_request_explain():
    """request --nonce --timestamp --explain: the client signs with them,
    says on stderr what it signed (stdout stays the body), and the server
    refuses the same nonce and timestamp a second time."""
    echo = base_url + "/1.1/test/echo.json"
    nonce = "birdhouseCliNonce0123456789"
    # Close to now: the server refuses a timestamp more than 300 s off.
    timestamp = str(int(time.time()))
    args = ["request", "--app", APP, "--account", "alice", "--nonce", nonce,
            "--timestamp", timestamp, "--explain", "-d", "q=a b&c", echo + "?x=%C3%BC"]
    out, err = expect(args, 0)
    body = json.loads(out)
    check(body["auth"] == "oauth1-user" and body["screen_name"] == "alice",
          "oauthlib accepted the signature made with the given nonce", out)
    check(body["params"] == [["x", "ü"], ["q", "a b&c"]], "the server saw the parameters", out)
    labelled = dict(l.split(": ", 1) for l in err.splitlines() if ": " in l)
    params = labelled.get("Parameter string")
    base = labelled.get("Signature base string")
    check(params is not None and base is not None,
          "the parameter string and base string, labelled, on stderr", err)
    check(base.startswith("GET&" + rfc3986(echo) + "&"), "the base string's method and URL", base)
    check(base.endswith("&" + rfc3986(params)), "the base string holds the parameter string", base)
    check("oauth_nonce=" + nonce in params and "oauth_timestamp=" + timestamp in params,
          "the given nonce and timestamp were signed", params)
    for name, value in body["params"]:
        check(rfc3986(rfc3986(name) + "=" + rfc3986(value)) in base,
              "the echoed parameter %s is in the base string" % name, base)
    check(labelled.get("Method") == "GET" and labelled.get("URL") == echo + "?x=%C3%BC&q=a%20b%26c",
          "method and URL as sent", err)
    check("Signature base string" not in out, "stdout is the body alone", out)
    # The same nonce and timestamp again: the server refuses a replay.
    out, err = expect(args, 1)
    check(json.loads(out)["errors"][0]["code"] == 32, "X's answer to a replay", out)
    errors = [l for l in err.splitlines() if l.startswith("birdhouse: ")]
    check(len(errors) == 1 and re.match(r"birdhouse: [A-Z].*\.$", errors[0]),
          "a replay fails with one sentence", err)
    check("another --nonce" in errors[0], "which says what to do about a replay", errors[0])
    check("Signature base string: " + base in err, "the same base string, explained again", err)
    # Another nonce is another request; without --explain nothing on stderr.
    out, err = expect(["request", "--app", APP, "--account", "alice",
                       "--nonce", "otherNonce0123456789", "--timestamp", timestamp,
                       "-d", "q=a b&c", echo + "?x=%C3%BC"], 0)
    check(json.loads(out)["params"] == [["x", "ü"], ["q", "a b&c"]] and err == "",
          "a new nonce with the same timestamp is accepted, quietly", out, err)
    # A bearer request is not signed: nothing to explain.
    out, err = expect(["request", "--app", APP, "--bearer", "--explain", echo], 0)
    check(json.loads(out)["auth"] == "bearer" and err == "", "nothing to explain for a bearer", err)
    out, err = expect(["request", "--app", APP, "--bearer", "--nonce", nonce, echo], 2)
    check("--help" in err, "--nonce with --bearer is a usage error", err)


def test_sign_with_keyring():
    """A header from `sign --app` is accepted by the server when sent."""
    echo = base_url + "/1.1/test/echo.json?q=signed"
    out, err = expect(["sign", "--app", APP, "--account", "bob", echo], 0)
    req = urllib.request.Request(echo, headers={"Authorization": out.splitlines()[0]})
    with OPENER.open(req, timeout=30) as resp:
        body = json.loads(resp.read().decode("utf-8"))
    check(body["auth"] == "oauth1-user" and body["screen_name"] == "bob"
          and body["params"] == [["q", "signed"]], "oauthlib accepted the header", body)
    out, err = expect(["sign", "--app", APP, "--bearer", echo], 0)
    check(out.startswith("Bearer AAAA"), "the bearer header", "")
    RUNS.pop()   # printing the bearer token is what this one is for


def test_sign_restores_on_demand():
    """`sign --app` reads the records without asking the keyring for every
    item; an App whose record is missing but whose secret is in the
    keyring is still found, restored on demand."""
    app_id = "0b6f3b1e-5a4e-4c83-9f57-3d1f2f6a7c11"
    store = subprocess.run(
        ["secret-tool", "store", "--label=Birdhouse: Keyring Only API key secret",
         "xdg:schema", "io.github.birdhouse.Birdhouse.Credential", "kind", "app",
         "app-id", app_id, "consumer-key", X_KEY, "app-name", "Keyring Only",
         "api-host", base_url],
        input=(X_SECRET).encode("utf-8"), env=child_env(), capture_output=True, timeout=30)
    check(store.returncode == 0, "secret-tool stored the item", store.stderr)
    # Before anything lists (which reconciles) the records lack it.
    out, err = expect(["sign", "--app", "Keyring Only", "--nonce", "abc", "--timestamp", "1",
                       base_url + "/1.1/test/echo.json"], 0)
    check(out.startswith("OAuth "), "signed with the restored App's secret", out)
    out, err = expect(["app", "list", "--json"], 0)
    check("Keyring Only" in out, "the App is in the records now", out)
    expect(["app", "remove", "Keyring Only"], 0)


def test_debug_log_holds_no_secret():
    """G_MESSAGES_DEBUG=all output is safe to paste into a bug report."""
    echo = base_url + "/1.1/test/echo.json"
    env = child_env({"G_MESSAGES_DEBUG": "all"})
    issued = set(get_json("/_fake/issued-secrets")["secrets"])
    check(SECRET in issued and len(issued) >= 6, "the server lists what it issued", len(issued))
    logged = ""
    for args in (["account", "verify", APP, "alice"],
                 ["request", "--app", APP, "--account", "alice", echo],
                 ["sign", "--app", APP, "--account", "alice", echo],
                 ["bearer", APP]):
        rc, out, err = run(args, env=env)
        check(rc == 0, "%s works with debug messages on" % args[:2], err[-300:])
        logged += err
        check("-DEBUG:" not in out, "debug messages stay off stdout for %s" % args[:2])
        for s in issued | SECRETS:
            check(s not in err, "no secret in the debug log of %s" % args[:2])
    check("Birdhouse-DEBUG" in logged, "Birdhouse's debug messages were on")


def test_export_formats():
    values = export_json("alice")
    check(set(values) == {"X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET",
                          "X_BEARER_TOKEN", "X_API_HOST"}, "every name", sorted(values))
    check(values["X_API_KEY"] == KEY and values["X_API_SECRET"] == SECRET
          and values["X_API_HOST"] == base_url, "the App's values")
    out, err = expect(["export", APP, "alice"], 0)
    proc = subprocess.run(["sh", "-c", 'eval "$(cat)"; printf "%s|%s|%s" "$X_API_SECRET" '
                           '"$X_ACCESS_TOKEN_SECRET" "$X_BEARER_TOKEN"'],
                          input=out.encode("utf-8"), stdout=subprocess.PIPE, timeout=30)
    check(proc.stdout.decode("utf-8") == "%s|%s|%s" % (
        SECRET, values["X_ACCESS_TOKEN_SECRET"], values["X_BEARER_TOKEN"]),
        "sh reads back the env format")
    out, err = expect(["export", APP, "--format", "dotenv"], 0)
    parsed = dict(l.split("=", 1) for l in out.splitlines())
    check(parsed["X_API_SECRET"] == SECRET and parsed["X_API_HOST"] == base_url
          and "X_ACCESS_TOKEN" not in parsed, "dotenv lines")


def read_env_file(loader, text, prefix="X_"):
    """TEXT as LOADER (sh, python-dotenv, systemd) reads it, through
    tests/read-env-file.py; None when the loader is not installed."""
    path = os.path.join(WORK, "export.env")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    try:
        proc = subprocess.run(["/usr/bin/python3", READ_ENV_FILE, loader, path, prefix],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    finally:
        os.unlink(path)
    if proc.returncode == 77:
        diag("skipped %s: %s" % (loader, proc.stderr.decode("utf-8", "replace").strip()))
        return None
    check(proc.returncode == 0, "%s read the file" % loader, proc.stderr.decode("utf-8", "replace"))
    return json.loads(proc.stdout.decode("utf-8"))


def test_export_dotenv_quoting():
    """--format dotenv writes what sh's `set -a; . file`, python-dotenv and
    systemd's EnvironmentFile= read back exactly, or refuses: a secret with
    a ' and a $ or ` used to be double-quoted, and sh expanded it."""
    # The keyring takes no whitespace in a secret; anything else goes.
    readable = {"Dollar": "a$HOME`id`#b", "Quotes": "it's#fine&ok"}
    dangerous = "it's`id`$HOME"
    for name, secret in list(readable.items()) + [("Danger", dangerous)]:
        SECRETS.add(secret)
        expect(["app", "add", name, "--consumer-key", KEY, "--api-host", base_url], 0,
               stdin=secret + "\n")
    try:
        for name, secret in readable.items():
            out, err = expect(["export", name, "--format", "dotenv"], 0)
            for loader in ("sh", "python-dotenv", "systemd"):
                values = read_env_file(loader, out)
                if values is not None:
                    check(values.get("X_API_SECRET") == secret and values.get("X_API_KEY") == KEY
                          and values.get("X_API_HOST") == base_url,
                          "%s reads the exact values of %s" % (loader, name))
        rc, out, err = run(["export", "Danger", "--format", "dotenv"])
        check(rc == 1 and out == "", "a value no .env spelling keeps is refused", rc)
        line = one_error_line(err)
        check("X_API_SECRET" in line and "json" in line and dangerous not in line,
              "the refusal names the variable, not its value, and the way out", line)
        out, err = expect(["export", "Danger"], 0)
        values = read_env_file("sh", out)
        check(values["X_API_SECRET"] == dangerous, "the env format holds it")
        check(export_json_of("Danger")["X_API_SECRET"] == dangerous, "the json format holds it")
    finally:
        for name in ("Dollar", "Quotes", "Danger"):
            run(["app", "remove", name])


def export_json_of(app):
    out, _ = expect(["export", app, "--format", "json"], 0)
    return json.loads(out)


def test_bearer_invalidate():
    old = export_json()["X_BEARER_TOKEN"]
    # A server that reads access_token from the form body only.
    control("/_fake/param-source", path="/oauth2/invalidate_token", source="form")
    out, err = expect(["bearer", APP, "--invalidate"], 0)
    control("/_fake/param-source", path="/oauth2/invalidate_token", source="both")
    check("no longer knew" not in out, "really invalidated", out)
    check(old in get_json("/_fake/state")["invalidated_bearers"], "X invalidated it")
    check("X_BEARER_TOKEN" not in export_json(), "removed from the keyring")
    out, err = expect(["bearer", APP, "--invalidate"], 1)
    one_error_line(err)


def test_account_revoke_and_remove():
    token = export_json("bob")["X_ACCESS_TOKEN"]
    out, err = expect(["account", "revoke", APP, "@bob"], 0)
    check(token in get_json("/_fake/state")["invalidated_access_tokens"], "X revoked it")
    out, err = expect(["account", "remove", APP, "carol"], 0)
    out, err = expect(["account", "list", APP, "--json"], 0)
    check([a["screen_name"] for a in json.loads(out)] == ["alice"], "only alice is left", out)
    out, err = expect(["account", "revoke", APP, "bob"], 1)
    one_error_line(err)


def test_app_remove():
    expect(["app", "remove", APP], 0)
    out, err = expect(["app", "list", "--json"], 0)
    check(json.loads(out) == [], "no App left", out)


def test_no_secret_leaked():
    check(len(SECRETS) >= 6, "secrets were collected", len(SECRETS))
    for args, out, err in RUNS:
        if args[0] in ("bearer", "export"):
            continue
        for s in SECRETS:
            check(s not in out and s not in err, "no secret in the output of %s" % args[:3])
        # The access token travels in clear in the header: `sign` prints
        # it, and `request --explain` on stderr (in the base string).
        if args[0] != "sign":
            explained = args[0] == "request" and "--explain" in args
            for t in ACCESS_TOKENS:
                check(t not in out and (explained or t not in err),
                      "no access token in the output of %s" % args[:3])
    for root, dirs, files in os.walk(TMPDIR):
        if "keyrings" in os.path.relpath(root, TMPDIR).split(os.sep):
            continue
        for name in files:
            path = os.path.join(root, name)
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError:
                continue
            for s in SECRETS | ACCESS_TOKENS:
                check(s.encode("utf-8") not in data,
                      "no secret in %s" % os.path.relpath(path, TMPDIR))


if __name__ == "__main__":
    sys.exit(bhtap.run(bhtap.tests_in(globals()), setup=start_server, teardown=stop_server))
