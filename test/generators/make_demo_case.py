#!/usr/bin/env python3
"""Build the built-in demo case (test/fixtures/demo/): a mail server's journal folder after a crash.

  python3 make_demo_case.py --out DIR [--seed 11]

It takes the `journal-folder` case of make_sqlite_cases.py (real SQLite: two snapshots, archived WAL generations
with stale frames of older generations at their tails, the live mailbox.db + mailbox.db-wal) and simulates the
crash tearing the live WAL: the write of the frame after the last commit stopped half way, so that frame carries the
live generation's salts, an unfinished checksum and half of a new page over the stale frame it was overwriting.

The expected state is what real SQLite recovers from the torn files (oracle.py checkpoint), written to
DIR/case.json next to the generator's own facts. The layout under DIR mirrors a Winconnection `mbox` folder:
mbox/db/ (live files) and mbox/journal/ (snapshots, archived generations).
"""
import argparse
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import oracle  # noqa: E402
import walfacts  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', required=True)
    ap.add_argument('--seed', type=int, default=11)
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix='palimpsest-demo-')
    try:
        r = subprocess.run([sys.executable, os.path.join(HERE, 'make_sqlite_cases.py'), '--out', tmp, '--seed', str(a.seed),
                            '--only', 'journal-folder'], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f'make_sqlite_cases.py failed:\n{r.stdout}\n{r.stderr}')
        src = os.path.join(tmp, 'journal-folder')
        case = json.load(open(os.path.join(src, 'case.json')))
        if os.path.exists(a.out):
            shutil.rmtree(a.out)
        shutil.copytree(os.path.join(src, 'inputs'), a.out)

        live_wal = os.path.join(a.out, 'mbox', 'db', 'mailbox.db-wal')
        with open(live_wal, 'rb') as f:
            wal = bytearray(f.read())
        page_size = struct.unpack('>I', wal[8:12])[0]
        salt1, salt2 = struct.unpack('>II', wal[16:24])
        fs = page_size + 24
        nframes = (len(wal) - 32) // fs
        # The first frame after the valid prefix (the next write position).
        k = 0
        for i in range(nframes):
            off = 32 + i * fs
            if struct.unpack('>II', wal[off + 8:off + 16]) != (salt1, salt2):
                break
            k = i + 1
        if k >= nframes:
            sys.exit('journal-folder live WAL has no frame after its valid prefix to tear')
        rnd = random.Random(a.seed)
        off = 32 + k * fs
        pgno = struct.unpack('>I', wal[32 + (k - 1) * fs:32 + (k - 1) * fs + 4])[0]
        # Torn write: header of the new frame (live salts, no commit, a checksum that was never completed) and the
        # first half of its page; the second half still holds the stale frame's bytes.
        wal[off:off + 24] = struct.pack('>IIIIII', pgno, 0, salt1, salt2, rnd.getrandbits(32), rnd.getrandbits(32))
        half = page_size // 2
        wal[off + 24:off + 24 + half] = bytes(rnd.getrandbits(8) for _ in range(half))
        with open(live_wal, 'wb') as f:
            f.write(wal)

        db = os.path.join(a.out, 'mbox', 'db', 'mailbox.db')
        expected_live = oracle.describe_files(db, wal=live_wal, checkpoint=True)
        with open(live_wal, 'rb') as f:
            facts = walfacts.parse_wal(f.read())
        if facts['firstInvalidFrame'] != k + 1:
            sys.exit(f'torn frame check failed: independent parser says first invalid frame {facts["firstInvalidFrame"]}, expected {k + 1}')
        out = {
            'name': 'demo',
            'description': 'Built-in demo: a mail server journal folder after a crash. Two snapshots, archived WAL '
                           'generations (with stale frames of older generations at their tails), the live mailbox.db '
                           f'and mailbox.db-wal whose frame {k + 1} was torn half way through the crash.',
            'seed': a.seed,
            'sqliteVersion': case.get('sqliteVersion'),
            'tornFrame': k + 1,
            'tornFileOffset': off,
            'liveFilesExpected': expected_live,
            'liveWal': {key: facts[key] for key in ('frames', 'validFrames', 'commits', 'lastCommitFrame', 'firstInvalidFrame', 'staleFrames') if key in facts},
            'journalFolderCase': {key: case[key] for key in ('snapshots', 'generations', 'appliedGenerations', 'points', 'finalLiveCommit') if key in case},
        }
        with open(os.path.join(a.out, 'case.json'), 'w') as f:
            json.dump(out, f, indent=1, sort_keys=True)
        print(f'demo case written to {a.out}: torn live WAL frame {k + 1} at offset {off}')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
