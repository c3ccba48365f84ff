#!/usr/bin/env python3
"""Re-verifies a public statement (公示报表) written by `almoner statement
create`, or a donor's receipt written by `almoner receipt`, with nothing but
Python's standard library and `cryptography` — an independent reader of the
statement, receipt, entry, checkpoint, tlog-proof and signed-note formats,
so a resident need not trust Almoner's own code.

    python3 scripts/verify_statement.py STATEMENT --trust trust.json
    python3 scripts/verify_statement.py RECEIPT --trust trust.json

The kind of file is told by its `format` field.

trust.json is the trust bundle (`almoner keys export --out trust.json`, or
the copy in a public log written by `almoner publish`). It checks:

- the checkpoint note: a valid log signature by a log key of trust.json and
  cosignatures by at least `witnessQuorum` distinct witnesses (none of them
  a log key); its origin and the statement's ledger id are trust.json's, and
  the ledger id is leaf 0 of the checkpoint's tree (its inclusion proof);
- every line: its entry is canonical JSON with the line's seq, and the
  entry's RFC 9162 leaf hash is in the checkpoint's tree (inclusion proof);
- the statement's hash (SHA-256 of the RFC 8785 bytes of its body) and
  every signature: Ed25519 over `almoner-statement/v1\\n<hash hex>\\n`, by a
  key that the lines (or a supervisor's attached grants) make a treasurer
  or admin of the unit, or a supervisor of it or a unit above it;
- every figure recomputed from the lines, and per fund
  opening + in − out = closing; the reversal marks.

Completeness (that no entry was left out) needs the public log: use
`almoner verify statement FILE --trust T --log DIR`. Exit 0 and
"statement ok: ..." on success; exit 1 naming the first failure.

For a receipt it checks the same checkpoint rules, and that:

- the entry is canonical JSON of a donation;
- the donor's salt and personal data open the entry's commitment
  (SHA-256(salt ‖ personal bytes)), and the entry's displayed name is the
  masked name (张*) or, for a donor who agreed to be named, the name;
- the receipt's ledger id is trust.json's and is leaf 0 of the
  checkpoint's tree;
- the C2SP tlog-proof's index is the entry's seq and its inclusion proof
  leads from the entry's leaf hash to the checkpoint's root.

Exit 0 and "receipt ok: ..." on success.
"""
import base64
import hashlib
import json
import struct
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "almoner-statement/v1"
GENERAL = "general"


class Failure(Exception):
    pass


def fail(message):
    raise Failure(message)


