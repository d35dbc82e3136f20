#!/usr/bin/env python3
"""Writes src-tauri/symbol-order.txt: the app's own functions that ran in a callgrind profile of
its start and rest, in the order they first appear in the profile, for the linker to lay side by
side (src-tauri/build.rs passes it to LLD in release builds on x86_64 Linux).

  valgrind --tool=callgrind --demangle=no --trace-children=no --callgrind-out-file=OUT APP
  (under Xvfb with a keychain and a vault; dump with `callgrind_control -d` once it is at rest)
  python3 scripts/code-order.py APP OUT... > src-tauri/symbol-order.txt

APP is the profiled binary: only the functions of that object are kept, and only those its
symbol table holds (the linker ignores names it does not find, so an old list only loses its
effect as the code changes; make it again then)."""
import re
import subprocess
import sys


def main():
    app, outs = sys.argv[1], sys.argv[2:]
    known = set()
    table = subprocess.run(["nm", "--defined-only", app], capture_output=True, text=True, check=True)
    for line in table.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            known.add(parts[2])
    objects, names, order, seen = {}, {}, [], set()
    for out in outs:
        current = None
        with open(out, errors="replace") as f:
            for line in f:
                m = re.match(r"^(ob|cob|fn|cfn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
                if not m:
                    continue
                kind, key, name = m.groups()
                if kind in ("ob", "cob"):
                    if name:
                        objects[key] = name
                    if kind == "ob":
                        current = objects.get(key)
                    continue
                if name:
                    names[key] = name
                if kind == "fn" and current == app and names[key] in known and names[key] not in seen:
                    seen.add(names[key])
                    order.append(names[key])
    sys.stdout.write("".join(f"{n}\n" for n in order))
    print(f"{len(order)} functions of {app} ran", file=sys.stderr)


if __name__ == "__main__":
    main()
