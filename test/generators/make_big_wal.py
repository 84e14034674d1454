#!/usr/bin/env python3
"""Write a large, fully committed WAL for benchmarks.

  python3 make_big_wal.py --out DIR --size-mb N [--page-size 4096] [--seed 1] [--txn-msgs 4000] [--expected]

Produces DIR/mailbox.db + DIR/mailbox.db-wal (WAL >= N MiB, every frame in the valid
prefix, last frame a commit frame) by running the mailbox.db mail workload
(mail-store.md section 5 schema) with wal_autocheckpoint=0 and big transactions:
deliveries (some with long recipient lists that overflow pages), flag changes, moves,
expunges and keyword adds. mailbox.db holds a small rollback-mode base (schema +
a few hundred messages) taken before the switch to WAL, so the WAL carries almost all data.

The WAL is never checkpointed: after the last commit the small mailbox.db is copied and
the WAL is hard-linked (copied if linking is impossible) into DIR while the writer
connection is still open; the process then exits without closing the connection, so
SQLite never gets to checkpoint or delete the WAL. No -shm is left in DIR.
"""
import argparse
import os
import random
import shutil
import sqlite3
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import mailwork  # noqa: E402
import sqliteprng  # noqa: E402

DB = "mailbox.db"


def light_check(wal_path):
    """Header + frame headers only (no checksums): frames, commits, last frame commit?"""
    size = os.path.getsize(wal_path)
    with open(wal_path, 'rb') as f:
        hdr = f.read(32)
        magic, ver, ps, ckpt, s1, s2 = struct.unpack('>6I', hdr[:24])
        fsz = ps + 24
        n = (size - 32) // fsz
        commits = 0
        last_commit = 0
        bad = None
        for k in range(1, n + 1):
            f.seek(32 + (k - 1) * fsz)
            pgno, ntr, a, b = struct.unpack('>4I', f.read(16))
            if pgno == 0 or a != s1 or b != s2:
                bad = k
                break
            if ntr:
                commits += 1
                last_commit = k
    return {"magic": hex(magic), "pageSize": ps, "ckptSeq": ckpt, "frames": n, "commits": commits,
            "lastCommitFrame": last_commit, "firstBadFrame": bad, "trailingBytes": size - 32 - n * fsz}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--size-mb", type=float, required=True, help="minimum WAL size in MiB")
    ap.add_argument("--page-size", type=int, default=4096)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--txn-msgs", type=int, default=4000, help="deliveries per transaction")
    ap.add_argument("--expected", action="store_true",
                    help="also write DIR/expected.json = oracle.py checkpoint of the result "
                         "(copies the files to a temp dir; ~30 s more for 1.1 GB)")
    a = ap.parse_args()
    ps = a.page_size
    if ps < 512 or ps > 65536 or ps & (ps - 1):
        ap.error("page size must be a power of two in 512..65536")
    t0 = time.time()
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    for n in (DB, DB + "-wal", DB + "-shm", DB + "-journal"):
        if os.path.exists(os.path.join(out, n)):
            os.remove(os.path.join(out, n))
    work = os.path.join(out, ".make_big_wal.work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    seeded = sqliteprng.seed(a.seed * 7919 + 17)
    rng = random.Random("bigwal:%d" % a.seed)
    path = os.path.join(work, DB)
    s = mailwork.MailStore(path, rng, page_size=ps, journal_mode="DELETE", synchronous="OFF")
    s.txn(lambda: (s.create_schema(accounts=5), [s.deliver() for _ in range(300)]))
    c = s.conn
    if c.execute("PRAGMA journal_mode=WAL").fetchone()[0] != "wal":
        sys.exit("error: could not switch to WAL mode")
    c.execute("PRAGMA wal_autocheckpoint=0")
    c.execute("PRAGMA cache_size=-65536")   # 64 MiB page cache: fewer spills
    wal = path + "-wal"
    target = int(a.size_mb * 1024 * 1024)
    ntx = 0
    last_report = time.time()

    def big_txn():
        for _ in range(a.txn_msgs):
            s.deliver()
        s.random_ops(a.txn_msgs // 20, weights=(0, 4, 3, 2, 3))
        ids = rng.sample(s.msg_ids, min(len(s.msg_ids), a.txn_msgs // 10))
        c.executemany("UPDATE messages SET flags = flags | 1, modseq = modseq + 1 WHERE id = ?",
                      [(i,) for i in ids])

    while not os.path.exists(wal) or os.path.getsize(wal) < target:
        s.txn(big_txn)
        ntx += 1
        if time.time() - last_report > 10:
            last_report = time.time()
            print("  %d transactions, WAL %.1f MiB, %.0fs" % (ntx, os.path.getsize(wal) / 1048576.0,
                                                              time.time() - t0), flush=True)
    # --- export while the writer connection is still open ---
    dst_db = os.path.join(out, DB)
    dst_wal = os.path.join(out, DB + "-wal")
    shutil.copyfile(path, dst_db)
    try:
        os.link(wal, dst_wal)
        how = "hard link"
    except OSError:
        shutil.copyfile(wal, dst_wal)
        how = "copy"
    info = light_check(dst_wal)
    ok = (info["firstBadFrame"] is None and info["lastCommitFrame"] == info["frames"]
          and info["trailingBytes"] == 0 and os.path.getsize(dst_wal) >= target)
    nmsg = c.execute("SELECT count(*) FROM messages").fetchone()[0]
    print("mailbox.db      %12d bytes" % os.path.getsize(dst_db))
    print("mailbox.db-wal  %12d bytes (%.1f MiB, %s)" % (os.path.getsize(dst_wal),
                                                          os.path.getsize(dst_wal) / 1048576.0, how))
    print("WAL: page size %d, ckptSeq %d, %d frames, %d commits, last commit frame %d, magic %s" % (
        info["pageSize"], info["ckptSeq"], info["frames"], info["commits"], info["lastCommitFrame"],
        info["magic"]))
    print("messages after last commit: %d; transactions: %d; SQLite %s; PRNG seeded: %s" % (
        nmsg, ntx + 1, sqlite3.sqlite_version, seeded))
    print("elapsed %.1fs" % (time.time() - t0))
    # remove the work copy (the writer still has it open; unlinking is fine on POSIX)
    for n in (DB, DB + "-wal", DB + "-shm"):
        try:
            os.remove(os.path.join(work, n))
        except OSError:
            pass
    try:
        os.rmdir(work)
    except OSError:
        pass
    if ok and a.expected:
        import json
        import oracle
        t1 = time.time()
        d = oracle.describe_files(dst_db, dst_wal, checkpoint=True)
        with open(os.path.join(out, "expected.json"), "w") as f:
            json.dump(d, f, indent=1, sort_keys=True)
        print("expected.json: integrity %s, %s messages, logical %s (%.1fs)" % (
            d.get("integrity_check"), d.get("tables", {}).get("messages", {}).get("count"),
            d.get("logical_sha256", d.get("error")), time.time() - t1))
        ok = d.get("integrity_check") == "ok" and d["tables"]["messages"]["count"] == nmsg
    sys.stdout.flush()
    sys.stderr.flush()
    if not ok:
        sys.stderr.write("error: WAL check failed: %r\n" % (info,))
        os._exit(1)
    # exit without closing the connection: no checkpoint, no WAL deletion
    os._exit(0)


if __name__ == "__main__":
    main()
