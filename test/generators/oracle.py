#!/usr/bin/env python3
"""Oracle: what real SQLite (the python3 stdlib sqlite3 module) recovers from evidence.

  python3 oracle.py describe   DBFILE [--wal WALFILE] [--journal JOURNALFILE]
  python3 oracle.py checkpoint DBFILE [--wal WALFILE] [--journal JOURNALFILE]

Both copy the inputs into a fresh temporary directory as x.db / x.db-wal /
x.db-journal (the inputs are never modified and no -shm is ever copied), open the copy
with sqlite3 (SQLite applies the WAL or rolls back a hot journal on its own) and print
ONE JSON object:

  integrity_check   "ok" or the list of messages of PRAGMA integrity_check
  page_size, page_count, journal_mode   PRAGMA values after opening
  schema            [[type, name, tbl_name, sql], ...] of sqlite_master, sorted by (type, name)
  tables            {name: {"count": n, "sha256": hex}}   canonical rows, see below
  logical_sha256    hash over the schema and every table's canonical rows
  dump_sha256       sha256("\\n".join(conn.iterdump()))  (python 3.11 iterdump; python-only)

`checkpoint` additionally runs PRAGMA wal_checkpoint(TRUNCATE) and reports
  checkpointed_db_sha256            sha256 of the main file afterwards
  checkpointed_db_sha256_rollback   same bytes with header bytes 18 and 19 set to 1
  checkpointed_db_size              its size in bytes
If the database cannot be opened/read: {"error": "..."} (exit status 0).

Canonical encoding (so other implementations can reproduce the hashes):
  value  -> integer  "i" + decimal           (e.g. i-42)
            real     "f" + 16 hex digits of the IEEE-754 double, big-endian
            text     "t" + lowercase hex of the stored UTF-8 bytes
            blob     "b" + lowercase hex
            NULL     "n"
  row    -> values joined by "," followed by "\\n"
  table rows: SELECT rowid,* FROM "t" ORDER BY rowid   (rowid tables)
              SELECT * FROM "t" ORDER BY 1,2,...,n      (WITHOUT ROWID tables)
  tables[t].sha256 = sha256(concatenation of its encoded rows)
  logical_sha256   = sha256( "S\\n" + encoded schema rows (the 4 schema columns encoded as
                     values: text or NULL) + for each table name in sorted order:
                     "T" + hex(utf8 name) + "\\n" + that table's encoded rows )
"""
import hashlib
import json
import os
import shutil
import sqlite3
import struct
import sys
import tempfile

SQLITE_VERSION = sqlite3.sqlite_version


def enc_value(v):
    if v is None:
        return "n"
    if isinstance(v, bool):
        v = int(v)
    if isinstance(v, int):
        return "i%d" % v
    if isinstance(v, float):
        return "f" + struct.pack('>d', v).hex()
    if isinstance(v, str):
        return "t" + v.encode('utf-8', 'surrogatepass').hex()
    if isinstance(v, (bytes, bytearray, memoryview)):
        # text_factory=bytes makes TEXT arrive as bytes too; the caller tags those
        return "b" + bytes(v).hex()
    raise TypeError("unexpected value type %r" % type(v))


def enc_row(values):
    return (",".join(values) + "\n").encode('ascii')


def _quote(name):
    return '"' + name.replace('"', '""') + '"'


def canonical_table(conn, name, without_rowid):
    """Return (count, sha256 hex, digest-able bytes generator) for a table."""
    q = _quote(name)
    cols = [r[1].decode('utf-8', 'surrogateescape') if isinstance(r[1], bytes) else r[1]
            for r in conn.execute("PRAGMA table_info(%s)" % q)]
    # select every value together with its typeof() so text and blob never collide,
    # whatever text_factory is in use
    parts = []
    if not without_rowid:
        parts.append("rowid")
        parts.append("typeof(rowid)")
    for c in cols:
        parts.append(_quote(c))
        parts.append("typeof(%s)" % _quote(c))
    if without_rowid:
        order = ",".join(str(2 * i + 1) for i in range(len(cols)))
    else:
        order = "1"
    sql = "SELECT %s FROM %s ORDER BY %s" % (",".join(parts), q, order)
    h = hashlib.sha256()
    n = 0
    rows_bytes = []
    for row in conn.execute(sql):
        vals = []
        for i in range(0, len(row), 2):
            v, t = row[i], row[i + 1]
            if isinstance(t, bytes):
                t = t.decode('ascii')
            if t == "text":
                vals.append("t" + (v if isinstance(v, bytes) else v.encode('utf-8', 'surrogatepass')).hex())
            elif t == "blob":
                vals.append("b" + bytes(v).hex())
            else:
                vals.append(enc_value(v))
        b = enc_row(vals)
        h.update(b)
        rows_bytes.append(b)
        n += 1
    return n, h.hexdigest(), rows_bytes


