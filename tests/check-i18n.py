#!/usr/bin/python3
# check-i18n.py: Birdhouse's strings can be translated, and are.
#
#   check-i18n.py SOURCE_ROOT
#
# TAP output. Checks, on the sources and on what xgettext extracts:
#  - xgettext runs over po/POTFILES.in without a warning;
#  - no _() whose text a macro continues ("%" G_GINT64_FORMAT …): xgettext
#    stops at the macro and translators get half a sentence;
#  - every extracted string with a placeholder has a translator comment;
#  - user-visible text in .ui files is translatable="yes", and literal text
#    passed to the functions that show text to a person (toasts, labels,
#    dialogs, titles, errors a person reads) is wrapped in _();
#  - each language in po/LINGUAS compiles with `msgfmt --check`, has no
#    untranslated or fuzzy message, and keeps every placeholder.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import subprocess
import sys
import tempfile

root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(root)

results = []


def check(name, problems):
    results.append((name, problems))


def potfiles():
    with open("po/POTFILES.in", encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


# --- Extraction -------------------------------------------------------------

tmp = tempfile.mkdtemp(prefix="birdhouse-i18n-")
pot = os.path.join(tmp, "birdhouse.pot")
files = potfiles()
proc = subprocess.run(
    ["xgettext", "--from-code=UTF-8", "--add-comments=Translators", "--keyword=_", "--keyword=N_",
     "--keyword=C_:1c,2", "--keyword=NC_:1c,2", "--keyword=g_dngettext:2,3", "--keyword=ngettext:1,2",
     "--keyword=g_dpgettext2:2c,3", "-o", pot] + files,
    capture_output=True, text=True)
check("xgettext extracts po/POTFILES.in without a warning",
      [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()] +
      ([f"xgettext exited with {proc.returncode}"] if proc.returncode != 0 else []))


def read_po(path):
    """Entries as dicts: comments, msgctxt, msgid, msgid_plural, msgstr (list), flags."""
    entries = []
    entry = None
    key = None

    def finish():
        if entry is not None and ("msgid" in entry):
            entries.append(entry)

    def unquote(s):
        s = s.strip()
        assert s.startswith('"') and s.endswith('"'), s
        return bytes(s[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")

    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line.strip():
                finish()
                entry = None
                key = None
                continue
            if entry is None:
                entry = {"comments": [], "flags": set(), "msgstr": {}}
            if line.startswith("#."):
                entry["comments"].append(line[2:].strip())
            elif line.startswith("#,"):
                entry["flags"].update(x.strip() for x in line[2:].split(","))
            elif line.startswith("#~"):
                continue
            elif line.startswith("#"):
                continue
            elif line.startswith("msgctxt "):
                key = "msgctxt"
                entry[key] = unquote(line[8:])
            elif line.startswith("msgid_plural "):
                key = "msgid_plural"
                entry[key] = unquote(line[13:])
            elif line.startswith("msgid "):
                key = "msgid"
                entry[key] = unquote(line[6:])
            elif line.startswith("msgstr["):
                n = int(line[7:line.index("]")])
                key = ("msgstr", n)
                entry["msgstr"][n] = unquote(line[line.index("]") + 1:])
            elif line.startswith("msgstr "):
                key = ("msgstr", 0)
                entry["msgstr"][0] = unquote(line[7:])
            elif line.startswith('"'):
                if isinstance(key, tuple):
                    entry["msgstr"][key[1]] += unquote(line)
                else:
                    entry[key] += unquote(line)
    finish()
    return entries


PLACEHOLDER = re.compile(r"%(?:\d+\$)?[-+ #0']*\d*(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t)?[diouxXeEfgGcsp%]|%\S")


def placeholders(text):
    return sorted(p for p in PLACEHOLDER.findall(text) if p != "%%")


entries = [e for e in read_po(pot) if e.get("msgid")] if os.path.exists(pot) else []

problems = []
for e in entries:
    if placeholders(e["msgid"]) and not any(c.startswith("Translators") for c in e["comments"]):
        problems.append(f"no translator comment for {e['msgid'][:70]!r}")
check("every string with a placeholder has a translator comment", problems)

# --- The sources ------------------------------------------------------------

c_files = [f for f in sorted(set(files) | set(
    os.path.join(d, n) for d, _, ns in os.walk("src") for n in ns)) if f.endswith(".c")]
ui_files = [os.path.join(d, n) for d, _, ns in os.walk("src") for n in ns if n.endswith(".ui")]

problems = []
macro_continued = re.compile(r'\b(?:_|N_|C_|NC_)\s*\(\s*(?:"[^"\\]*(?:\\.[^"\\]*)*"\s*)+[A-Z_][A-Z0-9_]*')
for path in c_files:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for m in macro_continued.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        problems.append(f"{path}:{line}: a macro continues a translatable string: {m.group(0)[:60]}")
check("no translatable string is continued by a macro", problems)

# Functions whose text argument a person reads, with the argument's index.
SHOWN = {
    "adw_toast_new": 0, "adw_toast_set_title": 1,
    "gtk_label_set_text": 1, "gtk_label_set_label": 1, "gtk_label_new": 0,
    "gtk_button_set_label": 1, "gtk_button_new_with_label": 0, "gtk_button_new_with_mnemonic": 0,
    "gtk_widget_set_tooltip_text": 1, "gtk_window_set_title": 1,
    "adw_status_page_set_title": 1, "adw_status_page_set_description": 1,
    "adw_preferences_row_set_title": 1, "adw_action_row_set_subtitle": 1,
    "adw_message_dialog_set_heading": 1, "adw_message_dialog_set_body": 1,
    "adw_message_dialog_format_heading": 1, "adw_message_dialog_format_body": 1,
    "adw_message_dialog_add_response": 2, "adw_banner_set_title": 1,
    "g_set_error": 3, "g_set_error_literal": 3, "g_task_return_new_error": 3,
    "g_error_new": 2, "g_error_new_literal": 2, "g_prefix_error": 1,
    "g_printerr": 0,
}
call = re.compile(r"\b(" + "|".join(SHOWN) + r")\s*\(")


def split_args(text, start):
    """The top-level arguments of the call whose '(' is at text[start - 1]."""
    depth, i, args, cur, in_str = 0, start, [], [], False
    while i < len(text):
        c = text[i]
        if in_str:
            cur.append(c)
            if c == "\\":
                cur.append(text[i + 1])
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            cur.append(c)
        elif c in "([{":
            depth += 1
            cur.append(c)
        elif c in ")]}":
            if depth == 0:
                args.append("".join(cur).strip())
                return args
            depth -= 1
            cur.append(c)
        elif c == "," and depth == 0:
            args.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    return args


problems = []
for path in c_files:
    if not (path.startswith("src/ui/") or path.startswith("src/cli/") or path.startswith("src/core/")):
        continue
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for m in call.finditer(text):
        args = split_args(text, m.end())
        index = SHOWN[m.group(1)]
        if index >= len(args):
            continue
        arg = args[index]
        # A literal with letters in it, not wrapped: a person would read
        # untranslated words. Formats of only placeholders and punctuation
        # ("%s\n", "%s: %s") are fine.
        if arg.startswith('"'):
            # The program's name prefixes its messages untranslated.
            literal = re.sub(r"%\S", "", arg).replace("birdhouse:", "")
            if re.search(r"[A-Za-z]{2,}", literal):
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"{path}:{line}: {m.group(1)} shows untranslated text {arg[:50]}")
check("text shown to a person in the C sources is translatable", problems)

problems = []
shown_props = {"label", "title", "subtitle", "tooltip-text", "description", "placeholder-text", "text",
               "heading", "body", "accessible-name"}
prop = re.compile(r'<(property|attribute)\s+name="([a-z-]+)"([^>]*)>([^<]*)</(?:property|attribute)>')
for path in ui_files:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for m in prop.finditer(text):
        name, attrs, value = m.group(2), m.group(3), m.group(4)
        if name in shown_props and re.search(r"[A-Za-z]{2,}", value) and 'translatable="yes"' not in attrs:
            line = text.count("\n", 0, m.start()) + 1
            problems.append(f"{path}:{line}: {name} “{value[:40]}” is not translatable")
check("text shown to a person in .ui files is translatable", problems)

# --- The translations ---------------------------------------------------------

with open("po/LINGUAS", encoding="utf-8") as f:
    languages = [w for line in f for w in line.split("#", 1)[0].split()]

for lang in languages:
    po = f"po/{lang}.po"
    problems = []
    if not os.path.exists(po):
        check(f"{lang}: po/{lang}.po exists", [f"{po} is missing"])
        continue
    proc = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, po],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        problems += proc.stderr.splitlines()
    # Against the sources: every current string, translated, not fuzzy.
    merged = os.path.join(tmp, f"{lang}.po")
    subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged, po, pot], check=True)
    for e in read_po(merged):
        if not e.get("msgid"):
            continue
        strs = [s for _, s in sorted(e["msgstr"].items())]
        if "fuzzy" in e["flags"]:
            problems.append(f"fuzzy: {e['msgid'][:60]!r}")
        elif not strs or any(not s for s in strs):
            problems.append(f"untranslated: {e['msgid'][:60]!r}")
        else:
            want = placeholders(e["msgid"])
            for s in strs:
                if sorted(p for p in placeholders(s)) != want and "c-format" in e["flags"]:
                    problems.append(f"placeholders differ: {e['msgid'][:50]!r} -> {s[:50]!r}")
    check(f"{lang}: compiles, complete and not fuzzy", problems)

print(f"1..{len(results)}")
for i, (name, problems) in enumerate(results, 1):
    if problems:
        print(f"not ok {i} - {name}")
        for p in problems[:40]:
            print(f"# {p}")
        if len(problems) > 40:
            print(f"# … and {len(problems) - 40} more")
    else:
        print(f"ok {i} - {name}")
sys.exit(1 if any(p for _, p in results) else 0)
