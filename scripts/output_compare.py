#!/usr/bin/env python3
"""Compares two output snapshots (scripts/output_snapshot.sh): BEFORE and AFTER.

Every file must be byte-identical, with one allowed difference: a JSON
document may gain the common envelope (format_version, tool, version) at its
top. A document that was a bare array or object without the envelope may be
wrapped as {"format_version", "tool", "version", "<key>": <the old document>}.

  scripts/output_compare.py BEFORE AFTER

Prints one line per differing file and a summary; exits 1 when any differs.
"""
import json
import os
import sys

ENVELOPE = ("format_version", "tool", "version")


def envelope_equal(before, after):
    if not isinstance(after, dict):
        return False
    if any(key not in after for key in ENVELOPE) or list(after)[:3] != list(ENVELOPE):
        return False
    if after["tool"] != "kcontract":
        return False
    payload = {k: v for k, v in after.items() if k not in ENVELOPE}
    if isinstance(before, dict):
        old = {k: v for k, v in before.items() if k not in ENVELOPE}
        if "format_version" in before and before["format_version"] != after["format_version"]:
            return False
        if "version" in before and before["version"] != after["version"]:
            return False
        if old == payload and list(old) == list(payload):
            return True
    # A wrapped document: exactly one payload key holding the old document.
    return len(payload) == 1 and next(iter(payload.values())) == before


def main():
    before_dir, after_dir = sys.argv[1], sys.argv[2]
    names = sorted(set(os.listdir(before_dir)) | set(os.listdir(after_dir)))
    same = enveloped = 0
    differ = []
    for name in names:
        a = os.path.join(before_dir, name)
        b = os.path.join(after_dir, name)
        if not os.path.exists(a) or not os.path.exists(b):
            differ.append(f"{name}: only in {'after' if os.path.exists(b) else 'before'}")
            continue
        with open(a, "rb") as f:
            old = f.read()
        with open(b, "rb") as f:
            new = f.read()
        if old == new:
            same += 1
            continue
        try:
            if envelope_equal(json.loads(old), json.loads(new)):
                enveloped += 1
                continue
        except ValueError:
            pass
        differ.append(f"{name}: differs")
    for line in differ:
        print(line)
    print(f"{len(names)} files: {same} identical, {enveloped} equal but for the JSON envelope, "
          f"{len(differ)} different")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
