#!/usr/bin/env python3
"""Independent, minimal parser of SQLite rollback journals (sqlite-formats.md section 3;
fileformat2 section 3; pager.c writeJournalHdr / readJournalHdr / pager_cksum /
pager_playback). Used only for the `journal` facts block of case.json and for
internal cross-checks; expected states always come from real SQLite (oracle.py).

Walks every sector-aligned segment, including headers whose magic (and nRec) are
zeroed because they were never synced, and verifies every page record with the pager
checksum: cksum = nonce; i = N-200; while i > 0: cksum += page[i]; i -= 200.

CLI: python3 journalfacts.py FILE-journal [--page-size N]  -> JSON facts.
"""
import json
import struct
import sys

JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
M32 = 0xFFFFFFFF


def pager_cksum(nonce, page):
    c = nonce
    i = len(page) - 200
    while i > 0:
        c = (c + page[i]) & M32
        i -= 200
    return c


def _valid_pow2(v, lo, hi):
    return lo <= v <= hi and (v & (v - 1)) == 0


def _classify(h, off):
    """Kind of a would-be journal header at a sector boundary."""
    if h[:8] == JOURNAL_MAGIC:
        return "valid"
    if h[0] == 0 and h[1:8] == JOURNAL_MAGIC[1:]:
        # pager.c syncJournal writes one 0x00 byte over an old header that follows the
        # current records in a persisted journal so that playback will not reach it
        return "neutralized"
    sec, ps = struct.unpack('>2I', h[20:28])
    if h[:12] == b"\0" * 12 and _valid_pow2(sec, 32, 65536) and _valid_pow2(ps, 512, 65536):
        # writeJournalHdr leaves magic and nRec zero until syncJournal fills them
        return "zeroed"
    if off == 0 and h[:28] == b"\0" * 28:
        # PERSIST commit: the first 28 bytes of the journal are zeroed (zeroJournalHdr)
        return "cleared"
    return None


