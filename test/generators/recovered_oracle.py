#!/usr/bin/env python3
"""Oracle for Browse's recovered messages (web/store/recovered.ts), with real SQLite.

Reads JSON on stdin: {"db": path, "table": name, "files": <palimpsest deleted --json "files">}. Takes every carved
record of `table`, keeps the values the record tells (not lost, not uncertain) by column name, merges records with the
same rowid and values, and compares each with the row of the database (opened read-only, immutable) that has its rowid:
  absent  - no row has it;  changed - the row differs in some told column;  same - it does not;  unknown - no rowid.
Writes {"messages": [{"rowid", "status", "changed": [names], "found": n, "known": {col: value}}], "same": n,
"sameFound": records merged into the "same" rows}.
"""
import json
import sqlite3
import sys


def value(v):
    if isinstance(v, dict) and "blob" in v:
        return bytes.fromhex(v["blob"])
    return v


def differs(a, b):
    # SQLite's own comparison: a blob never equals text or a number; 1 = 1.0; text compares exactly.
    if isinstance(a, bytes) != isinstance(b, bytes) or isinstance(a, str) != isinstance(b, str):
        return True
    return a != b


def main():
    q = json.load(sys.stdin)
    con = sqlite3.connect(f"file:{q['db']}?mode=ro&immutable=1", uri=True)
    table = q["table"]
    cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
    groups = {}
    order = []
    for f in q["files"]:
        for r in f["records"]:
            if r["table"] != table:
                continue
            skip = set(r["lost"]) | set(r["uncertain"])
            known = {c: value(v) for i, (c, v) in enumerate(zip(r["columns"], r["values"])) if i not in skip and c in cols}
            key = (r["rowid"], tuple(sorted((c, repr(v)) for c, v in known.items())))
            if key not in groups:
                groups[key] = {"rowid": r["rowid"], "known": known, "found": 0}
                order.append(key)
            groups[key]["found"] += 1
    out = []
    same = 0
    same_found = 0
    for key in order:
        g = groups[key]
        if g["rowid"] is None:
            out.append({"rowid": None, "status": "unknown", "changed": [], "found": g["found"], "known": g["known"]})
            continue
        row = con.execute(f'SELECT * FROM "{table}" WHERE rowid = ?', (g["rowid"],)).fetchone()
        if row is None:
            out.append({"rowid": g["rowid"], "status": "absent", "changed": [], "found": g["found"], "known": g["known"]})
            continue
        live = dict(zip(cols, row))
        changed = sorted(c for c, v in g["known"].items() if differs(live[c], v))
        if changed:
            out.append({"rowid": g["rowid"], "status": "changed", "changed": changed, "found": g["found"], "known": g["known"]})
        else:
            same += 1
            same_found += g["found"]
    for m in out:
        m["known"] = {c: (v.hex() if isinstance(v, bytes) else v) for c, v in m["known"].items()}
    json.dump({"messages": out, "same": same, "sameFound": same_found}, sys.stdout)


if __name__ == "__main__":
    main()
