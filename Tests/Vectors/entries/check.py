#!/usr/bin/env python3
"""Independent check of the frozen Almoner v1 entry and commit vectors.

Uses nothing of Almoner: Python's hashlib, json and sqlite3, and the
`cryptography` package for Ed25519. From the files in this folder alone it
checks that

  * each vector's canonical text and hex are the same bytes, and are RFC 8785
    (JCS) canonical JSON with the eight v1 envelope fields;
  * each entry hash is SHA-256(0x00 || canonical bytes);
  * each commit statement is
    "almoner-commit/v1\\n<ledger id>\\n<first seq>\\n<last seq>\\n<last hash>\\n",
    that the entry's prev links lead through the commit's later entries to
    that last hash, and that the Ed25519 signature verifies with the signer's
    public key, whose key id is "ed25519:" + SHA-256(raw key)[:16 hex];
  * the signer's key is the one in keys/ and in the ledger's own grants;
  * the ledger file's entry table: every hash, the prev chain, seq numbering,
    the ledger id (the genesis hash), every commit signature, and the RFC 9162
    Merkle root; and that the vectors are exactly the ledger's entries.

Usage: python3 check.py [DIR]   (DIR defaults to this script's folder)
Exit status 0 when everything holds, 1 with the first failure named.
"""

import base64
import hashlib
import json
import os
import sqlite3
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ENVELOPE = {"v", "seq", "prev", "time", "date", "kind", "author", "body"}
KINDS_V1 = [
    "genesis", "unit.add", "member.grant", "member.revoke", "fund.open", "donation",
    "allocation.send", "allocation.confirm", "allocation.void", "reversal", "checkpoint",
    "checkpoint.cosign", "policy.set", "disbursement.request", "disbursement.approve",
    "disbursement.reject", "disbursement.pay", "disbursement.cancel", "fund.release",
    "reconciliation",
]


class Failure(Exception):
    pass