def canonical(value):
    """RFC 8785 bytes of JSON holding only strings, integers, booleans,
    null, arrays and objects with ASCII keys (all a statement holds)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def inclusion_root(leaf, index, size, proof):
    """RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or None."""
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while (fn & 1) == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def b64(text):
    return base64.b64decode(text, validate=True)


def key_id(raw):
    return "ed25519:" + hashlib.sha256(raw).hexdigest()[:16]


def verify_checkpoint(note, trust):
    """The checkpoint's log signature and witness quorum; returns
    (origin, tree size, root hash, log signer, cosigners)."""
    text, sep, signatures = note.partition("\n\n")
    if not sep:
        fail("checkpoint: the note has no signatures")
    message = (text + "\n").encode()
    keys = {}
    log_publics = set()
    for group, kind in (("log", "log"), ("witnesses", "witness")):
        for key in trust.get(group, []):
            name, key_hash, encoded = key["vkey"].split("+", 2)
            raw = b64(encoded)
            keys[(name, bytes.fromhex(key_hash))] = (kind, raw[0], raw[1:], key.get("holder", name))
            if kind == "log":
                log_publics.add(raw[1:])
    log_signer, cosigners, counted = None, [], set()
    for line in signatures.rstrip("\n").split("\n"):
        if not line.startswith("\u2014 "):
            fail("checkpoint: malformed signature line " + repr(line))
        name, _, encoded = line[2:].rpartition(" ")
        blob = b64(encoded)
        found = keys.get((name, blob[:4]))
        if not found:
            continue  # unknown keys are ignored, as the signed-note spec says
        kind, key_type, public, holder = found
        key = Ed25519PublicKey.from_public_bytes(public)
        try:
            if kind == "log" and key_type == 0x01:
                key.verify(blob[4:], message)
                log_signer = log_signer or holder
            elif kind == "witness" and key_type == 0x04:
                (timestamp,) = struct.unpack(">Q", blob[4:12])
                key.verify(blob[12:], b"cosignature/v1\ntime %d\n" % timestamp + message)
                if public not in log_publics and public not in counted:
                    counted.add(public)
                    cosigners.append(holder)
        except Exception:
            fail("checkpoint: the signature by %s is not valid" % holder)
    if not log_signer:
        fail("checkpoint: no valid log signature by a log key of the trust file")
    quorum = trust.get("witnessQuorum", 1)
    if len(cosigners) < quorum:
        fail("checkpoint: the trust file asks for %d witness cosignatures, it has %d" % (quorum, len(cosigners)))
    lines = text.split("\n")
    if len(lines) < 3:
        fail("checkpoint: malformed note body")
    return lines[0], int(lines[1]), b64(lines[2]), log_signer, cosigners


class Catalogue:
    """What the lines say about funds, gifts, payments and roles."""

    def __init__(self):
        self.donations, self.sends, self.requests = {}, {}, {}
        self.approvals, self.reversals, self.roles = {}, {}, {}
        self.opening_dates = {}

    def booking_date(self, entry):
        """The day a line's money counts on: an opening balance's payment counts on the opening's date."""
        if entry["kind"] == "disbursement.pay" and entry["body"]["request"] in self.opening_dates:
            return self.opening_dates[entry["body"]["request"]]
        return entry["date"]

    def note(self, entry):
        kind, body, seq = entry["kind"], entry["body"], entry["seq"]
        if kind == "genesis":
            self.roles.setdefault(entry["author"], []).append(
                (body["district"]["code"], "admin", b64(body["admin"]["publicKey"])))
        elif kind == "donation":
            self.donations[seq] = (body["unit"], body["fund"], body["channel"], body["amountFen"])
        elif kind == "allocation.send":
            self.sends[seq] = (body["from"], body["to"], body["fund"], body["amountFen"])
        elif kind == "disbursement.request":
            self.requests[seq] = (False, body["unit"], body["fund"], body["amountFen"], body["category"])
        elif kind == "fund.release":
            self.requests[seq] = (True, body["unit"], body["fund"], body["amountFen"], "")
        elif kind == "opening.request":
            self.requests[seq] = ("opening", body["unit"], body["fund"], body["amountFen"], "")
            self.opening_dates[seq] = entry["date"]
        elif kind == "disbursement.approve":
            self.approvals.setdefault(body["request"], []).append(seq)
        elif kind == "reversal":
            self.reversals[body["seq"]] = seq
        elif kind == "member.grant":
            self.roles.setdefault(body["keyId"], []).append((body["unit"], body["role"], b64(body["publicKey"])))
        elif kind == "member.rotate":
            self.roles.setdefault(body["newKeyId"], []).extend(
                (unit, role, b64(body["publicKey"])) for unit, role, _ in self.roles.get(body["keyId"], []))

    def effects(self, entry, scope):
        """(fund, effect, detail, amount) of a line on units in scope."""
        kind, body, seq = entry["kind"], entry["body"], entry["seq"]
        if kind == "donation":
            unit, fund, channel, amount = self.donations[seq]
            return [(fund, "donation", channel, amount)] if unit in scope else []
        if kind == "reversal":
            if body["seq"] not in self.donations:
                fail("line seq %d: the gift it reverses (seq %d) is not among the lines" % (seq, body["seq"]))
            unit, fund, _, amount = self.donations[body["seq"]]
            return [(fund, "reversal", None, amount)] if unit in scope else []
        if kind == "allocation.confirm":
            if body["allocation"] not in self.sends:
                fail("line seq %d: the allocation it confirms (seq %d) is not among the lines" % (seq, body["allocation"]))
            source, target, fund, amount = self.sends[body["allocation"]]
            if source in scope and target in scope:
                return [(fund, "internal", None, amount)]
            if source in scope:
                return [(fund, "allocationOut", None, amount)]
            return [(fund, "allocationIn", None, amount)] if target in scope else []
        if kind == "disbursement.pay":
            if body["request"] not in self.requests:
                fail("line seq %d: the request it pays (seq %d) is not among the lines" % (seq, body["request"]))
            release, unit, fund, amount, category = self.requests[body["request"]]
            if unit not in scope:
                return []
            if release == "opening":
                return [(fund, "openingBalance", None, amount)]
            if release:
                return [(fund, "releaseOut", None, amount), (GENERAL, "releaseIn", None, amount)]
            return [(fund, "disbursement", category, amount)]
        return []


