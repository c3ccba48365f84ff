#!/usr/bin/env python3
"""Checks a public log written by `almoner publish DIR`, with nothing but
Python's standard library and `cryptography` — an independent reader of the
C2SP tlog-tiles, signed-note and checkpoint formats.

    python3 scripts/check_public_log.py DIR

It checks: the checkpoint's log signature with a log key from DIR/trust.json
(and counts the supervisors' cosignatures it can verify); that every entry
bundle holds entries whose RFC 9162 leaf hashes are the level-0 tile; that
each higher-level tile hash is the root of the full tile below; and that
the tree built from the leaves has the checkpoint's root. It also checks
the statements: every `statement.publish` entry's statement is in
DIR/statements/<hash>.json, whose body hashes (SHA-256 of its RFC 8785
bytes) to that hash, and DIR/statements/index.json lists exactly those,
with the right unit, period, scope, seq and superseded-by. Exit 0 and
"public log ok" on success; exit 1 naming the first failure.
"""
import base64
import hashlib
import json
import os
import struct
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

WIDTH = 256


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def index_path(n):
    elements = []
    while True:
        elements.append("%03d" % (n % 1000))
        n //= 1000
        if n == 0:
            break
    elements.reverse()
    return "/".join(["x" + e for e in elements[:-1]] + [elements[-1]])


def tile_path(root, level, n, width):
    level_name = "entries" if level == "entries" else str(level)
    path = os.path.join(root, "tile", level_name, index_path(n))
    return path + ".p/%d" % width if width < WIDTH else path


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def mth(hashes):
    """RFC 9162 Merkle tree hash of a list of leaf hashes."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return node_hash(mth(hashes[:k]), mth(hashes[k:]))


def read_hashes(path, count):
    try:
        data = open(path, "rb").read()
    except OSError:
        fail("missing tile " + path)
    if len(data) != 32 * count:
        fail("tile %s has %d bytes, expected %d" % (path, len(data), 32 * count))
    return [data[i:i + 32] for i in range(0, len(data), 32)]


def verify_signatures(note, trust):
    text, _, signatures = note.partition("\n\n")
    message = (text + "\n").encode()
    keys = {}
    for group, kind in (("log", "log"), ("witnesses", "witness")):
        for key in trust.get(group, []):
            name, key_hash, encoded = key["vkey"].split("+", 2)
            raw = base64.b64decode(encoded)
            keys[(name, bytes.fromhex(key_hash))] = (kind, raw[0], raw[1:])
    log_ok, witnesses = False, 0
    for line in signatures.splitlines():
        if not line.startswith("\u2014 "):
            fail("malformed signature line: " + line)
        name, _, encoded = line[2:].rpartition(" ")
        blob = base64.b64decode(encoded)
        found = keys.get((name, blob[:4]))
        if not found:
            continue  # unknown keys are ignored, as the signed-note spec says
        kind, key_type, public = found
        key = Ed25519PublicKey.from_public_bytes(public)
        try:
            if key_type == 0x01:
                key.verify(blob[4:], message)
                log_ok = True
            elif key_type == 0x04:
                timestamp = blob[4:12]
                signed = b"cosignature/v1\ntime %d\n" % struct.unpack(">Q", timestamp)[0] + message
                key.verify(blob[12:], signed)
                witnesses += 1
        except Exception:
            fail("bad signature by " + name)
    if not log_ok:
        fail("the checkpoint has no valid log signature from trust.json")
    return witnesses


def main(root):
    trust = json.load(open(os.path.join(root, "trust.json")))
    note = open(os.path.join(root, "checkpoint"), encoding="utf-8").read()
    witnesses = verify_signatures(note, trust)
    lines = note.split("\n")
    origin, size, root_hash = lines[0], int(lines[1]), base64.b64decode(lines[2])
    if origin != trust["origin"]:
        fail("checkpoint origin %s is not the trust file's %s" % (origin, trust["origin"]))

    leaves, publications = [], []
    for n in range((size + WIDTH - 1) // WIDTH):
        width = min(WIDTH, size - n * WIDTH)
        tile = read_hashes(tile_path(root, 0, n, width), width)
        bundle = open(tile_path(root, "entries", n, width), "rb").read()
        offset, entries = 0, []
        while offset < len(bundle):
            (length,) = struct.unpack(">H", bundle[offset:offset + 2])
            entries.append(bundle[offset + 2:offset + 2 + length])
            offset += 2 + length
        if [leaf_hash(e) for e in entries] != tile:
            fail("entry bundle %d does not hash to its level-0 tile" % n)
        for entry in entries:
            decoded = json.loads(entry)  # every entry is JSON
            if decoded.get("kind") == "statement.publish":
                publications.append(decoded)
        leaves.extend(tile)

    level, below = 1, leaves
    while len(below) >= WIDTH:
        full = len(below) // WIDTH
        roots = [mth(below[i * WIDTH:(i + 1) * WIDTH]) for i in range(full)]
        for n in range((full + WIDTH - 1) // WIDTH):
            width = min(WIDTH, full - n * WIDTH)
            if read_hashes(tile_path(root, level, n, width), width) != roots[n * WIDTH:n * WIDTH + width]:
                fail("level-%d tile %d is not the roots of the tiles below" % (level, n))
        level, below = level + 1, roots

    if mth(leaves) != root_hash:
        fail("the tiles' tree root is not the checkpoint's")
    check_statements(root, publications)
    print("public log ok: %s, %d entries, %d cosignatures verified, %d statements" % (
        origin, size, witnesses, len(publications)))


def canonical(value):
    """RFC 8785 bytes of JSON holding strings, integers, booleans, null,
    arrays and objects with ASCII keys (all a statement holds)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def check_statements(root, publications):
    superseded_by = {p["body"]["supersedes"]: p["body"]["hash"] for p in publications if "supersedes" in p["body"]}
    expected = []
    for p in publications:
        body = p["body"]
        name = "statements/%s.json" % body["hash"]
        try:
            statement = json.load(open(os.path.join(root, name), encoding="utf-8"))
        except OSError:
            fail("%s (published by entry %d) is missing" % (name, p["seq"]))
        if hashlib.sha256(canonical(statement["statement"])).hexdigest() != body["hash"]:
            fail("%s is not the statement entry %d published: its body hashes otherwise" % (name, p["seq"]))
        header = statement["statement"]
        if (header["unit"]["code"], header["period"]["name"], header["subtree"]) != (body["unit"], body["period"], body["subtree"]):
            fail("%s is not of the unit, period and scope entry %d names" % (name, p["seq"]))
        expected.append((body["hash"], p["seq"], body["unit"], body["period"], body["subtree"],
                         body.get("supersedes"), superseded_by.get(body["hash"])))
    if not publications and not os.path.exists(os.path.join(root, "statements", "index.json")):
        return
    index = json.load(open(os.path.join(root, "statements", "index.json"), encoding="utf-8"))
    listed = [(s["hash"], s["seq"], s["unit"], s["period"], s["subtree"], s["supersedes"], s["supersededBy"])
              for s in index["statements"]]
    if listed != expected:
        fail("statements/index.json does not list the statements the log's entries publish")


if __name__ == "__main__":
    main(sys.argv[1])
