#!/usr/bin/env python3
"""Checks the Flatpak manifest: the app id, the GNOME runtime, and that the
sandbox grants no home or host filesystem access and no direct talk to the
Secret Service (libsecret goes through the Secret portal)."""
import json
import sys

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    manifest = json.load(f)

import bhtap

verdicts = []
def check(cond, what):
    verdicts.append((what, cond))

check(manifest.get("app-id", manifest.get("id")) == "io.github.birdhouse.Birdhouse", "app id is io.github.birdhouse.Birdhouse")
check(manifest.get("runtime") == "org.gnome.Platform", "runtime is org.gnome.Platform")
check(manifest.get("sdk") == "org.gnome.Sdk", "sdk is org.gnome.Sdk")
check(manifest.get("command") == "birdhouse", "command is birdhouse")
args = manifest.get("finish-args", [])
fs = [a for a in args if a.startswith("--filesystem")]
check(not any(a.split("=", 1)[1].split(":")[0] in ("home", "host", "host-os", "host-etc", "~")
              for a in fs if "=" in a), "no home or host filesystem access")
check("--talk-name=org.freedesktop.secrets" not in args, "no --talk-name=org.freedesktop.secrets")
for needed in ("--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11", "--device=dri"):
    check(needed in args, "grants " + needed)
modules = manifest.get("modules", [])
last = modules[-1] if modules else {}
check(isinstance(last, dict) and last.get("name") == "birdhouse" and last.get("buildsystem") == "meson",
      "the app is the last module, built with meson")
check(any(s.get("type") == "dir" and s.get("path") == "." for s in last.get("sources", [])),
      "the app is built from the local directory")
# `birdhouse import` parses YAML with libyaml (yaml-0.1), which the GNOME
# runtime does not promise: it is built as a module, from a pinned archive.
deps = modules[:-1]
check(any(isinstance(m, dict) and m.get("name") == "libyaml" for m in deps),
      "libyaml is built as a module before the app")
check(all(isinstance(m, dict) and m.get("sources") and
          all(s.get("type") == "archive" and s.get("url", "").startswith("https://") and
              len(s.get("sha256", "")) == 64 for s in m["sources"]) for m in deps),
      "every other module is an https archive pinned by sha256")
sys.exit(bhtap.run_verdicts(verdicts))