SIGN = {"donation": 1, "allocationIn": 1, "releaseIn": 1, "openingBalance": 1, "internal": 0,
        "reversal": -1, "allocationOut": -1, "disbursement": -1, "releaseOut": -1}
FIELD = {"reversal": "reversalsFen", "allocationIn": "allocationsInFen", "allocationOut": "allocationsOutFen",
         "internal": "internalTransfersFen", "releaseIn": "releasesInFen", "releaseOut": "releasesOutFen",
         "openingBalance": "openingBalancesFen"}
SCALARS = ["reversalsFen", "allocationsInFen", "allocationsOutFen", "internalTransfersFen",
           "releasesInFen", "releasesOutFen", "openingBalancesFen"]


def empty_figures():
    figures = {name: 0 for name in SCALARS}
    figures.update(openingFen=0, closingFen=0, donationsFen={}, disbursementsFen={})
    return figures


def verify(statement_file, trust):
    file = json.loads(open(statement_file, "rb").read())
    if not isinstance(file, dict) or file.get("format") != FORMAT:
        fail("not a statement file (format %s)" % FORMAT)
    body = file["statement"]
    digest = hashlib.sha256(canonical(body)).digest()
    if file.get("hash") != digest.hex():
        fail("hash: the file's hash field is not the hash of its contents (%s): the statement was changed" % digest.hex())

    # The checkpoint and the ledger.
    if body["origin"] != trust["origin"] or body["ledgerId"] != trust.get("ledgerId"):
        fail("ledger: the statement is of another ledger than the trust file's %s" % trust["origin"])
    origin, size, root, log_signer, cosigners = verify_checkpoint(body["checkpoint"]["note"], trust)
    if origin != trust["origin"]:
        fail("checkpoint: origin %s is not the trust file's %s" % (origin, trust["origin"]))
    ledger_proof = [b64(h) for h in body["checkpoint"]["ledgerProof"]]
    if inclusion_root(bytes.fromhex(body["ledgerId"]), 0, size, ledger_proof) != root:
        fail("checkpoint: leaf 0 of its tree is not the genesis entry of ledger %s" % body["ledgerId"])

    def check_line(line, where):
        raw = line["entry"].encode()
        try:
            entry = json.loads(raw)
        except ValueError:
            fail("%s: the entry is not JSON" % where)
        if canonical(entry) != raw or entry.get("seq") != line["seq"]:
            fail("%s: the entry is not canonical JSON, or its seq is not the line's" % where)
        if not 0 <= line["seq"] < size:
            fail("%s: not among the checkpoint's first %d entries" % (where, size))
        proof = [b64(h) for h in line["proof"]]
        if inclusion_root(leaf_hash(raw), line["seq"], size, proof) != root:
            fail("%s: the entry or its inclusion proof does not lead to the checkpoint's root" % where)
        return entry

    # Every line.
    entries, index_of = [], {}
    for index, line in enumerate(body["lines"]):
        where = "line %d (seq %d)" % (index + 1, line["seq"])
        if entries and line["seq"] <= entries[-1]["seq"]:
            fail("%s: lines must be in increasing seq order" % where)
        entries.append(check_line(line, where))
        index_of[line["seq"]] = index

    # Recompute the figures (offline: the openings are the statement's).
    scope = {unit["code"] for unit in body["units"]}
    if body["unit"]["code"] not in scope:
        fail("units: the statement's unit is not among its units")
    period = body["period"]
    catalogue, computed, order = Catalogue(), {}, []
    for entry in entries:
        catalogue.note(entry)
        effects = catalogue.effects(entry, scope)
        date = catalogue.booking_date(entry)
        if not effects or date > period["to"]:
            continue
        in_period = date >= period["from"]
        for fund, effect, detail, amount in effects:
            if fund not in computed:
                computed[fund] = empty_figures()
                order.append(fund)
            figures = computed[fund]
            delta = SIGN[effect] * amount
            figures["closingFen"] += delta
            if not in_period:
                figures["openingFen"] += delta
            elif effect == "donation":
                figures["donationsFen"][detail] = figures["donationsFen"].get(detail, 0) + amount
            elif effect == "disbursement":
                figures["disbursementsFen"][detail] = figures["disbursementsFen"].get(detail, 0) + amount
            else:
                figures[FIELD[effect]] += amount
    seen = set()
    for stated in body["funds"]:
        code = stated["code"]
        fund = "fund %s (%s)" % (code, stated["name"])
        if code in seen:
            fail("totals: %s is listed twice" % fund)
        seen.add(code)
        mine = computed.get(code, empty_figures())
        stated.setdefault("openingBalancesFen", 0)  # absent when zero
        for name in SCALARS:
            if stated[name] != mine[name]:
                fail("totals: %s %s: the statement says %d fen, the lines add up to %d" % (fund, name, stated[name], mine[name]))
        for group in ("donationsFen", "disbursementsFen"):
            for key in sorted(set(stated[group]) | set(mine[group])):
                if stated[group].get(key, 0) != mine[group].get(key, 0):
                    fail("totals: %s %s.%s: the statement says %d fen, the lines add up to %d"
                         % (fund, group, key, stated[group].get(key, 0), mine[group].get(key, 0)))
        income = (sum(stated["donationsFen"].values()) + stated["allocationsInFen"] + stated["releasesInFen"]
                  + stated["openingBalancesFen"])
        spent = (stated["reversalsFen"] + stated["allocationsOutFen"] + sum(stated["disbursementsFen"].values())
                 + stated["releasesOutFen"])
        expected = stated["openingFen"] + income - spent
        if stated["closingFen"] != expected or stated["openingFen"] + mine["closingFen"] - mine["openingFen"] != expected:
            fail("balance: %s: opening %d + in %d - out %d = %d fen, the statement says closing %d"
                 % (fund, stated["openingFen"], income, spent, expected, stated["closingFen"]))
    for code in order:
        if code not in seen:
            fail("totals: the lines move money of fund %s, which the statement does not list" % code)

    # Reversal marks.
    for index, line in enumerate(body["lines"]):
        by = line.get("reversedBy")
        if by is not None:
            target = entries[index_of[by]] if by in index_of else None
            if not target or target["kind"] != "reversal" or target["body"]["seq"] != line["seq"]:
                fail("reversal marks: line %d is marked reversed by seq %d, which is not a reversal of it among the lines"
                     % (index + 1, by))
        entry = entries[index]
        if entry["kind"] == "reversal" and entry["body"]["seq"] in index_of:
            if body["lines"][index_of[entry["body"]["seq"]]].get("reversedBy") != line["seq"]:
                fail("reversal marks: seq %d is reversed by seq %d but not marked so" % (entry["body"]["seq"], line["seq"]))

    # Signatures.
    message = ("%s\n%s\n" % (FORMAT, digest.hex())).encode()
    lineage = [body["unit"]["code"]] + [unit["code"] for unit in body["parents"]]
    treasurer, supervisors, keys_seen = None, [], set()
    for index, signature in enumerate(file["signatures"]):
        where = "signature %d (%s)" % (index + 1, signature["name"])
        roles = catalogue.roles
        if signature.get("grants"):
            merged = {entry["seq"]: entry for entry in entries}
            for grant in signature["grants"]:
                merged[grant["seq"]] = check_line(grant, where + ", grant seq %d" % grant["seq"])
            own = Catalogue()
            for seq in sorted(merged):
                own.note(merged[seq])
            roles = own.roles
        role = signature["role"]
        fitting = [public for unit, granted, public in roles.get(signature["keyId"], [])
                   if (role == "treasurer" and ((granted == "treasurer" and unit == lineage[0])
                                                or (granted == "admin" and unit in lineage)))
                   or (role == "supervisor" and granted == "supervisor" and unit in lineage)]
        if not fitting:
            fail("%s: no line makes key %s a %s of %s" % (where, signature["keyId"], role, lineage[0]))
        public = fitting[0]
        if key_id(public) != signature["keyId"]:
            fail("%s: the key id is not that of the granted public key" % where)
        try:
            Ed25519PublicKey.from_public_bytes(public).verify(b64(signature["signature"]), message)
        except Exception:
            fail("%s: the signature is not valid: the statement was changed after signing, or another key signed" % where)
        if signature["keyId"] in keys_seen:
            fail("%s: the same key signed twice" % where)
        keys_seen.add(signature["keyId"])
        if role == "treasurer":
            treasurer = treasurer or signature["name"]
        else:
            supervisors.append(signature["name"])
    if not treasurer:
        fail("signatures: no treasurer or admin signed the statement")
    return "%s (%s) %s: %d lines in the checkpoint of %d entries (log %s, cosigned by %s), signed by %s, countersigned by %s; every total recomputes. Completeness is unchecked (use almoner verify statement --log DIR)." % (
        body["unit"]["name"], body["unit"]["code"], period["name"], len(entries), size, log_signer,
        ", ".join(cosigners), treasurer, ", ".join(supervisors) or "nobody yet")


