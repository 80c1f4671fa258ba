#!/usr/bin/env python3
"""Checks that the files and command outputs a Markdown document shows are current.

    scripts/doc-includes.py [--fix] DOC.md [--require PATH ...]

In DOC.md, a line `<!-- include: PATH -->` must be followed by a fenced code block whose
text is exactly the file PATH (relative to the repository root), and a line
`<!-- output: COMMAND -->` by a block holding exactly what COMMAND (run by sh in the
repository root) prints. Every PATH given with --require must be included or appear in a
COMMAND. Exit 0 when all blocks are current; otherwise print each stale block's diff and
exit 1, or, with --fix, rewrite the stale blocks in DOC.md.
"""

import argparse
import difflib
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^<!-- (include|output): (.+?) -->\n$")
FENCE = re.compile(r"^(```+)[^`]*\n$")


def expected(kind, arg):
    """The text the block after a marker must hold."""
    if kind == "include":
        return (ROOT / arg).read_text()
    done = subprocess.run(["sh", "-c", arg], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"`{arg}` failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("doc")
    parser.add_argument("--fix", action="store_true", help="rewrite stale blocks")
    parser.add_argument("--require", action="append", default=[], metavar="PATH")
    args = parser.parse_args()

    doc = pathlib.Path(args.doc)
    lines = doc.read_text().splitlines(keepends=True)
    out, stale, seen, problems = [], 0, [], []
    at = 0
    while at < len(lines):
        line = lines[at]
        out.append(line)
        at += 1
        marker = MARKER.match(line)
        if not marker:
            continue
        kind, arg = marker.groups()
        seen.append(arg)
        while at < len(lines) and lines[at].strip() == "":
            out.append(lines[at])
            at += 1
        fence = FENCE.match(lines[at]) if at < len(lines) else None
        if not fence:
            problems.append(f"{doc}:{at + 1}: no fenced block after `{line.strip()}`")
            continue
        out.append(lines[at])
        start = at + 1
        end = start
        while end < len(lines) and lines[end].rstrip("\n") != fence.group(1):
            end += 1
        if end == len(lines):
            problems.append(f"{doc}:{at + 1}: unclosed fenced block")
            break
        shown = "".join(lines[start:end])
        try:
            want = expected(kind, arg)
        except (OSError, RuntimeError) as e:
            problems.append(f"{doc}:{at}: {e}")
            want = shown
        if shown != want:
            stale += 1
            if not args.fix:
                diff = difflib.unified_diff(
                    shown.splitlines(keepends=True), want.splitlines(keepends=True),
                    f"{doc} (line {start + 1})", f"{kind}: {arg}")
                sys.stdout.writelines(diff)
        out.append(want)
        out.append(lines[end])
        at = end + 1

    for path in args.require:
        if not any(path in arg for arg in seen):
            problems.append(f"{doc}: does not show {path} (no include or output marker)")
    for p in problems:
        print(p, file=sys.stderr)
    if args.fix and stale:
        doc.write_text("".join(out))
        print(f"{doc}: rewrote {stale} stale block(s)")
        stale = 0
    if stale:
        print(f"{doc}: {stale} block(s) differ from their source (run with --fix)",
              file=sys.stderr)
    if problems or stale:
        return 1
    print(f"{doc}: {len(seen)} included block(s) current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
