"""A mailbox.db with deleted rows, written by real SQLite, and the truth about every row it ever held.

The mail workload of mailwork.py in rollback-journal mode with secure_delete off (upstream SQLite's default; Debian builds its SQLite with it on, so it is set): deliveries
(some with rows large enough to overflow), flag changes and moves (rows rewritten), then expunges by DELETE of messages
and their keywords, a dropped table, and a few more deliveries that reuse some of the freed space. After every
transaction the script records every row of every table, so the output says which row versions ever existed
(`history`), which rows are live at the end (`live`) and which messages were deleted (`deleted`). A carver must
only ever report rows from `history` that are not `live`.

With --wal the store is in WAL mode: everything before the expunges is checkpointed into the database, the expunges
stay in the WAL, and the copy is taken before SQLite could checkpoint them (the database file alone holds none of
the deleted rows' freed cells; a rebuild that replays the WAL does). There is no dropped table in that variant.

Usage: python3 make_deleted_case.py --out DIR [--seed N] [--wal]
Writes DIR/mailbox.db (and DIR/mailbox.db-wal with --wal) and DIR/truth.json.
"""
import argparse
import json
import os
import random
import shutil
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mailwork import MailStore  # noqa: E402

TABLES = ["accounts", "folders", "messages", "keywords", "journal_state", "outbox"]


def rows(conn):
    out = {}
    for t in TABLES:
        try:
            cols = [r[1] for r in conn.execute("PRAGMA table_info(%s)" % t)]
            if not cols:
                continue
            out[t] = [list(r) for r in conn.execute("SELECT * FROM %s" % t)]
        except sqlite3.OperationalError:
            pass
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--wal", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    db = os.path.join(a.out, "mailbox.db")
    work = os.path.join(a.out, "work.db") if a.wal else db
    for f in (db, db + "-journal", db + "-wal", work, work + "-wal", work + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    rng = random.Random(a.seed)
    m = MailStore(work, rng, page_size=4096, journal_mode="WAL" if a.wal else "DELETE", synchronous="FULL")
    c = m.conn
    c.execute("PRAGMA secure_delete=0")
    history = {}

    def snap():
        for t, rs in rows(c).items():
            h = history.setdefault(t, set())
            for r in rs:
                h.add(json.dumps(r))

    m.begin()
    m.create_schema(accounts=2)
    c.execute("CREATE TABLE outbox (id INTEGER PRIMARY KEY, rcpt TEXT NOT NULL, subject TEXT, queued_at INTEGER)")
    for i in range(40):
        c.execute("INSERT INTO outbox(rcpt, subject, queued_at) VALUES (?,?,?)",
                  (m._person(), m._text(rng.randint(3, 9)), 1740830429 + i * 61))
    m.commit()
    snap()
    for _ in range(260):
        m.txn(m.deliver)
        snap()
    for _ in range(60):
        m.txn(lambda: m.random_ops(1, weights=(0, 3, 2, 0, 2)))
        snap()
    if a.wal:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = {r[0]: r for r in c.execute("SELECT * FROM messages")}
    # Expunge by DELETE: a quarter of the messages, with their keywords.
    victims = rng.sample(sorted(before), len(before) // 4)
    for mid in victims:
        m.begin()
        c.execute("DELETE FROM keywords WHERE message_id=?", (mid,))
        c.execute("DELETE FROM messages WHERE id=?", (mid,))
        m._forget(mid)
        m.commit()
        snap()
    if a.wal:
        # The evidence: the database and its WAL as they are now (closing would checkpoint the WAL away).
        shutil.copyfile(work, db)
        shutil.copyfile(work + "-wal", db + "-wal")
        m.close()
        for f in (work, work + "-wal", work + "-shm"):
            if os.path.exists(f):
                os.remove(f)
    else:
        m.begin()
        c.execute("DROP TABLE outbox")
        m.commit()
        for _ in range(15):
            m.txn(m.deliver)
            snap()
        m.close()
    # The truth of the end state, read from a scratch copy (opening a WAL database writes to it).
    scratch = os.path.join(a.out, "scratch")
    os.makedirs(scratch, exist_ok=True)
    for f in (db, db + "-wal"):
        if os.path.exists(f):
            shutil.copyfile(f, os.path.join(scratch, os.path.basename(f)))
    conn = sqlite3.connect(os.path.join(scratch, "mailbox.db"))
    live = rows(conn)
    ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    shutil.rmtree(scratch)
    truth = {
        "sqliteVersion": sqlite3.sqlite_version,
        "seed": a.seed,
        "integrity": ok,
        "deleted": {"messages": [list(before[v]) for v in sorted(victims)]},
        "history": {t: [json.loads(x) for x in sorted(h)] for t, h in history.items()},
        "live": live,
    }
    with open(os.path.join(a.out, "truth.json"), "w") as f:
        json.dump(truth, f)
    print(json.dumps({"deleted": len(victims), "live_messages": len(live.get("messages", [])), "integrity": ok}))


if __name__ == "__main__":
    main()
