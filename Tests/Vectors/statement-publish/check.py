#!/usr/bin/env python3
"""Independent check of the `statement.publish` entry vectors (vectors.json).

Uses nothing of Almoner: Python's hashlib and json only. For each vector it
checks that the canonical text and hex are the same bytes; that they are the
RFC 8785 (JCS) form of `fields` (the entry as a JSON object, built here from
the vector's fields, not read from the bytes); that the envelope has the
eight v1 fields and kind "statement.publish"; that the body holds exactly
hash, period, subtree and unit, plus supersedes and reason together or not
at all; and that the entry hash is SHA-256(0x00 || canonical bytes).

Usage: python3 check.py [DIR]. Exit 0 when all hold, 1 naming the first failure.
"""
import hashlib
import json
import os
import sys

ENVELOPE = {"v", "seq", "prev", "time", "date", "kind", "author", "body"}


def jcs(value):
    """RFC 8785 for objects, arrays, strings, integers and booleans."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(jcs(k) + ":" + jcs(value[k]) for k in keys) + "}"
    if isinstance(value, list):
        return "[" + ",".join(jcs(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise ValueError("unexpected JSON value %r" % (value,))


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(folder, "vectors.json"), encoding="utf-8") as f:
        document = json.load(f)
    for vector in document["vectors"]:
        where = vector["name"]
        data = vector["canonical"].encode("utf-8")
        if bytes.fromhex(vector["canonicalHex"]) != data:
            return fail(where, "canonical text and hex differ")
        entry = dict(vector["fields"])
        if jcs(entry).encode("utf-8") != data:
            return fail(where, "canonical bytes are not the JCS form of the fields")
        if set(entry) != ENVELOPE or entry["kind"] != "statement.publish" or entry["v"] != 1:
            return fail(where, "envelope")
        body = entry["body"]
        required = {"hash", "period", "subtree", "unit"}
        optional = {"supersedes", "reason"} & set(body)
        if not required <= set(body) or set(body) - required - {"supersedes", "reason"}:
            return fail(where, "body fields %s" % sorted(body))
        if optional and optional != {"supersedes", "reason"}:
            return fail(where, "supersedes and reason come together")
        digest = hashlib.sha256(b"\x00" + data).hexdigest()
        if digest != vector["hash"]:
            return fail(where, "hash is %s" % digest)
    print("ok: %d statement.publish vectors" % len(document["vectors"]))
    return 0


def fail(where, why):
    print("FAILED: %s: %s" % (where, why), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
