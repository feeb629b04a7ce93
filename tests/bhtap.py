# bhtap.py
#
# Copyright 2026 The Birdhouse authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""The TAP runner of Birdhouse's Python tests, so that every script reports
the same way to `meson test`: a plan, then `ok N - name` or `not ok N -
name` for each test, in the order given, with the reason as `#` lines.

A test is a function that returns when it passes and raises when it does
not: check() raises a Failure, whose message is the whole diagnostic; any
other exception is a bug in the test or the program, shown with its
traceback.
"""

import signal
import sys
import traceback


class Failure(Exception):
    """A check that did not hold."""


def diag(text):
    """Writes TEXT as TAP diagnostics, one `#` line per line."""
    for line in str(text).splitlines():
        sys.stdout.write("# %s\n" % line)


def check(condition, what="check failed", *details):
    """Raises a Failure saying WHAT, then each of DETAILS on its own line,
    unless CONDITION holds. Never pass a secret as a detail: it would be
    printed."""
    if not condition:
        raise Failure("\n".join([what] + [str(d) for d in details]))


def tests_in(namespace, prefix="test_"):
    """The functions of NAMESPACE (a module's globals()) named PREFIX…, in
    the order they were written, as (name without PREFIX, function)."""
    return [(name[len(prefix):], value) for name, value in list(namespace.items())
            if name.startswith(prefix) and callable(value)]


def run(tests, setup=None, teardown=None):
    """Runs TESTS, (name, function) pairs, in order, after SETUP and
    before TEARDOWN (always called once SETUP was tried). Returns the exit
    status: 1 when a test failed."""
    # A child that stops reading early closes a pipe a test still writes
    # to: that must be a BrokenPipeError the test sees (subprocess ignores
    # it), never a SIGPIPE that ends the whole run. Children get the
    # default disposition back (subprocess's restore_signals).
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)

    sys.stdout.write("1..%d\n" % len(tests))
    sys.stdout.flush()
    failed = 0
    try:
        if setup is not None:
            setup()
        for n, (name, test) in enumerate(tests, 1):
            try:
                test()
                sys.stdout.write("ok %d - %s\n" % (n, name))
            except Exception as e:
                failed += 1
                sys.stdout.write("not ok %d - %s\n" % (n, name))
                diag(e if isinstance(e, Failure) else traceback.format_exc())
            sys.stdout.flush()
    finally:
        if teardown is not None:
            teardown()
    return 1 if failed else 0


def run_verdicts(verdicts):
    """For checks decided up front: (name, held) pairs, one test each."""
    def verdict(held):
        def test():
            # The name already says what did not hold.
            check(held, "")
        return test

    return run([(name, verdict(held)) for name, held in verdicts])
