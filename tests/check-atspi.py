#!/usr/bin/python3
# check-atspi.py PID
#
# Walks the accessible tree that process PID exposes over AT-SPI and
# checks what a screen reader user would meet: every button has a name
# (not only its class name, "GtkMenuButton", which is what GTK falls back
# to), and no name or description holds a secret. The secrets to look for come
# on stdin, one per line (never in argv). Prints a summary without them;
# exits 1 on a finding.
#
# Copyright 2026 The Birdhouse authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import sys
import time

import gi
gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

# What a widget with no accessible name can be read as: its GType.
CLASS_NAME = re.compile(r"^(Gtk|Adw|Gdk|Bh)[A-Z][A-Za-z0-9]*$")

BUTTON_ROLES = {
    Atspi.Role.PUSH_BUTTON,
    Atspi.Role.TOGGLE_BUTTON,
}


def find_app(pid, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            try:
                if app is not None and app.get_process_id() == pid:
                    return app
            except gi.repository.GLib.Error:
                pass
        time.sleep(0.2)
    return None


def walk(node, depth=0):
    yield node, depth
    try:
        count = node.get_child_count()
    except gi.repository.GLib.Error:
        return
    for i in range(count):
        child = node.get_child_at_index(i)
        if child is not None:
            yield from walk(child, depth + 1)


def main():
    pid = int(sys.argv[1])
    secrets = [line.strip() for line in sys.stdin if line.strip()]

    app = find_app(pid)
    if app is None:
        print("no accessible application for the test process")
        return 1

    problems = []
    buttons = 0
    windows = []
    for node, depth in walk(app):
        try:
            role = node.get_role()
            name = node.get_name() or ""
            description = node.get_description() or ""
        except gi.repository.GLib.Error:
            continue
        if depth == 1:
            windows.append(name)
        for secret in secrets:
            if secret in name or secret in description:
                problems.append("a %s's accessible name or description holds a secret"
                                % node.get_role_name())
        if os.environ.get("CHECK_ATSPI_DEBUG"):
            print("  " * depth + "%s %r" % (node.get_role_name(), name))
        # GTK 4.8 does not keep the SHOWING state up to date, so every
        # button counts, also those of pages not shown yet: stricter.
        if role in BUTTON_ROLES:
            buttons += 1
            if not name.strip() or CLASS_NAME.match(name.strip()):
                parent = node.get_parent()
                problems.append("a button without a name%s (in %s %r)"
                                % (" but its class name %r" % name if name.strip() else "",
                                   parent.get_role_name() if parent else "?",
                                   parent.get_name() if parent else ""))

    print("windows: %s" % ", ".join(repr(w) for w in windows))
    print("buttons checked: %d; secrets looked for: %d" % (buttons, len(secrets)))
    for p in problems:
        print("PROBLEM: " + p)
    if buttons == 0:
        print("PROBLEM: no buttons found; the tree was not exposed")
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