def parse_journal(data, db_page_size=None, include_pgnos=True):
    """Facts about a rollback journal image (bytes).

    Segments are found at sector-aligned offsets; after a segment whose record count is
    unknown (zeroed/cleared/neutralized header, or nRec 0 / 0xFFFFFFFF) records are counted
    while their checksum verifies. Sector-aligned data that is not a header is skipped
    (reported as skippedBytesBefore of the next segment). `sqlitePlayback` marks what
    SQLite's pager_playback would replay: consecutive valid-magic segments from offset 0,
    stopping at the first bad header or failing record."""
    size = len(data)
    segments = []
    # defaults for sector/page size: first plausible header, else 512 / db page size
    sector, psize = 512, db_page_size
    for off in range(0, min(size, 1 << 20), 512):
        if off + 28 > size:
            break
        h = data[off:off + 28]
        if _classify(h, off) in ("valid", "zeroed", "neutralized"):
            sec, ps = struct.unpack('>2I', h[20:28])
            if _valid_pow2(sec, 32, 65536) and _valid_pow2(ps, 512, 65536):
                sector, psize = sec, ps
                break
    off = 0
    skipped = 0
    playback_alive = True
    playback_next = 0           # offset where SQLite expects the next header
    playback_records = 0
    while off + 28 <= size:
        h = data[off:off + 28]
        kind = _classify(h, off)
        if kind is None:
            off += sector
            skipped += sector
            playback_alive = False
            continue
        nrec, nonce, dbsize, sec, ps = struct.unpack('>5I', h[8:28])
        seg_sector = sec if _valid_pow2(sec, 32, 65536) else sector
        seg_ps = ps if _valid_pow2(ps, 512, 65536) else psize
        seg = {"offset": off, "kind": kind, "magicValid": kind == "valid",
               "magicZeroed": kind in ("zeroed", "cleared"), "nRec": nrec, "nonce": nonce,
               "dbSize": dbsize, "sectorSize": sec, "pageSize": ps, "skippedBytesBefore": skipped}
        skipped = 0
        if not seg_ps:
            seg["error"] = "unknown page size"
            segments.append(seg)
            break
        rec_sz = seg_ps + 8
        rec_start = off + seg_sector
        max_recs = max(0, (size - rec_start) // rec_sz)
        by_header = kind == "valid" and nrec not in (0, 0xFFFFFFFF)
        seg["nRecSource"] = "header" if by_header else "verified-run"
        count = min(nrec, max_recs) if by_header else max_recs
        use_nonce = nonce
        if kind == "cleared" and count:
            r = rec_start
            use_nonce = (struct.unpack('>I', data[r + 4 + seg_ps:r + 8 + seg_ps])[0]
                         - pager_cksum(0, data[r + 4:r + 4 + seg_ps])) & M32
            seg["inferredNonce"] = use_nonce
        pgnos = []
        flags = []
        for i in range(count):
            r = rec_start + i * rec_sz
            pgno = struct.unpack('>I', data[r:r + 4])[0]
            if pgno == 0:
                break
            page = data[r + 4:r + 4 + seg_ps]
            stored = struct.unpack('>I', data[r + 4 + seg_ps:r + 8 + seg_ps])[0]
            ok = pager_cksum(use_nonce, page) == stored
            if not ok and not by_header:
                break
            pgnos.append(pgno)
            flags.append(ok)
        seg["records"] = len(pgnos)
        seg["recordsVerified"] = sum(flags)
        if include_pgnos:
            seg["pgnos"] = pgnos
        seg["recordsVerifiedFlags"] = flags
        # SQLite playback
        played = 0
        if playback_alive and kind == "valid" and off == playback_next:
            for ok in flags:
                if not ok:
                    playback_alive = False
                    break
                played += 1
            if nrec == 0xFFFFFFFF or nrec == 0:
                playback_alive = False   # such a segment runs to the end of the file
        else:
            playback_alive = False
        seg["sqlitePlayback"] = played
        playback_records += played
        segments.append(seg)
        end = rec_start + len(pgnos) * rec_sz
        nxt = ((end + seg_sector - 1) // seg_sector) * seg_sector
        if nxt <= off:
            nxt = off + seg_sector
        off = nxt
        playback_next = nxt
    return {
        "fileSize": size,
        "segments": segments,
        "segmentCount": len(segments),
        "zeroedMagicSegments": sum(1 for s in segments if s["kind"] == "zeroed"),
        "totalRecords": sum(s["records"] for s in segments),
        "totalVerified": sum(s["recordsVerified"] for s in segments),
        "playbackRecords": playback_records,
        "originalDbSize": segments[0]["dbSize"] if segments else None,
        "hot": bool(segments) and segments[0]["kind"] == "valid" and data[0] != 0,
    }


def journal_records(data, db_page_size=None, only_playback=False):
    """(facts, [(pgno, page_bytes)]) for verified records; with only_playback, just the
    records SQLite's playback would use (cross-checks only)."""
    facts = parse_journal(data, db_page_size)
    out = []
    for seg in facts["segments"]:
        ps = seg["pageSize"] if _valid_pow2(seg["pageSize"], 512, 65536) else db_page_size
        sec = seg["sectorSize"] if _valid_pow2(seg["sectorSize"], 32, 65536) else 512
        r0 = seg["offset"] + sec
        n = seg["sqlitePlayback"] if only_playback else len(seg["pgnos"])
        for i, (pgno, ok) in enumerate(zip(seg["pgnos"][:n], seg["recordsVerifiedFlags"][:n])):
            if ok:
                r = r0 + i * (ps + 8)
                out.append((pgno, data[r + 4:r + 4 + ps]))
    return facts, out


if __name__ == "__main__":
    args = sys.argv[1:]
    ps = None
    if "--page-size" in args:
        i = args.index("--page-size")
        ps = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 1:
        sys.exit("usage: journalfacts.py FILE-journal [--page-size N]")
    with open(args[0], 'rb') as f:
        print(json.dumps(parse_journal(f.read(), ps), indent=1))
