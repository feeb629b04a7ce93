#!/usr/bin/python3
# read-env-file.py
#
# Copyright 2026 The Birdhouse authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads a .env file the way one loader does and prints, as one JSON
object, the variables whose names start with PREFIX:

  read-env-file.py sh|python-dotenv|systemd FILE PREFIX

  sh             a POSIX shell's `set -a; . FILE` (/bin/sh)
  python-dotenv  dotenv_values(FILE), interpolation on (its default);
                 exit status 77 when python3-dotenv is not installed
  systemd        EnvironmentFile=, as src/basic/env-file.c of systemd
                 parses it (parse_env_file_internal); systemd itself cannot
                 run in a test session, so its documented state machine
                 is followed here, state by state
"""

import json
import os
import subprocess
import sys

SKIP = 77

WHITESPACE = " \t\n\r"
NEWLINE = "\n\r"
COMMENTS = "#;"
SHELL_NEED_ESCAPE = "\"\\`$"


def read_sh(path, prefix):
    dump = ("import json, os, sys; "
            "print(json.dumps({k: v for k, v in os.environ.items() if k.startswith(sys.argv[1])}))")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefix)}
    out = subprocess.run(["/bin/sh", "-c", 'set -a; . "$1"; exec "$2" -c "$3" "$4"', "sh",
                          os.path.abspath(path), sys.executable, dump, prefix],
                         env=env, check=True, stdout=subprocess.PIPE).stdout
    return json.loads(out)


def read_python_dotenv(path, prefix):
    try:
        from dotenv import dotenv_values
    except ImportError:
        print("python3-dotenv is not installed", file=sys.stderr)
        sys.exit(SKIP)
    return {k: v for k, v in dotenv_values(path).items() if k.startswith(prefix)}


def read_systemd(path, prefix):
    with open(path, encoding="utf-8") as f:
        contents = f.read()
    result = {}
    state = "PRE_KEY"
    key = []
    value = []
    last_key_ws = None
    last_value_ws = None

    def push():
        k = "".join(key[:last_key_ws] if last_key_ws is not None else key)
        result[k] = "".join(value)

    for c in contents:
        if state == "PRE_KEY":
            if c in COMMENTS:
                state = "COMMENT"
            elif c not in WHITESPACE:
                state = "KEY"
                last_key_ws = None
                key.append(c)
        elif state == "KEY":
            if c in NEWLINE:
                state = "PRE_KEY"
                key = []
            elif c == "=":
                state = "PRE_VALUE"
                last_value_ws = None
            else:
                if c not in WHITESPACE:
                    last_key_ws = None
                elif last_key_ws is None:
                    last_key_ws = len(key)
                key.append(c)
        elif state == "PRE_VALUE":
            if c in NEWLINE:
                state = "PRE_KEY"
                push()
                key, value = [], []
            elif c == "'":
                state = "SINGLE_QUOTE_VALUE"
            elif c == '"':
                state = "DOUBLE_QUOTE_VALUE"
            elif c == "\\":
                state = "VALUE_ESCAPE"
            elif c not in WHITESPACE:
                state = "VALUE"
                value.append(c)
        elif state == "VALUE":
            if c in NEWLINE:
                state = "PRE_KEY"
                if last_value_ws is not None:
                    del value[last_value_ws:]
                push()
                key, value = [], []
            elif c == "\\":
                state = "VALUE_ESCAPE"
                last_value_ws = None
            else:
                if c not in WHITESPACE:
                    last_value_ws = None
                elif last_value_ws is None:
                    last_value_ws = len(value)
                value.append(c)
        elif state == "VALUE_ESCAPE":
            state = "VALUE"
            if c not in NEWLINE:
                value.append(c)
        elif state == "SINGLE_QUOTE_VALUE":
            if c == "'":
                state = "PRE_VALUE"
            else:
                value.append(c)
        elif state == "DOUBLE_QUOTE_VALUE":
            if c == '"':
                state = "PRE_VALUE"
            elif c == "\\":
                state = "DOUBLE_QUOTE_VALUE_ESCAPE"
            else:
                value.append(c)
        elif state == "DOUBLE_QUOTE_VALUE_ESCAPE":
            state = "DOUBLE_QUOTE_VALUE"
            if c in SHELL_NEED_ESCAPE:
                value.append(c)
            elif c != "\n":
                value.append("\\")
                value.append(c)
        elif state == "COMMENT":
            if c == "\\":
                state = "COMMENT_ESCAPE"
            elif c in NEWLINE:
                state = "PRE_KEY"
        elif state == "COMMENT_ESCAPE":
            state = "PRE_KEY" if c in NEWLINE else "COMMENT"

    if state in ("PRE_VALUE", "VALUE", "VALUE_ESCAPE", "SINGLE_QUOTE_VALUE",
                 "DOUBLE_QUOTE_VALUE", "DOUBLE_QUOTE_VALUE_ESCAPE"):
        if state == "VALUE" and last_value_ws is not None:
            del value[last_value_ws:]
        push()

    return {k: v for k, v in result.items() if k.startswith(prefix)}


LOADERS = {"sh": read_sh, "python-dotenv": read_python_dotenv, "systemd": read_systemd}


def main(argv):
    if len(argv) != 4 or argv[1] not in LOADERS:
        print("usage: %s sh|python-dotenv|systemd FILE PREFIX" % argv[0], file=sys.stderr)
        return 2
    print(json.dumps(LOADERS[argv[1]](argv[2], argv[3])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