def require(condition, message):
    if not condition:
        raise Failure(message)


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(leaves):
    """RFC 9162 section 2.1.1, iteratively: the largest power of two below n splits."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    # Fold complete subtrees from the left, as a binary counter does.
    stack = []  # (size, hash)
    for leaf in leaves:
        size, value = 1, leaf
        while stack and stack[-1][0] == size:
            left_size, left = stack.pop()
            size, value = left_size + size, node_hash(left, value)
        stack.append((size, value))
    size, value = stack.pop()
    while stack:
        _, left = stack.pop()
        value = node_hash(left, value)
    return value


def jcs(value):
    """RFC 8785 for the values entries hold: objects, arrays, strings, integers, booleans."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(jcs(k) + ":" + jcs(value[k]) for k in keys) + "}"
    if isinstance(value, list):
        return "[" + ",".join(jcs(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        require(abs(value) <= 2**53 - 1, f"integer {value} outside I-JSON range")
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return "null"
    raise Failure(f"unexpected JSON value {value!r} (floats are not allowed)")


def key_id(raw):
    return "ed25519:" + hashlib.sha256(raw).hexdigest()[:16]


def statement(ledger_id, first, last, last_hash):
    return f"almoner-commit/v1\n{ledger_id}\n{first}\n{last}\n{last_hash}\n".encode()


def verify_signature(raw_public, signature, message, where):
    try:
        Ed25519PublicKey.from_public_bytes(raw_public).verify(signature, message)
    except InvalidSignature:
        raise Failure(f"{where}: Ed25519 signature does not verify")


def parse_entry(data, where):
    require(data.decode("utf-8").encode("utf-8") == data, f"{where}: not UTF-8")
    entry = json.loads(data)
    require(isinstance(entry, dict) and set(entry) == ENVELOPE, f"{where}: envelope fields {sorted(entry)}")
    require(jcs(entry).encode("utf-8") == data, f"{where}: not RFC 8785 canonical")
    require(entry["v"] == 1, f"{where}: v is {entry['v']}")
    return entry


def check_vectors(folder, manifest):
    ledger_id = manifest["ledgerId"]
    keys = {}
    for key in manifest["keys"]:
        raw = bytes.fromhex(key["publicKey"])
        require(key_id(raw) == key["keyId"], f"manifest key {key['file']}: key id")
        with open(os.path.join(folder, key["file"] + ".pub"), "rb") as f:
            public = serialization.load_pem_public_key(f.read())
        pem_raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        require(pem_raw == raw, f"{key['file']}.pub is not the manifest's key")
        with open(os.path.join(folder, key["file"]), "rb") as f:
            private = serialization.load_pem_private_key(f.read(), password=None)
        require(
            private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw) == raw,
            f"{key['file']}: private and public key differ")
        keys[key["keyId"]] = raw

    missing = [kind for kind in KINDS_V1 if kind not in manifest["files"]]
    require(not missing, f"no vector file for kinds {missing}")
    vectors = {}
    for kind, name in sorted(manifest["files"].items()):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            document = json.load(f)
        require(document["kind"] == kind and document["vectors"], f"{name}: kind or vectors")
        for vector in document["vectors"]:
            where = f"{name} seq {vector['seq']} ({vector['name']})"
            data = vector["canonical"].encode("utf-8")
            require(bytes.fromhex(vector["canonicalHex"]) == data, f"{where}: canonical text and hex differ")
            entry = parse_entry(data, where)
            require(entry["kind"] == kind and entry["seq"] == vector["seq"], f"{where}: kind or seq")
            digest = leaf_hash(data)
            require(digest.hex() == vector["hash"], f"{where}: hash is {digest.hex()}")

            commit = vector["commit"]
            first, last = commit["firstSeq"], commit["lastSeq"]
            require(first <= entry["seq"] <= last, f"{where}: not inside commit {first}..{last}")
            require(len(commit["laterEntries"]) == last - entry["seq"], f"{where}: later entries")
            head = digest
            for offset, text in enumerate(commit["laterEntries"], start=1):
                later = parse_entry(text.encode("utf-8"), f"{where}, later entry {offset}")
                require(later["seq"] == entry["seq"] + offset, f"{where}: later entry {offset} seq")
                require(later["prev"] == head.hex(), f"{where}: later entry {offset} prev link")
                require(later["author"] == entry["author"], f"{where}: later entry {offset} author")
                head = leaf_hash(text.encode("utf-8"))
            message = statement(ledger_id, first, last, head.hex())
            require(commit["statement"].encode("utf-8") == message, f"{where}: statement text")
            require(bytes.fromhex(commit["statementHex"]) == message, f"{where}: statement hex")
            raw = bytes.fromhex(commit["signerPublicKey"])
            require(key_id(raw) == commit["signerKeyId"] == entry["author"], f"{where}: signer key id")
            require(keys.get(commit["signerKeyId"]) == raw, f"{where}: signer not in manifest keys")
            require(commit["signerKeyFile"] in (k["file"] for k in manifest["keys"] if k["keyId"] == entry["author"]),
                    f"{where}: signer key file")
            verify_signature(raw, bytes.fromhex(commit["signature"]), message, where)
            require(vector["seq"] not in vectors, f"{where}: seq appears twice")
            vectors[vector["seq"]] = (data, digest)
    return vectors, keys


def check_ledger(folder, manifest, vectors, manifest_keys):
    path = os.path.abspath(os.path.join(folder, manifest["ledgerFile"]))
    # immutable=1: read the file as it is, creating no -wal or -shm beside it.
    db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    prev = "0" * 64
    leaves = []
    authors = {}
    grants = {}
    for seq, stored_hash, canonical, commit_seq in db.execute(
            "SELECT seq, hash, canonical, commit_seq FROM entry ORDER BY seq"):
        where = f"{manifest['ledgerFile']} entry seq {seq}"
        require(seq == len(leaves), f"{where}: seq not contiguous")
        entry = parse_entry(canonical, where)
        digest = leaf_hash(canonical)
        require(digest == stored_hash, f"{where}: stored hash differs from SHA-256(0x00 || canonical)")
        require(entry["seq"] == seq and entry["prev"] == prev, f"{where}: prev link")
        require(vectors.get(seq) == (canonical, digest), f"{where}: differs from its vector")
        if entry["kind"] == "genesis":
            grants[key_id(base64.b64decode(entry["body"]["admin"]["publicKey"]))] = \
                base64.b64decode(entry["body"]["admin"]["publicKey"])
        if entry["kind"] == "member.grant":
            raw = base64.b64decode(entry["body"]["publicKey"])
            require(key_id(raw) == entry["body"]["keyId"], f"{where}: granted key id")
            grants[entry["body"]["keyId"]] = raw
        authors[seq] = entry["author"]
        leaves.append(digest)
        prev = digest.hex()
    require(len(leaves) == manifest["entryCount"] == len(vectors), "entry count")
    ledger_id = leaves[0].hex()
    require(ledger_id == manifest["ledgerId"], "ledger id is not the genesis hash")
    meta = dict(db.execute("SELECT key, value FROM ledger_meta"))
    require(meta.get("ledger_id") == ledger_id, "ledger_meta.ledger_id")
    require(merkle_root(leaves).hex() == manifest["treeRoot"], "Merkle root")
    require(grants == manifest_keys, "the ledger's grants are not the keys in keys/")

    next_seq = 0
    commits = 0
    for first, last, author, signature in db.execute(
            "SELECT first_seq, last_seq, author, signature FROM ledger_commit ORDER BY first_seq"):
        where = f"{manifest['ledgerFile']} commit {first}..{last}"
        require(first == next_seq and last >= first, f"{where}: commits not contiguous")
        require(all(authors[s] == author for s in range(first, last + 1)), f"{where}: author")
        message = statement(ledger_id, first, last, leaves[last].hex())
        verify_signature(grants[author], signature, message, where)
        next_seq = last + 1
        commits += 1
    require(next_seq == len(leaves), "commits do not cover every entry")
    db.close()
    return len(leaves), commits


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    try:
        with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        vectors, keys = check_vectors(folder, manifest)
        entries, commits = check_ledger(folder, manifest, vectors, keys)
    except Failure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    print(f"ok: {len(vectors)} vectors of {len(manifest['files'])} kinds; "
          f"{manifest['ledgerFile']}: {entries} entries, {commits} commits, chain, signatures "
          f"and Merkle root verified")
    return 0


if __name__ == "__main__":
    sys.exit(main())
