#!/usr/bin/env python3
"""Independent, minimal SQLite WAL parser used to describe test WAL files.

Implements the rules of sqlite-formats.md section 2 (fileformat2 section 4, wal.c
walDecodeFrame / walIndexRecover) without calling SQLite:

  * header: magic 0x377f0682 (little-endian checksum words) or 0x377f0683 (big-endian),
    version 3007000, power-of-two page size 512..65536, header checksum over bytes 0..23;
  * frame k is valid iff its salts equal the header salts, pgno != 0 and its stored
    checksum equals the running checksum (header checksum, then for every frame
    frame-header bytes 0..7 followed by the page bytes);
  * SQLite accepts the longest valid prefix; mxFrame = last commit frame (nTruncate != 0)
    inside that prefix.

It is only used for the `wal` facts block of case.json and for internal cross-checks;
expected database states always come from real SQLite (oracle.py).

CLI: python3 walfacts.py FILE.wal   -> prints the facts as JSON.
"""
import json
import struct
import sys

WAL_MAGIC_LE = 0x377F0682
WAL_MAGIC_BE = 0x377F0683
WAL_VERSION = 3007000
WAL_HDR = 32
FRAME_HDR = 24
M32 = 0xFFFFFFFF


def wal_checksum(data, s0=0, s1=0, big_endian=False):
    """SQLite's Fibonacci-weighted checksum (walChecksumBytes) over `data`.

    `data` length must be a multiple of 8. Words are read big-endian when
    big_endian is True (magic ...83) else little-endian (magic ...82)."""
    n = len(data)
    if n % 8:
        raise ValueError("checksum input must be a multiple of 8 bytes")
    words = struct.unpack(('>' if big_endian else '<') + '%dI' % (n // 4), data)
    it = iter(words)
    for a, b in zip(it, it):
        s0 = (s0 + a + s1) & M32
        s1 = (s1 + b + s0) & M32
    return s0, s1


def is_pow2_pagesize(ps):
    return 512 <= ps <= 65536 and (ps & (ps - 1)) == 0


def parse_header(data):
    """Return a dict with the WAL header fields and whether the header is valid."""
    if len(data) < WAL_HDR:
        return {"headerValid": False, "reason": "file shorter than 32 bytes"}
    magic, version, ps, ckpt, salt1, salt2, c1, c2 = struct.unpack('>8I', data[:32])
    h = {"magic": "0x%08x" % magic, "bigEndian": bool(magic & 1), "version": version,
         "pageSize": ps, "ckptSeq": ckpt, "salt1": salt1, "salt2": salt2,
         "headerChecksum": [c1, c2]}
    reason = None
    if (magic & 0xFFFFFFFE) != WAL_MAGIC_LE:
        reason = "bad magic"
    elif version != WAL_VERSION:
        reason = "unknown version"
    elif not is_pow2_pagesize(ps):
        reason = "bad page size"
    else:
        if wal_checksum(data[:24], 0, 0, bool(magic & 1)) != (c1, c2):
            reason = "header checksum mismatch"
    h["headerValid"] = reason is None
    if reason:
        h["reason"] = reason
    return h


def light_commit_count(data):
    """Cheap parse without checksums: (ckptSeq, commits in the salt-matching prefix,
    frames in that prefix). Used to label commits G:C while a workload runs."""
    if len(data) < WAL_HDR:
        return None, 0, 0
    ps = struct.unpack('>I', data[8:12])[0]
    ckpt, s1, s2 = struct.unpack('>3I', data[12:24])
    if not is_pow2_pagesize(ps):
        return None, 0, 0
    fsz = ps + FRAME_HDR
    n = (len(data) - WAL_HDR) // fsz
    commits = 0
    frames = 0
    for k in range(n):
        off = WAL_HDR + k * fsz
        pgno, ntr, fs1, fs2 = struct.unpack('>4I', data[off:off + 16])
        if pgno == 0 or fs1 != s1 or fs2 != s2:
            break
        frames += 1
        if ntr:
            commits += 1
    return ckpt, commits, frames


def parse_wal(data, verify_stale=True):
    """Facts about a WAL image (bytes). See module docstring for the rules."""
    size = len(data)
    facts = {"fileSize": size}
    h = parse_header(data)
    facts.update(h)
    if not h.get("headerValid"):
        facts.update({"frames": 0, "validFrames": 0, "commits": 0, "lastCommitFrame": None,
                      "firstInvalidFrame": None, "uncommittedFrames": 0, "staleFrames": 0, "zeroSaltFrames": 0,
                      "commitFrames": [], "trailingBytes": max(0, size - WAL_HDR)})
        if size >= 12:
            ps = struct.unpack('>I', data[8:12])[0]
            if is_pow2_pagesize(ps):
                facts["frames"] = (size - WAL_HDR) // (ps + FRAME_HDR)
        return facts
    ps = h["pageSize"]
    be = h["bigEndian"]
    fsz = ps + FRAME_HDR
    nframes = (size - WAL_HDR) // fsz
    trailing = size - WAL_HDR - nframes * fsz
    s0, s1 = h["headerChecksum"]
    valid = 0
    first_invalid = None
    invalid_reason = None
    commit_frames = []   # [{"frame": k, "dbSize": nTruncate}] inside the valid prefix
    stale = 0
    zero_salt = 0
    stale_groups = {}    # (salt1, salt2) -> count
    stale_verified = 0
    prev_stored = None   # stored checksum of the previous frame (for per-frame seeding)
    prev_salts = None
    for k in range(1, nframes + 1):
        off = WAL_HDR + (k - 1) * fsz
        fh = data[off:off + FRAME_HDR]
        pgno, ntr, fs1, fs2, c1, c2 = struct.unpack('>6I', fh)
        page = data[off + FRAME_HDR:off + fsz]
        salts_ok = (fs1 == h["salt1"] and fs2 == h["salt2"])
        if not salts_ok and fs1 == 0 and fs2 == 0 and c1 == 0 and c2 == 0:
            # written by SQLite for a not-yet-committed transaction after an in-place
            # overwrite of one of its frames (wal.c walEncodeFrame with iReCksum != 0:
            # salts and checksum are zeroed until walRewriteChecksums at commit)
            zero_salt += 1
        elif not salts_ok:
            stale += 1
            key = "%d:%d" % (fs1, fs2)
            stale_groups[key] = stale_groups.get(key, 0) + 1
            # per-frame seeding check of stale frames (sqlite-formats.md 2.6 / 2.11)
            if verify_stale and prev_stored is not None and prev_salts == (fs1, fs2):
                r = wal_checksum(fh[:8], prev_stored[0], prev_stored[1], be)
                r = wal_checksum(page, r[0], r[1], be)
                if r == (c1, c2):
                    stale_verified += 1
        if first_invalid is None:
            reason = None
            if not salts_ok:
                reason = "salt mismatch"
            elif pgno == 0:
                reason = "pgno 0"
            else:
                r = wal_checksum(fh[:8], s0, s1, be)
                r = wal_checksum(page, r[0], r[1], be)
                if r != (c1, c2):
                    reason = "checksum mismatch"
                else:
                    s0, s1 = r
            if reason is None:
                valid += 1
                if ntr:
                    commit_frames.append({"frame": k, "dbSize": ntr})
            else:
                first_invalid = k
                invalid_reason = reason
        prev_stored = (c1, c2)
        prev_salts = (fs1, fs2)
    last_commit = commit_frames[-1]["frame"] if commit_frames else None
    facts.update({
        "frames": nframes,
        "trailingBytes": trailing,
        "validFrames": valid,
        "commits": len(commit_frames),
        "lastCommitFrame": last_commit,
        "firstInvalidFrame": first_invalid,
        "firstInvalidReason": invalid_reason,
        "uncommittedFrames": valid - (last_commit or 0),
        "staleFrames": stale,
        "zeroSaltFrames": zero_salt,
        "staleSaltGroups": stale_groups,
        "staleFramesChainVerified": stale_verified,
        "commitFrames": commit_frames,
        "dbSizeAfterLastCommit": commit_frames[-1]["dbSize"] if commit_frames else None,
    })
    return facts


def rewrite_byte_order(data, big_endian):
    """Rewrite a WAL so its checksums use the other word order: set the magic,
    recompute the header checksum and re-chain every frame checksum from frame 1 on
    (all frames, including frames after the valid prefix, are re-chained)."""
    ps = struct.unpack('>I', data[8:12])[0]
    fsz = ps + FRAME_HDR
    out = bytearray(data)
    struct.pack_into('>I', out, 0, WAL_MAGIC_BE if big_endian else WAL_MAGIC_LE)
    s0, s1 = wal_checksum(bytes(out[:24]), 0, 0, big_endian)
    struct.pack_into('>2I', out, 24, s0, s1)
    n = (len(data) - WAL_HDR) // fsz
    for k in range(n):
        off = WAL_HDR + k * fsz
        s0, s1 = wal_checksum(bytes(out[off:off + 8]), s0, s1, big_endian)
        s0, s1 = wal_checksum(bytes(out[off + FRAME_HDR:off + fsz]), s0, s1, big_endian)
        struct.pack_into('>2I', out, off + 16, s0, s1)
    return bytes(out)


def frame_offset(k, page_size):
    """Byte offset of 1-based frame k."""
    return WAL_HDR + (k - 1) * (page_size + FRAME_HDR)


# ---- cksumvfs (sqlite-formats.md section 4) -------------------------------------------

def cksumvfs_compute(page):
    """cksmCompute: WAL recurrence over little-endian words of page[:-8], seed (0,0)."""
    return wal_checksum(page[:-8], 0, 0, False)


def cksumvfs_stamp(db):
    """Return a copy of database bytes with the cksumvfs checksum in the last 8 bytes
    of every page (s1 LE at N-8, s2 LE at N-4). Requires header byte 20 == 8."""
    ps = struct.unpack('>H', db[16:18])[0]
    ps = 65536 if ps == 1 else ps
    assert db[20] == 8, "reserved bytes must be 8"
    out = bytearray(db)
    for off in range(0, len(db), ps):
        a, b = cksumvfs_compute(bytes(out[off:off + ps]))
        struct.pack_into('<2I', out, off + ps - 8, a, b)
    return bytes(out)


def cksumvfs_facts(db):
    ps = struct.unpack('>H', db[16:18])[0]
    ps = 65536 if ps == 1 else ps
    bad = []
    n = len(db) // ps
    for i in range(n):
        page = db[i * ps:(i + 1) * ps]
        if struct.unpack('<2I', page[-8:]) != cksumvfs_compute(page):
            bad.append(i + 1)
    return {"pageSize": ps, "reservedBytes": db[20], "pages": n, "badPages": bad}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: walfacts.py FILE.wal")
    with open(sys.argv[1], 'rb') as f:
        print(json.dumps(parse_wal(f.read()), indent=1))