def describe_conn(conn):
    """Describe an open connection (its current committed state)."""
    conn.text_factory = bytes
    try:
        ic = [r[0].decode('utf-8', 'replace') if isinstance(r[0], bytes) else r[0]
              for r in conn.execute("PRAGMA integrity_check")]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        page_count = conn.execute("PRAGMA page_count").fetchone()[0]
        jm = conn.execute("PRAGMA journal_mode").fetchone()[0]
        jm = jm.decode() if isinstance(jm, bytes) else jm

        def dec(v):
            return v.decode('utf-8', 'surrogateescape') if isinstance(v, bytes) else v
        schema = [[dec(x) for x in r] for r in
                  conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")]
        schema.sort(key=lambda r: (r[0] or "", r[1] or "", r[2] or "", r[3] or ""))
        wr = {}
        for r in conn.execute("PRAGMA main.table_list"):
            # schema, name, type, ncol, wr, strict
            if dec(r[0]) == "main" and dec(r[2]) == "table":
                wr[dec(r[1])] = bool(r[4])
        table_names = sorted(r[1] for r in schema if r[0] == "table")
        # sqlite_master itself is described by `schema`; sqlite_sequence etc. are tables
        lh = hashlib.sha256()
        lh.update(b"S\n")
        for r in schema:
            lh.update(enc_row([enc_value(x) for x in r]))
        tables = {}
        for t in table_names:
            n, hx, rows = canonical_table(conn, t, wr.get(t, False))
            tables[t] = {"count": n, "sha256": hx}
            lh.update(b"T" + t.encode('utf-8').hex().encode('ascii') + b"\n")
            for b in rows:
                lh.update(b)
        conn.text_factory = str
        dump = "\n".join(conn.iterdump())
        return {
            "integrity_check": "ok" if ic == ["ok"] else ic,
            "page_size": page_size,
            "page_count": page_count,
            "journal_mode": jm,
            "schema": schema,
            "tables": tables,
            "logical_sha256": lh.hexdigest(),
            "dump_sha256": hashlib.sha256(dump.encode('utf-8', 'surrogatepass')).hexdigest(),
        }
    finally:
        conn.text_factory = str


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def rollback_header_sha(path):
    with open(path, 'rb') as f:
        b = bytearray(f.read())
    if len(b) >= 20:
        b[18] = 1
        b[19] = 1
    return hashlib.sha256(b).hexdigest()


def describe_files(db, wal=None, journal=None, checkpoint=False, save_result=None):
    """Copy the inputs to a scratch dir, open them with SQLite and describe the result.
    save_result: optional path that receives a copy of the main file afterwards."""
    with tempfile.TemporaryDirectory(prefix="oracle-") as td:
        x = os.path.join(td, "x.db")
        shutil.copyfile(db, x)
        if wal:
            shutil.copyfile(wal, x + "-wal")
        if journal:
            shutil.copyfile(journal, x + "-journal")
        out = describe_path(x, checkpoint=checkpoint)
        if save_result:
            shutil.copyfile(x, save_result)
        return out


def describe_path(x, checkpoint=False):
    """Open x (a scratch copy that may be modified) and describe it."""
    conn = None
    try:
        conn = sqlite3.connect(x, isolation_level=None)
        out = describe_conn(conn)
        if checkpoint:
            if out["journal_mode"] == "wal":
                r = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                if r[0] != 0:
                    raise RuntimeError("wal_checkpoint(TRUNCATE) busy: %r" % (r,))
            out["checkpointed_db_sha256"] = sha256_file(x)
            out["checkpointed_db_sha256_rollback"] = rollback_header_sha(x)
            out["checkpointed_db_size"] = os.path.getsize(x)
        return out
    except sqlite3.Error as e:
        return {"error": "%s: %s" % (type(e).__name__, e)}
    finally:
        if conn is not None:
            conn.close()


def same_state(a, b, bytes_too=False):
    """Compare two describe outputs (logical content; optionally checkpointed bytes)."""
    keys = ["integrity_check", "page_size", "page_count", "schema", "tables",
            "logical_sha256", "dump_sha256"]
    if bytes_too:
        keys += ["checkpointed_db_sha256"]
    return all(a.get(k) == b.get(k) for k in keys)


def main(argv):
    if len(argv) < 2 or argv[0] not in ("describe", "checkpoint"):
        sys.stderr.write(__doc__)
        return 2
    mode = argv[0]
    db = argv[1]
    wal = journal = None
    rest = argv[2:]
    while rest:
        if rest[0] == "--wal" and len(rest) > 1:
            wal = rest[1]
            rest = rest[2:]
        elif rest[0] == "--journal" and len(rest) > 1:
            journal = rest[1]
            rest = rest[2:]
        else:
            sys.stderr.write("unknown argument %r\n" % rest[0])
            return 2
    try:
        out = describe_files(db, wal, journal, checkpoint=(mode == "checkpoint"))
    except OSError as e:
        out = {"error": "%s: %s" % (type(e).__name__, e)}
    print(json.dumps(out, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