RECEIPT_FORMAT = "almoner-receipt/v1"
PROOF_HEADER = "c2sp.org/tlog-proof@v1"


def verify_receipt(file, trust):
    """A donor's receipt: entry, donor commitment, ledger id, tlog-proof."""
    raw = file["entry"].encode()
    entry = json.loads(raw)
    if canonical(entry) != raw:
        fail("entry: not canonical JSON")
    if entry.get("kind") != "donation":
        fail("entry: seq %s is a %s, not a donation" % (entry.get("seq"), entry.get("kind")))
    body = entry["body"]
    salt = bytes.fromhex(file["donor"]["salt"])
    personal = file["donor"]["personal"].encode()
    if len(salt) != 32 or hashlib.sha256(salt + personal).hexdigest() != body["donor"]["commitment"]:
        fail("donor: the salt and personal data do not open the entry's commitment")
    name = json.loads(personal).get("name")
    if not isinstance(name, str) or not name:
        fail("donor: the personal data holds no name")
    display = body["donor"]["display"]
    expected = name if body["donor"].get("named") else (name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*")
    if display != expected:
        fail("donor: the entry's displayed name is not the %s" % ("name" if body["donor"].get("named") else "masked name"))

    proof = file.get("proof")
    if not proof:
        fail("proof: the receipt has no inclusion proof yet (no checkpoint covered the entry when it was issued)")
    head, sep, note = proof.partition("\n\n")
    if not sep:
        fail("proof: no blank line before the checkpoint")
    lines = head.split("\n")
    if lines[0] != PROOF_HEADER:
        fail("proof: does not start with " + PROOF_HEADER)
    lines = lines[1:]
    if lines and lines[0].startswith("extra "):
        lines = lines[1:]
    if not lines or not lines[0].startswith("index ") or not lines[0][6:].isdigit():
        fail("proof: no index line")
    index = int(lines[0][6:])
    if index != entry["seq"]:
        fail("proof: the proof is for entry %d, the receipt's entry is %d" % (index, entry["seq"]))
    hashes = [b64(line) for line in lines[1:]]

    if trust.get("ledgerId") is None:
        fail("trust: the trust file has no ledger id")
    origin, size, root, log_signer, cosigners = verify_checkpoint(note, trust)
    if origin != trust["origin"]:
        fail("checkpoint: origin %s is not the trust file's %s" % (origin, trust["origin"]))
    ledger = file.get("ledger")
    if not ledger or ledger.get("id") != trust["ledgerId"]:
        fail("checkpoint: the receipt's ledger id is not the trust file's %s" % trust["ledgerId"])
    ledger_proof = [b64(h) for h in ledger["inclusion"]]
    if inclusion_root(bytes.fromhex(ledger["id"]), 0, size, ledger_proof) != root:
        fail("checkpoint: leaf 0 of its tree is not the genesis entry of ledger %s" % ledger["id"])
    if inclusion_root(leaf_hash(raw), index, size, hashes) != root:
        fail("inclusion: the entry or its inclusion proof does not lead to the checkpoint's root")
    return "%s gave %d.%02d yuan to %s on %s: entry %d, in the checkpoint of %d entries (log %s, cosigned by %s)." % (
        name, body["amountFen"] // 100, body["amountFen"] % 100,
        trust.get("units", {}).get(body["unit"], body["unit"]), entry["date"], entry["seq"], size, log_signer,
        ", ".join(cosigners))


def main(argv):
    if len(argv) != 4 or argv[2] != "--trust":
        print("usage: verify_statement.py STATEMENT|RECEIPT --trust trust.json", file=sys.stderr)
        return 2
    try:
        trust = json.load(open(argv[3], encoding="utf-8"))
        file = json.loads(open(argv[1], "rb").read())
        if isinstance(file, dict) and file.get("format") == RECEIPT_FORMAT:
            print("receipt ok: " + verify_receipt(file, trust))
        else:
            print("statement ok: " + verify(argv[1], trust))
        return 0
    except Failure as error:
        print("FAIL: %s" % error)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        print("FAIL: malformed statement or trust file (%s: %s)" % (type(error).__name__, error))
    except OSError as error:
        print("FAIL: cannot read %s" % error.filename)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
