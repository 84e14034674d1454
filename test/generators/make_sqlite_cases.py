#!/usr/bin/env python3
"""Generate SQLite evidence test cases for Palimpsest with REAL SQLite.

  python3 make_sqlite_cases.py --out DIR [--seed N] [--only NAME[,NAME]] [--jobs N] [--list]

Creates DIR/<case>/inputs/... (the evidence files) and DIR/<case>/case.json.
Every expected state in case.json is the output of oracle.py, i.e. what the python3
sqlite3 module (SQLite %s) recovers when it opens a scratch copy of exactly those inputs.
walfacts.py / journalfacts.py (independent parsers) only provide the `wal` / `journal`
fact blocks and internal cross-checks. Any failed cross-check aborts with exit status 1.
"""
import argparse
import datetime
import hashlib
import json
import os
import random
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import journalfacts  # noqa: E402
import mailwork  # noqa: E402
import oracle  # noqa: E402
import sqliteprng  # noqa: E402
import walfacts  # noqa: E402

DB = "mailbox.db"


class CaseError(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise CaseError(msg)


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


def sha(data):
    return hashlib.sha256(data).hexdigest()


def no_error(d, what):
    check("error" not in d, "%s: SQLite could not open it: %s" % (what, d.get("error")))
    check(d["integrity_check"] == "ok", "%s: integrity_check failed: %r" % (what, d["integrity_check"]))
    return d


# ---------------------------------------------------------------------------------------
# Case context and workload tracker
# ---------------------------------------------------------------------------------------

class Ctx:
    def __init__(self, out, seed, name):
        self.name = name
        self.seed = seed
        self.dir = os.path.join(out, name)
        if os.path.exists(self.dir):
            shutil.rmtree(self.dir)
        self.inputs = os.path.join(self.dir, "inputs")
        os.makedirs(self.inputs)
        self.rng = random.Random("%s:%s" % (seed, name))
        # reproducible SQLite salts / nonces (see sqliteprng.py)
        self.prng_seeded = sqliteprng.seed(
            int.from_bytes(hashlib.sha256(("%s:%s" % (seed, name)).encode()).digest()[:4], "big"))
        self.tmp = tempfile.mkdtemp(prefix="palimpsest-%s-" % name)
        self.notes = []

    def scratch(self, sub):
        p = os.path.join(self.tmp, sub)
        os.makedirs(p, exist_ok=True)
        return p

    def rel(self, path):
        return os.path.relpath(path, self.dir).replace(os.sep, "/")

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


class Tracker:
    """Runs a MailStore and labels every WAL commit G:C (G = WAL header checkpoint
    sequence, C = 1-based commit-frame count of that generation), recording the live
    state (describe of the writer connection) after it and, on request, a full oracle
    describe of a copy of the db + wal files taken right after the commit."""

    def __init__(self, workdir, rng, **kw):
        self.dir = workdir
        self.db = os.path.join(workdir, DB)
        self.wal = self.db + "-wal"
        self.store = mailwork.MailStore(self.db, rng, **kw)
        self.rng = rng
        self.live = {}
        self.copies = {}
        self.order = []
        self.last = {}

    def txn(self, fn, copy=False):
        self.store.txn(fn)
        return self.after_commit(copy)

    def after_commit(self, copy=False):
        G, C, _ = walfacts.light_commit_count(read(self.wal))
        check(G is not None, "no WAL after commit")
        check(C == self.last.get(G, 0) + 1,
              "commit did not add exactly one commit frame (gen %s: %s -> %s)" % (G, self.last.get(G), C))
        self.last[G] = C
        key = (G, C)
        self.order.append(key)
        self.live[key] = oracle.describe_conn(self.store.conn)
        if copy:
            self.copies[key] = no_error(oracle.describe_files(self.db, self.wal, checkpoint=True),
                                        "copy at %d:%d" % key)
            check(oracle.same_state(self.copies[key], self.live[key]),
                  "file copy at %d:%d differs from the live connection state" % key)
        return key

    def switch_to_wal(self):
        c = self.store.conn
        check(c.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal", "cannot enter WAL mode")
        c.execute("PRAGMA wal_autocheckpoint=0")

    def checkpoint(self, mode):
        busy, log, done = self.store.conn.execute("PRAGMA wal_checkpoint(%s)" % mode).fetchone()
        check(busy == 0 and log == done, "checkpoint %s incomplete: %r" % (mode, (busy, log, done)))
        return log

    def gen(self):
        return struct.unpack('>I', read(self.wal)[12:16])[0]


def key_str(k):
    return "%d:%d" % k


def truncated_wal_state(ctx, db_bytes, wal_bytes, frame, page_size, chain=()):
    """What SQLite recovers from db + (wal cut right after `frame`). `chain` = WAL images
    applied (open, checkpoint TRUNCATE, close) before the truncated one."""
    d = ctx.scratch("trunc-%d" % ctx.rng.getrandbits(32))
    x = os.path.join(d, "x.db")
    write(x, db_bytes)
    for w in chain:
        apply_wal(x, w)
    write(x + "-wal", wal_bytes[:walfacts.frame_offset(frame + 1, page_size)])
    out = oracle.describe_path(x, checkpoint=True)
    shutil.rmtree(d, ignore_errors=True)
    return out


def apply_wal(x, wal_bytes):
    """Replay one WAL image into database x with real SQLite: copy as x-wal, open,
    PRAGMA wal_checkpoint(TRUNCATE), close."""
    for suf in ("-wal", "-shm"):
        if os.path.exists(x + suf):
            os.remove(x + suf)
    write(x + "-wal", wal_bytes)
    c = sqlite3.connect(x, isolation_level=None)
    try:
        c.execute("SELECT count(*) FROM sqlite_master").fetchone()
        r = c.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        check(r[0] == 0, "checkpoint busy while applying a WAL")
    finally:
        c.close()
    for suf in ("-wal", "-shm"):
        if os.path.exists(x + suf):
            os.remove(x + suf)


def base_record(ctx, description, inputs, expected, **extra):
    rec = {
        "name": ctx.name,
        "description": description,
        "sqliteVersion": sqlite3.sqlite_version,
        "generator": "make_sqlite_cases.py",
        "seed": ctx.seed,
        "sqlitePrngSeeded": ctx.prng_seeded,
        "inputs": [ctx.rel(p) for p in inputs],
        "inputSha256": {ctx.rel(p): sha(read(p)) for p in inputs},
        "expected": expected,
    }
    rec.update(extra)
    return rec


def save(ctx, rec):
    if ctx.notes:
        rec["notes"] = ctx.notes
    with open(os.path.join(ctx.dir, "case.json"), "w") as f:
        json.dump(rec, f, indent=1, sort_keys=False)
        f.write("\n")
    return rec


# ---------------------------------------------------------------------------------------
# WAL cases on a single live WAL generation
# ---------------------------------------------------------------------------------------

def run_single_gen(ctx, page_size=4096, base_msgs=20, commits=8, copy_all=True, last_big=False,
                   big_rows=True):
    """Base db (rollback mode) with schema + base_msgs messages, switched to WAL, then
    `commits` WAL transactions. Returns the tracker (connection still open)."""
    rng = ctx.rng
    t = Tracker(ctx.scratch("work"), rng, page_size=page_size, journal_mode="DELETE",
                synchronous="OFF", big_rows=big_rows)
    s = t.store

    def base():
        s.create_schema(accounts=3)
        for _ in range(base_msgs):
            s.deliver()
    s.txn(base)
    t.switch_to_wal()
    overflow_to = max(40, page_size // 30)   # a recipient list longer than one page
    for i in range(commits):
        if i == 1:
            fn = (lambda: (s.deliver(huge=True, nto=overflow_to), s.random_ops(2)))
        elif last_big and i == commits - 1:
            fn = (lambda: [s.deliver() for _ in range(6)])
        else:
            n = rng.randint(1, 5)
            fn = (lambda n=n: s.random_ops(n))
        t.txn(fn, copy=copy_all)
    return t


def finish_wal_case(ctx, t, db_path, wal_path, description, point_keys=(), extra=None,
                    expect_key=None, check_trunc=True):
    """Compute expected (oracle on the inputs), the wal facts, points, and cross-checks."""
    wal_bytes = read(wal_path)
    db_bytes = read(db_path)
    facts = walfacts.parse_wal(wal_bytes)
    expected = no_error(oracle.describe_files(db_path, wal_path, checkpoint=True), "inputs")
    G = facts["ckptSeq"]
    C = facts["commits"]
    # walfacts vs SQLite: the state SQLite recovers is the live state right after the
    # last commit frame walfacts accepts (or the explicit key given by the case)
    k = expect_key or (G, C)
    check(k in t.live, "no live state recorded for %s" % key_str(k))
    check(oracle.same_state(expected, t.live[k]),
          "SQLite's recovery != live state after commit %s (walfacts: %d commits)" % (key_str(k), C))
    ps = facts["pageSize"]
    if check_trunc and facts["lastCommitFrame"]:
        tr = truncated_wal_state(ctx, db_bytes, wal_bytes, facts["lastCommitFrame"], ps)
        check(oracle.same_state(expected, tr, bytes_too=True),
              "WAL cut after walfacts' last commit frame gives a different state")
    points = []
    for pk in point_keys:
        g, c = pk
        check(g == G and c <= C, "point %s not in the valid WAL prefix" % key_str(pk))
        frame = facts["commitFrames"][c - 1]["frame"]
        want = t.copies[pk]
        tr = truncated_wal_state(ctx, db_bytes, wal_bytes, frame, ps)
        check(oracle.same_state(want, tr, bytes_too=True),
              "point %s: WAL cut after commit frame %d != live copy" % (key_str(pk), frame))
        points.append({"until": key_str(pk), "walFile": ctx.rel(wal_path), "commitFrame": frame,
                       "expected": want})
    rec = base_record(ctx, description, [db_path, wal_path], expected,
                      expectedMethod="oracle.py checkpoint on a scratch copy of inputs (mailbox.db + mailbox.db-wal)",
                      wal={ctx.rel(wal_path): facts}, points=points, **(extra or {}))
    return rec, facts


def pick_points(keys, n=4):
    if len(keys) <= n:
        return list(keys)
    idx = sorted(set([0, len(keys) // 3, (2 * len(keys)) // 3, len(keys) - 1]))
    return [keys[i] for i in idx]


def copy_live(t, dst_dir, names=(DB, DB + "-wal")):
    out = []
    for n in names:
        dst = os.path.join(dst_dir, n)
        os.makedirs(dst_dir, exist_ok=True)
        shutil.copyfile(os.path.join(t.dir, n), dst)
        out.append(dst)
    return out


def case_wal_basic(ctx, page_size=4096, commits=10, base_msgs=25):
    t = run_single_gen(ctx, page_size=page_size, commits=commits, base_msgs=base_msgs)
    db, wal = copy_live(t, ctx.inputs)
    keys = [k for k in t.order]
    desc = ("mailbox.db (rollback-mode base, switched to WAL) + mailbox.db-wal with %d commits of a mail "
            "workload, wal_autocheckpoint=0, page size %d; both files copied while the writer connection "
            "was open, so the WAL is intact. Points = live state right after the chosen commits."
            % (commits, page_size))
    rec, facts = finish_wal_case(ctx, t, db, wal, desc, point_keys=pick_points(keys))
    t.store.close()
    check(facts["validFrames"] == facts["frames"] and facts["uncommittedFrames"] == 0
          and facts["staleFrames"] == 0, "wal-basic WAL should be fully valid and committed")
    return save(ctx, rec)


def page_size_case(ps):
    def f(ctx):
        commits = 8 if ps <= 8192 else 5
        base = 20 if ps <= 8192 else 12
        return case_wal_basic(ctx, page_size=ps, commits=commits, base_msgs=base)
    return f


def case_torn(ctx, garbage):
    t = run_single_gen(ctx, commits=8, last_big=True)
    db, wal = copy_live(t, ctx.inputs)
    orig = walfacts.parse_wal(read(wal))
    ps = orig["pageSize"]
    last = orig["frames"]
    check(orig["lastCommitFrame"] == last, "last frame should be a commit frame")
    prev_commit = orig["commitFrames"][-2]["frame"]
    check(last - prev_commit >= 2, "last transaction should span several frames")
    data = bytearray(read(wal))
    start = walfacts.frame_offset(last, ps)
    if garbage:
        half = ps // 2
        junk = ctx.rng.randbytes(ps - half)
        data[start + 24 + half:start + 24 + ps] = junk
        mutation = {"kind": "garbage", "frame": last, "fileOffset": start + 24 + half,
                    "length": ps - half,
                    "detail": "second half of the last frame's page bytes overwritten with random bytes; "
                              "file size unchanged; its checksum no longer matches"}
        desc = ("Like wal-basic, but the page bytes of the last WAL frame (the commit frame of the last "
                "transaction) are half overwritten with garbage, so its checksum fails; SQLite drops it "
                "and the whole last transaction.")
    else:
        cut = start + 24 + ps // 2
        data = data[:cut]
        mutation = {"kind": "truncate", "frame": last, "newFileSize": cut,
                    "detail": "file cut in the middle of the last frame's page (partial trailing frame)"}
        desc = ("Like wal-basic, but the WAL file is cut in the middle of its last frame (the commit frame "
                "of the last transaction). SQLite ignores the partial frame, so the last transaction is lost.")
    write(wal, bytes(data))
    G = orig["ckptSeq"]
    C = orig["commits"] - 1
    rec, facts = finish_wal_case(ctx, t, db, wal, desc, point_keys=pick_points(t.order[:-1]),
                                 expect_key=(G, C), extra={"mutation": mutation})
    t.store.close()
    check(facts["commits"] == C and facts["lastCommitFrame"] == prev_commit,
          "walfacts should see one commit fewer")
    if garbage:
        check(facts["firstInvalidFrame"] == last and facts["validFrames"] == last - 1,
              "garbage frame should be the first invalid one")
        check(facts["firstInvalidReason"] == "checksum mismatch", "expected a checksum mismatch")
    else:
        check(facts["frames"] == last - 1 and facts["trailingBytes"] == 24 + ps // 2
              and facts["firstInvalidFrame"] is None, "torn frame should not count as a frame")
    check(facts["uncommittedFrames"] == last - 1 - prev_commit, "uncommitted frame count")
    return save(ctx, rec)


def case_bitflip(ctx):
    t = run_single_gen(ctx, commits=10)
    db, wal = copy_live(t, ctx.inputs)
    orig = walfacts.parse_wal(read(wal))
    ps = orig["pageSize"]
    n = orig["frames"]
    cf = [c["frame"] for c in orig["commitFrames"]]
    # a frame in the middle that is not the first frame of the WAL
    k = max(2, n // 2)
    byte = ctx.rng.randrange(ps)
    bit = ctx.rng.randrange(8)
    off = walfacts.frame_offset(k, ps) + 24 + byte
    data = bytearray(read(wal))
    data[off] ^= (1 << bit)
    write(wal, bytes(data))
    commits_before = sum(1 for f in cf if f < k)
    G = orig["ckptSeq"]
    desc = ("Like wal-basic (%d commits), with one bit flipped in the page bytes of frame %d (middle of "
            "the WAL). SQLite stops at that frame: it and every later frame, including later intact "
            "commits, are dropped." % (orig["commits"], k))
    mutation = {"kind": "bitflip", "frame": k, "fileOffset": off, "pageByte": byte, "bit": bit,
                "framesDropped": n - k + 1, "commitsDropped": orig["commits"] - commits_before}
    pts = [x for x in t.order if x[1] <= commits_before]
    rec, facts = finish_wal_case(ctx, t, db, wal, desc, point_keys=pick_points(pts),
                                 expect_key=(G, commits_before), extra={"mutation": mutation})
    t.store.close()
    check(facts["firstInvalidFrame"] == k and facts["validFrames"] == k - 1
          and facts["commits"] == commits_before, "walfacts must stop at the flipped frame")
    check(commits_before < orig["commits"], "the flip should drop at least one commit")
    return save(ctx, rec)


def case_uncommitted_spill(ctx, rewritten=False):
    rng = ctx.rng
    t = Tracker(ctx.scratch("work"), rng, journal_mode="WAL", synchronous="OFF", cache_size=8)
    s = t.store
    t.txn(lambda: (s.create_schema(), [s.deliver(huge=False) for _ in range(150)]), copy=True)
    for _ in range(4):
        n = rng.randint(1, 4)
        t.txn(lambda n=n: s.random_ops(n), copy=True)
    s.begin()
    found = None
    # phase 1: a flag update walking the messages table in id order touches each leaf page
    # once, so the pages the pager spills are not written again by this transaction
    maxid = s.conn.execute("SELECT max(id) FROM messages").fetchone()[0]
    lo = 1
    steps = 0
    while lo <= maxid:
        s.conn.execute("UPDATE messages SET flags = flags | 1 WHERE id BETWEEN ? AND ?", (lo, lo + 3))
        lo += 4
        steps += 1
        f = walfacts.parse_wal(read(t.wal))
        if f["validFrames"] != f["frames"] or f["zeroSaltFrames"]:
            break
        if f["uncommittedFrames"] >= 1:
            found = steps
            if not rewritten:
                copy_live(t, ctx.inputs)    # keep the latest clean spill state
            if f["uncommittedFrames"] >= 8:
                break
    check(found, "could not reach a clean spill (uncommitted, valid frames)")
    steps = found
    what = "a flag update over messages in id order (%d statements)" % steps
    if rewritten:
        # phase 2: deliveries + scattered updates until a spilled page is written again
        found = None
        for i in range(400):
            s.deliver()
            if i % 5 == 4:
                s.conn.execute("UPDATE messages SET flags = flags | 2 WHERE id % 7 = ?", (i % 7,))
            f = walfacts.parse_wal(read(t.wal))
            if f["zeroSaltFrames"] >= 3:
                found = i + 1
                break
        check(found, "could not reach the rewritten-frame spill state")
        what += ", then %d deliveries with scattered flag updates" % found
    if rewritten:
        db, wal = copy_live(t, ctx.inputs)
    else:
        db, wal = os.path.join(ctx.inputs, DB), os.path.join(ctx.inputs, DB + "-wal")
    s.conn.execute("ROLLBACK")
    s.in_txn = False
    if rewritten:
        desc = ("WAL-mode mailbox.db with cache_size=8; after 5 commits a large open transaction (%s) "
                "spilled frames into mailbox.db-wal and then rewrote one of "
                "its own spilled frames in place (wal.c overwrites an uncommitted frame's page bytes when the "
                "same page is written again in that transaction), which breaks that frame's checksum; the "
                "frames it wrote afterwards carry zero salts and zero checksums until a commit would rewrite "
                "them (walEncodeFrame with iReCksum != 0). Files copied while the transaction was open; "
                "SQLite ignores everything after the last commit frame." % what)
    else:
        desc = ("WAL-mode mailbox.db with cache_size=8; after 5 commits a large open transaction (%s) "
                "spilled valid, checksum-chained frames into mailbox.db-wal without a commit frame; both "
                "files were copied while that transaction was still open. SQLite ignores the uncommitted "
                "frames." % what)
    rec, facts = finish_wal_case(ctx, t, db, wal, desc, point_keys=pick_points(t.order))
    t.store.close()
    tail = facts["frames"] - facts["lastCommitFrame"]
    check(tail > 0, "expected frames after the last commit frame")
    check(facts["staleFrames"] == 0, "no stale frames expected (single generation)")
    if rewritten:
        check(facts["firstInvalidFrame"] is not None and facts["zeroSaltFrames"] > 0
              and facts["firstInvalidReason"] == "checksum mismatch"
              and facts["firstInvalidFrame"] > facts["lastCommitFrame"], "expected a rewritten frame")
    else:
        check(facts["uncommittedFrames"] > 0, "expected valid uncommitted frames")
        check(facts["firstInvalidFrame"] is None and facts["zeroSaltFrames"] == 0,
              "all spilled frames should be valid")
    rec["openTransactionFrames"] = tail
    return save(ctx, rec)


def case_stale_frames(ctx):
    rng = ctx.rng
    t = Tracker(ctx.scratch("work"), rng, journal_mode="WAL", synchronous="OFF")
    s = t.store
    t.txn(lambda: (s.create_schema(), [s.deliver() for _ in range(15)]))
    for _ in range(8):
        n = rng.randint(2, 6)
        t.txn(lambda n=n: s.random_ops(n))
    g0 = walfacts.parse_wal(read(t.wal))
    t.checkpoint("RESTART")
    for _ in range(2):
        t.txn(lambda: s.set_flags(), copy=True)
    db, wal = copy_live(t, ctx.inputs)
    desc = ("WAL generation 0 (%d frames, %d commits) was checkpointed with "
            "PRAGMA wal_checkpoint(RESTART); generation 1 then wrote only 2 small commits from offset 32, "
            "so the tail of mailbox.db-wal still holds stale frames of generation 0 (old salts). SQLite "
            "uses only generation 1's frames on top of the checkpointed mailbox.db."
            % (g0["frames"], g0["commits"]))
    rec, facts = finish_wal_case(ctx, t, db, wal, desc, point_keys=t.order[-2:],
                                 extra={"previousGeneration": {
                                     "ckptSeq": g0["ckptSeq"], "salt1": g0["salt1"], "salt2": g0["salt2"],
                                     "frames": g0["frames"], "commits": g0["commits"]}})
    t.store.close()
    check(facts["ckptSeq"] == g0["ckptSeq"] + 1 and facts["salt1"] == (g0["salt1"] + 1) & 0xFFFFFFFF,
          "generation 1 must follow generation 0 (ckptSeq+1, salt1+1)")
    check(facts["staleFrames"] > 0 and facts["staleFrames"] == facts["frames"] - facts["validFrames"],
          "stale frames expected after the valid prefix")
    check(facts["frames"] == g0["frames"], "WAL file keeps generation 0's length")
    check(list(facts["staleSaltGroups"]) == ["%d:%d" % (g0["salt1"], g0["salt2"])],
          "stale frames carry generation 0's salts")
    check(facts["zeroSaltFrames"] == 0, "no zero-salt frames expected")
    check(facts["staleFramesChainVerified"] == facts["staleFrames"] - 1,
          "all stale frames but the first should verify by per-frame seeding")
    return save(ctx, rec)


def case_big_endian(ctx):
    t = run_single_gen(ctx, commits=6)
    work_db, work_wal = t.db, t.wal
    aux = os.path.join(ctx.dir, "aux")
    db, wal = copy_live(t, ctx.inputs)
    orig_wal = read(wal)
    le = walfacts.parse_wal(orig_wal)
    write(os.path.join(aux, "mailbox.db-wal.original-le"), orig_wal)
    write(wal, walfacts.rewrite_byte_order(orig_wal, big_endian=True))
    orig_state = no_error(oracle.describe_files(db, os.path.join(aux, "mailbox.db-wal.original-le"),
                                                checkpoint=True), "original WAL")
    desc = ("A real little-endian WAL (magic 0x377f0682, written by SQLite on x86) rewritten as a "
            "big-endian-checksum WAL: magic set to 0x377f0683, header checksum and every frame checksum "
            "recomputed with big-endian 32-bit words (sqlite-formats.md 2.3); salts, frame headers and "
            "pages unchanged. SQLite honours either magic; expected = what it recovers from the rewritten "
            "WAL, asserted equal to the original WAL's recovery (aux/mailbox.db-wal.original-le).")
    rec, facts = finish_wal_case(ctx, t, db, wal, desc, point_keys=pick_points(t.order),
                                 extra={"rewrite": {"from": "0x377f0682", "to": "0x377f0683",
                                                    "originalWal": "aux/mailbox.db-wal.original-le",
                                                    "originalWalSha256": sha(orig_wal),
                                                    "originalFacts": le}})
    t.store.close()
    check(oracle.same_state(rec["expected"], orig_state, bytes_too=True),
          "big-endian WAL recovery differs from the original")
    check(facts["bigEndian"] and facts["magic"] == "0x377f0683" and facts["headerValid"],
          "rewritten header")
    check(facts["validFrames"] == le["validFrames"] and facts["commits"] == le["commits"],
          "rewritten WAL must have the same valid frames")
    return save(ctx, rec)


# ---------------------------------------------------------------------------------------
# Journal folder (mail-store.md section 5)
# ---------------------------------------------------------------------------------------

GEN_PLAN = [
    # (commits, ops per commit (lo, hi), checkpoint mode afterwards, snapshot afterwards)
    (4, (3, 6), "PASSIVE", True),     # gen 0: schema + initial load
    (3, (1, 2), "RESTART", False),    # gen 1: shorter -> stale tail of gen 0
    (6, (3, 7), "PASSIVE", True),     # gen 2: longer
    (3, (1, 2), "RESTART", False),    # gen 3: shorter -> stale tail of gen 2
    (4, (1, 4), "PASSIVE", False),    # gen 4
    (2, (1, 2), None, False),         # gen 5: live WAL
]


def snapshot_name(ts, seq):
    d = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
    return "%s_%s_%016X.snapshot" % (DB, d.strftime("%d-%m_%H-%M-%S"), seq)


def gen_name(seq):
    return "%s_%016X.wal" % (DB, seq)


def chain_apply(ctx, snapshot_bytes, wal_images):
    d = ctx.scratch("chain-%d" % ctx.rng.getrandbits(32))
    x = os.path.join(d, "x.db")
    write(x, snapshot_bytes)
    for w in wal_images:
        apply_wal(x, w)
    out = oracle.describe_path(x, checkpoint=True)
    shutil.rmtree(d, ignore_errors=True)
    return out


def case_journal_folder(ctx, gap=None):
    rng = ctx.rng
    t = Tracker(ctx.scratch("work"), rng, journal_mode="WAL", synchronous="OFF")
    s = t.store
    mbox = os.path.join(ctx.inputs, "mbox")
    jdir = os.path.join(mbox, "journal")
    ddir = os.path.join(mbox, "db")
    os.makedirs(jdir)
    os.makedirs(ddir)
    clock = mailwork.BASE_TIME + 3600
    snapshots = {}   # seq -> path
    gens = {}        # seq -> path (archived)
    gen_end = {}     # seq -> last commit key
    for gi, (ncommits, (lo, hi), ckpt, snap) in enumerate(GEN_PLAN):
        for ci in range(ncommits):
            if gi == 0 and ci == 0:
                fn = (lambda: (s.create_schema(), [s.deliver() for _ in range(8)]))
            elif gi == 2 and ci == 2:
                fn = (lambda: [s.deliver(huge=True) for _ in range(3)])
            else:
                n = rng.randint(lo, hi)
                fn = (lambda n=n: s.random_ops(n))
            key = t.txn(fn, copy=True)
            check(key[0] == gi, "generation numbering: expected gen %d, WAL says %d" % (gi, key[0]))
        gen_end[gi] = (gi, ncommits)
        clock += rng.randint(2, 9) * 3600 + rng.randint(0, 3599)
        if ckpt:
            p = os.path.join(jdir, gen_name(gi))
            shutil.copyfile(t.wal, p)     # verbatim copy just before the checkpoint
            gens[gi] = p
            t.checkpoint(ckpt)
            if snap:
                sp = os.path.join(jdir, snapshot_name(clock, gi + 1))
                shutil.copyfile(t.db, sp)
                snapshots[gi + 1] = sp
                sd = no_error(oracle.describe_files(sp), "snapshot")
                check(oracle.same_state(sd, t.live[gen_end[gi]]),
                      "snapshot %X != live state at end of gen %d" % (gi + 1, gi))
    live_db, live_wal = copy_live(t, ddir)
    final_key = t.order[-1]
    last_gen = final_key[0]
    t.store.close()

    # --- facts for every WAL image ---
    wal_facts = {}
    gen_facts = {}
    for g, p in sorted(gens.items()):
        f = walfacts.parse_wal(read(p))
        wal_facts[ctx.rel(p)] = f
        gen_facts[g] = f
    lf = walfacts.parse_wal(read(live_wal))
    wal_facts[ctx.rel(live_wal)] = lf
    gen_facts[last_gen] = lf
    for g, f in gen_facts.items():
        check(f["ckptSeq"] == g, "WAL file for gen %d has ckptSeq %d" % (g, f["ckptSeq"]))
        check(f["commits"] == t.last[g], "gen %d: walfacts %d commits, workload %d"
              % (g, f["commits"], t.last[g]))
        check(f["uncommittedFrames"] == 0, "gen %d has uncommitted frames" % g)
        if g - 1 in gen_facts:
            check(f["salt1"] == (gen_facts[g - 1]["salt1"] + 1) & 0xFFFFFFFF,
                  "chain rule: salt1 of gen %d != salt1 of gen %d + 1" % (g, g - 1))
    stale_gens = [g for g, f in gen_facts.items() if f["staleFrames"] > 0]
    check(len(stale_gens) >= 2, "expected stale frames in at least two generations")

    wal_image = {g: read(p) for g, p in gens.items()}
    wal_image[last_gen] = read(live_wal)

    # --- optional gap ---
    gap_info = None
    if gap is not None:
        check(gap in gens, "gap generation must be archived")
        os.remove(gens.pop(gap))
        del wal_facts[ctx.rel(os.path.join(jdir, gen_name(gap)))]

    # --- expected final: newest snapshot + later generations in order + live wal ---
    newest = max(snapshots)
    applied = []
    g = newest
    while True:
        if g in gens:
            applied.append(g)
        elif g == last_gen:
            applied.append(g)
            break
        else:
            break
        g += 1
    images = [wal_image[g] for g in applied]
    expected = no_error(chain_apply(ctx, read(snapshots[newest]), images), "chain")
    method = ("copy the newest snapshot (%s) to scratch x.db; for each generation in order (%s): copy that "
              "WAL image to x.db-wal, open with sqlite3, PRAGMA wal_checkpoint(TRUNCATE), close; then "
              "oracle describe/checkpoint of x.db"
              % (os.path.basename(snapshots[newest]),
                 ", ".join(ctx.rel(gens[g]) if g in gens else ctx.rel(live_wal) for g in applied)))
    live_files_state = no_error(oracle.describe_files(live_db, live_wal, checkpoint=True), "live files")
    check(oracle.same_state(live_files_state, t.live[final_key], bytes_too=False),
          "live db+wal != live state")
    if gap is None:
        check(applied[-1] == last_gen, "chain should reach the live WAL")
        check(oracle.same_state(expected, t.live[final_key]),
              "snapshot+generations replay != live state at the end of the workload")
        check(oracle.same_state(expected, live_files_state, bytes_too=True),
              "snapshot+generations replay != live db+wal (bytes)")
        stop_key = final_key
    else:
        stop_gen = applied[-1]
        stop_key = gen_end[stop_gen]
        check(stop_gen == gap - 1, "chain should stop right before the gap")
        check(oracle.same_state(expected, t.live[stop_key]),
              "gap: replay != live state at the end of gen %d" % stop_gen)
        check(oracle.same_state(expected, t.copies[stop_key], bytes_too=True),
              "gap: replay bytes != copy at %s" % key_str(stop_key))
        gap_info = {"missingGeneration": gap, "missingFile": ctx.rel(os.path.join(jdir, gen_name(gap))),
                    "stopsAfter": key_str(stop_key),
                    "note": "expected = state at the end of the last generation before the gap "
                            "(live state recorded right after commit %s)" % key_str(stop_key)}

    # --- points ---
    points = []
    unreachable = []
    for (g, c) in t.order:
        if g < min(snapshots):
            continue
        if not (c == 1 or c == t.last[g] or (g == 2 and c == 3)):
            continue
        snap = max(sq for sq in snapshots if sq <= g)
        need = list(range(snap, g + 1))
        missing = [x for x in need if x not in gens and x != last_gen]
        if missing:
            unreachable.append({"until": "%d:%d" % (g, c), "missingGenerations": missing})
            continue
        f = gen_facts[g]
        frame = f["commitFrames"][c - 1]["frame"]
        want = t.copies[(g, c)]
        got = truncated_wal_state(ctx, read(snapshots[snap]), wal_image[g], frame, f["pageSize"],
                                  chain=[wal_image[x] for x in range(snap, g)])
        check(oracle.same_state(want, got, bytes_too=True),
              "point %d:%d: snapshot+generations cut at frame %d != live copy" % (g, c, frame))
        wf = gens.get(g)
        points.append({"until": "%d:%d" % (g, c),
                       "walFile": ctx.rel(wf) if wf else ctx.rel(live_wal),
                       "commitFrame": frame,
                       "snapshot": ctx.rel(snapshots[snap]),
                       "expected": want})
    check(len({p["until"].split(":")[0] for p in points}) >= 3, "points should span generations")

    inputs = sorted(list(snapshots.values()) + list(gens.values())) + [live_db, live_wal]
    if gap is None:
        desc = ("Journal folder in the mail-store.md section 5 layout: mbox/journal holds %d snapshots "
                "(mailbox.db_DD-MM_HH-MM-SS_<16 hex>.snapshot; hex = checkpoint sequence of the first WAL "
                "generation not contained) and archived WAL generations mailbox.db_<16 hex>.wal "
                "(verbatim copies of mailbox.db-wal taken just before each PASSIVE/RESTART checkpoint, "
                "several with stale frames of older generations at the tail); mbox/db holds the live "
                "mailbox.db + mailbox.db-wal (generation %d)." % (len(snapshots), last_gen))
    else:
        desc = ("Same layout as journal-folder, but the archived generation %d (%s) is missing. Replay "
                "from the newest snapshot must stop at the end of generation %d; expected = that state."
                % (gap, gen_name(gap), gap - 1))
    rec = base_record(
        ctx, desc, inputs, expected,
        expectedMethod=method,
        appliedGenerations=applied,
        snapshots=[{"file": ctx.rel(p), "seq": sq, "stateOf": key_str(gen_end[sq - 1])}
                   for sq, p in sorted(snapshots.items())],
        generations=[{"seq": g, "file": ctx.rel(gens[g]) if g in gens else ctx.rel(live_wal),
                      "commits": t.last[g], "checkpointAfter": GEN_PLAN[g][2]}
                     for g in sorted(set(gens) | {last_gen})],
        liveFilesState=live_files_state,
        wal=wal_facts, points=points)
    if gap_info:
        rec["gap"] = gap_info
        rec["unreachablePoints"] = unreachable
    rec["finalLiveCommit"] = key_str(final_key)
    return save(ctx, rec)


# ---------------------------------------------------------------------------------------
# Rollback journal and plain database cases
# ---------------------------------------------------------------------------------------

def build_rollback_db(ctx, msgs=150, extra_txns=4, synchronous="FULL", cache_size=None,
                      journal_mode="DELETE"):
    rng = ctx.rng
    work = ctx.scratch("work")
    s = mailwork.MailStore(os.path.join(work, DB), rng, journal_mode=journal_mode,
                           synchronous=synchronous, cache_size=cache_size)
    s.txn(lambda: (s.create_schema(), [s.deliver() for _ in range(msgs)]))
    for _ in range(extra_txns):
        n = rng.randint(2, 8)
        s.txn(lambda n=n: s.random_ops(n))
    return s


def replay_journal(db_bytes, jbytes):
    """Independent rollback (cross-check only): write every playback record's page back
    and truncate to the journal's original size."""
    ps = struct.unpack('>H', db_bytes[16:18])[0]
    ps = 65536 if ps == 1 else ps
    facts, recs = journalfacts.journal_records(jbytes, ps, only_playback=True)
    out = bytearray(db_bytes)
    n = facts["playbackRecords"]
    for pgno, page in recs[:n]:
        off = (pgno - 1) * ps
        if len(out) < off + ps:
            out.extend(b"\0" * (off + ps - len(out)))
        out[off:off + ps] = page
    del out[facts["originalDbSize"] * ps:]
    return bytes(out)


def freelist_leaves(db):
    ps = struct.unpack('>H', db[16:18])[0]
    ps = 65536 if ps == 1 else ps
    trunk = struct.unpack('>I', db[32:36])[0]
    leaves = set()
    seen = set()
    while trunk and trunk not in seen:
        seen.add(trunk)
        off = (trunk - 1) * ps
        nxt, n = struct.unpack('>2I', db[off:off + 8])
        leaves.update(struct.unpack('>%dI' % n, db[off + 8:off + 8 + 4 * n]))
        trunk = nxt
    return leaves


def journal_fact_block(jbytes, ps):
    f = journalfacts.parse_journal(jbytes, ps)
    for seg in f["segments"]:
        seg.pop("recordsVerifiedFlags", None)
    return f


def case_hot_journal(ctx, variant="full"):
    nosync = variant == "nosync"
    persist = variant == "persist"
    s = build_rollback_db(ctx, synchronous="OFF" if nosync else "FULL",
                          journal_mode="PERSIST" if persist else "DELETE")
    s.conn.execute("PRAGMA cache_size=10")
    if persist:
        # an earlier large transaction leaves its (committed, header-cleared) journal behind
        s.txn(lambda: (s.conn.execute("UPDATE messages SET flags = flags | 2, modseq = modseq + 1"),
                       [s.deliver() for _ in range(30)]))
        check(os.path.getsize(s.path + "-journal") > 0, "PERSIST journal missing")
    pre_state = oracle.describe_conn(s.conn)
    pre_bytes = read(s.path)
    s.begin()
    if persist:
        # grow the open transaction only until the pager has spilled into the db file
        lo = 1
        while read(s.path) == pre_bytes:
            check(lo < 10000, "no spill in the PERSIST transaction")
            s.conn.execute("UPDATE messages SET flags = flags | 1, modseq = modseq + 1"
                           " WHERE id BETWEEN ? AND ?", (lo, lo + 9))
            lo += 10
        s.deliver()
    else:
        s.conn.execute("UPDATE messages SET flags = flags | 1, modseq = modseq + 1")
        for _ in range(25):
            s.deliver()
        for _ in range(10):
            s.expunge()
    db = os.path.join(ctx.inputs, DB)
    jr = db + "-journal"
    shutil.copyfile(s.path, db)
    shutil.copyfile(s.path + "-journal", jr)
    s.conn.execute("ROLLBACK")
    s.close()
    dbb, jb = read(db), read(jr)
    check(dbb != pre_bytes, "the database file was not modified before the copy (no spill)")
    ps = pre_state["page_size"]
    rb_path = os.path.join(ctx.scratch("rb"), "rolled-back.db")
    expected = no_error(oracle.describe_files(db, journal=jr, checkpoint=True, save_result=rb_path),
                        "inputs")
    check(oracle.same_state(expected, pre_state), "SQLite's rollback != state before the transaction")
    rb = read(rb_path)
    # byte comparison with the file before the transaction: only freelist leaf pages may
    # differ (the pager does not journal a freelist leaf before reusing it)
    diff = [i // ps + 1 for i in range(0, max(len(rb), len(pre_bytes)), ps)
            if rb[i:i + ps] != pre_bytes[i:i + ps]]
    leaves = freelist_leaves(pre_bytes)
    check(len(rb) == len(pre_bytes), "rolled-back file has a different size")
    check(set(diff) <= leaves, "rolled-back file differs outside freelist leaf pages: %r" % diff)
    if diff:
        ctx.notes.append("the rolled-back file is logically identical to the file before the transaction "
                         "but not byte-identical: pages %s were freelist leaf pages that the transaction "
                         "reused; SQLite does not journal a freelist leaf before reuse, so its new contents "
                         "survive the rollback" % diff)
    # without the journal SQLite would read the half-written file
    torn = oracle.describe_files(db, checkpoint=True)
    facts = journal_fact_block(jb, ps)
    check(sha(replay_journal(dbb, jb)) == sha(rb),
          "journalfacts replay of the playback records != SQLite's rollback")
    check(facts["originalDbSize"] * ps == len(pre_bytes), "journal dbSize != original size")
    segs = facts["segments"]
    if nosync:
        check(facts["segmentCount"] == 1 and segs[0]["nRec"] == 0xFFFFFFFF,
              "synchronous=OFF journal should be one segment with nRec=0xFFFFFFFF")
        desc = ("Rollback-mode mailbox.db (synchronous=OFF, cache_size=10) with a hot mailbox.db-journal "
                "copied mid-transaction. With synchronous=OFF the pager writes the journal header with a "
                "valid magic and nRec=0xFFFFFFFF ('to end of file') and never rewrites it; SQLite plays back "
                "every record. Expected = SQLite's rollback = the state before the transaction.")
    elif persist:
        stale = [g for g in segs if g["sqlitePlayback"] == 0 and g["kind"] == "valid"]
        check(stale, "expected stale valid-magic segments of the earlier transaction")
        check(any(g["kind"] == "zeroed" for g in segs), "expected an unsynced (zeroed-magic) segment")
        desc = ("journal_mode=PERSIST mailbox.db (synchronous=FULL, cache_size=10). An earlier large "
                "transaction committed, which in PERSIST mode only zeroes the journal header and leaves its "
                "records; a second, smaller transaction then overwrote the start of mailbox.db-journal and "
                "both files were copied while it was open. The journal therefore holds the open "
                "transaction's synced segments, its last unsynced segment (magic and nRec zero), and after "
                "it %d stale segments of the earlier transaction with valid magic and verifiable records "
                "(pre-images of older versions). SQLite stops at the zeroed header and rolls back only the "
                "open transaction: expected = the state before it." % len(stale))
    else:
        check(facts["segmentCount"] >= 2, "expected several journal segments")
        desc = ("Rollback-mode (journal_mode=DELETE, synchronous=FULL) mailbox.db with a hot "
                "mailbox.db-journal, both copied while a large transaction (flag update on every message, "
                "25 deliveries, 10 expunges) was open with cache_size=10, so the database file already holds "
                "modified pages. Expected = SQLite's hot-journal rollback = the state before the transaction "
                "(asserted logically; bytes differ at most in reused freelist leaf pages, see "
                "pagesDifferingFromPreTransaction).")
    if facts["zeroedMagicSegments"] and not nosync:
        ctx.notes.append("the open transaction's last journal segment was not yet synced: its magic and "
                         "nRec are zero, SQLite stops there (its records are pre-images of pages not yet "
                         "written to the db file); its records still verify with that header's nonce")
    rec = base_record(ctx, desc, [db, jr], expected,
                      expectedMethod="oracle.py checkpoint on a scratch copy of inputs (mailbox.db + "
                                     "mailbox.db-journal): SQLite rolls the hot journal back on open",
                      journal=facts,
                      preTransactionDbSha256=sha(pre_bytes),
                      rollbackByteIdenticalToPreTransaction=not diff,
                      pagesDifferingFromPreTransaction=diff,
                      withoutJournal={"note": "what SQLite reads from mailbox.db alone (half-written "
                                              "transaction, for reference only)",
                                      "state": torn})
    return save(ctx, rec)


def case_db_only_clean(ctx):
    s = build_rollback_db(ctx, msgs=60, extra_txns=6)
    live = oracle.describe_conn(s.conn)
    s.close()
    db = os.path.join(ctx.inputs, DB)
    shutil.copyfile(s.path, db)
    check(not os.path.exists(s.path + "-journal"), "journal left behind")
    expected = no_error(oracle.describe_files(db, checkpoint=True), "inputs")
    check(oracle.same_state(expected, live), "clean db != live state")
    check(expected["checkpointed_db_sha256"] == sha(read(db)), "opening changed the bytes?")
    rec = base_record(ctx, "Clean rollback-mode mailbox.db (journal_mode=DELETE), closed normally, no "
                           "journal: expected = the file itself.", [db], expected,
                      expectedMethod="oracle.py checkpoint on a scratch copy of mailbox.db")
    return save(ctx, rec)


def find_sqlite_cli():
    p = shutil.which("sqlite3")
    check(p is not None, "the sqlite3 CLI is needed for the cksumvfs cases (.filectrl reserve_bytes)")
    return p


def unused_region(db, pgno, ps):
    """(start, end) of the unallocated region of b-tree page pgno, or None."""
    base = (pgno - 1) * ps
    h = base + (100 if pgno == 1 else 0)
    t = db[h]
    if t not in (2, 5, 10, 13):
        return None
    ncell = struct.unpack('>H', db[h + 3:h + 5])[0]
    content = struct.unpack('>H', db[h + 5:h + 7])[0] or 65536
    hsz = 12 if t in (2, 5) else 8
    start = h + hsz + 2 * ncell
    end = base + content
    return (start, end) if end - start >= 16 else None


def case_cksumvfs(ctx, flipped=False):
    s = build_rollback_db(ctx, msgs=80, extra_txns=3)
    live = oracle.describe_conn(s.conn)
    s.close()
    cli = find_sqlite_cli()
    r = subprocess.run([cli, s.path, ".filectrl reserve_bytes 8", "VACUUM"], capture_output=True, text=True)
    check(r.returncode == 0, "sqlite3 CLI failed: %s" % r.stderr)
    raw = read(s.path)
    check(raw[20] == 8, "reserved bytes not set to 8 (byte 20 = %d)" % raw[20])
    vac = no_error(oracle.describe_files(s.path), "vacuumed")
    # VACUUM rebuilds pages; rowids are kept for INTEGER PRIMARY KEY tables, keywords rows
    # may get new rowids, so compare table contents by count only
    check({k: v["count"] for k, v in vac["tables"].items()} ==
          {k: v["count"] for k, v in live["tables"].items()}, "VACUUM changed row counts")
    stamped = walfacts.cksumvfs_stamp(raw)
    ps = struct.unpack('>H', raw[16:18])[0]
    mutation = None
    if flipped:
        cands = []
        for p in range(2, len(stamped) // ps + 1):
            reg = unused_region(stamped, p, ps)
            if reg:
                cands.append((p, reg))
        check(cands, "no page with unallocated space")
        p, (a, b) = cands[ctx.rng.randrange(len(cands))]
        off = ctx.rng.randrange(a, b)
        arr = bytearray(stamped)
        arr[off] ^= 0xFF
        stamped = bytes(arr)
        mutation = {"kind": "byte-flip", "page": p, "fileOffset": off, "pageOffset": off - (p - 1) * ps,
                    "detail": "one byte in the unallocated region of a b-tree page inverted (xor 0xFF): "
                              "SQLite's view is unchanged, but that page's cksumvfs checksum must fail"}
    db = os.path.join(ctx.inputs, DB)
    write(db, stamped)
    expected = no_error(oracle.describe_files(db, checkpoint=True), "inputs")
    check(oracle.same_state(expected, vac), "checksum stamping changed SQLite's view")
    facts = walfacts.cksumvfs_facts(stamped)
    if flipped:
        check(facts["badPages"] == [mutation["page"]], "exactly the flipped page must fail")
        desc = ("cksumvfs-style mailbox.db (like `cksumvfs`) with one byte flipped in the unallocated "
                "area of page %d: cksumvfs verification must fail on that page only; SQLite core ignores "
                "it, expected = oracle describe of the file." % mutation["page"])
    else:
        check(facts["badPages"] == [], "all pages must verify")
        desc = ("Rollback-mode mailbox.db with header byte 20 (reserved bytes) = 8, made with the sqlite3 "
                "CLI `.filectrl reserve_bytes 8` + VACUUM; the last 8 bytes of every page were then filled "
                "with the cksumvfs checksum (WAL recurrence over little-endian u32 words of the first "
                "pageSize-8 bytes, seed 0; s1 LE at pageSize-8, s2 LE at pageSize-4). SQLite core ignores "
                "the reserved bytes' contents: expected = oracle describe of the file.")
    rec = base_record(ctx, desc, [db], expected,
                      expectedMethod="oracle.py checkpoint on a scratch copy of mailbox.db",
                      cksumvfs=facts)
    if mutation:
        rec["mutation"] = mutation
    return save(ctx, rec)


# ---------------------------------------------------------------------------------------

CASES = {
    "wal-basic": case_wal_basic,
    "journal-folder": case_journal_folder,
    "journal-folder-gap": lambda ctx: case_journal_folder(ctx, gap=4),
    "torn-last-frame": lambda ctx: case_torn(ctx, garbage=False),
    "torn-last-frame-garbage": lambda ctx: case_torn(ctx, garbage=True),
    "bitflip-mid-wal": case_bitflip,
    "uncommitted-spill": case_uncommitted_spill,
    "uncommitted-spill-rewritten": lambda ctx: case_uncommitted_spill(ctx, rewritten=True),
    "stale-frames": case_stale_frames,
    "big-endian": case_big_endian,
    "page-size-512": page_size_case(512),
    "page-size-1024": page_size_case(1024),
    "page-size-8192": page_size_case(8192),
    "page-size-16384": page_size_case(16384),
    "page-size-32768": page_size_case(32768),
    "page-size-65536": page_size_case(65536),
    "hot-journal": case_hot_journal,
    "hot-journal-nosync": lambda ctx: case_hot_journal(ctx, "nosync"),
    "hot-journal-persist": lambda ctx: case_hot_journal(ctx, "persist"),
    "db-only-clean": case_db_only_clean,
    "cksumvfs": case_cksumvfs,
    "cksumvfs-flipped": lambda ctx: case_cksumvfs(ctx, flipped=True),
}


def summarize(rec):
    size = sum(os.path.getsize(os.path.join(OUT, rec["name"], p)) for p in rec["inputs"])
    bits = ["%d input(s) %d B" % (len(rec["inputs"]), size)]
    for p, f in (rec.get("wal") or {}).items():
        if p.endswith("mailbox.db-wal"):
            bits.append("wal: %d frames, %d valid, %d commits, invalid@%s, uncommitted %d, stale %d" % (
                f["frames"], f["validFrames"], f["commits"], f["firstInvalidFrame"],
                f["uncommittedFrames"], f["staleFrames"]))
    if rec.get("journal"):
        j = rec["journal"]
        bits.append("journal: %d segments (%d zeroed), %d/%d records verified" % (
            j["segmentCount"], j["zeroedMagicSegments"], j["totalVerified"], j["totalRecords"]))
    if rec.get("points"):
        bits.append("%d points" % len(rec["points"]))
    e = rec["expected"]
    bits.append("expected: %d pages, %d messages, logical %s" % (
        e["page_count"], e["tables"].get("messages", {}).get("count", -1), e["logical_sha256"][:12]))
    return "; ".join(bits)


OUT = None


def run_one(args):
    out, seed, name = args
    global OUT
    OUT = out
    t0 = time.time()
    ctx = Ctx(out, seed, name)
    try:
        rec = CASES[name](ctx)
        return name, True, "%-24s ok %5.2fs  %s" % (name, time.time() - t0, summarize(rec))
    except CaseError as e:
        return name, False, "%-24s FAILED: %s" % (name, e)
    except Exception:
        return name, False, "%-24s ERROR:\n%s" % (name, traceback.format_exc())
    finally:
        ctx.cleanup()


def main():
    ap = argparse.ArgumentParser(description=__doc__ % sqlite3.sqlite_version,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=False, help="output directory (created if missing)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", help="comma-separated case names")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                    help="parallel worker processes (default: min(2, cpus))")
    ap.add_argument("--list", action="store_true", help="list case names and exit")
    a = ap.parse_args()
    if a.list:
        print("\n".join(CASES))
        return 0
    if not a.out:
        ap.error("--out is required")
    names = list(CASES)
    if a.only:
        names = [n.strip() for n in a.only.split(",") if n.strip()]
        bad = [n for n in names if n not in CASES]
        if bad:
            ap.error("unknown case(s): %s (use --list)" % ", ".join(bad))
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    t0 = time.time()
    jobs = [(out, a.seed, n) for n in names]
    results = []
    if a.jobs > 1 and len(jobs) > 1:
        import multiprocessing
        # longest cases first
        order = {"journal-folder": 0, "journal-folder-gap": 1, "page-size-65536": 2, "page-size-32768": 3}
        jobs.sort(key=lambda j: order.get(j[2], 10))
        with multiprocessing.Pool(a.jobs) as pool:
            for r in pool.imap_unordered(run_one, jobs):
                print(r[2], flush=True)
                results.append(r)
    else:
        for j in jobs:
            r = run_one(j)
            print(r[2], flush=True)
            results.append(r)
    failed = [r[0] for r in results if not r[1]]
    print("%d case(s), %d failed, %.1fs, SQLite %s, seed %d, out %s" % (
        len(results), len(failed), time.time() - t0, sqlite3.sqlite_version, a.seed, out))
    if failed:
        print("FAILED: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
