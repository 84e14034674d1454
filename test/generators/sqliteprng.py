"""Make SQLite's own randomness (WAL salts, journal nonces, temp names) reproducible.

Calls sqlite3_test_control(SQLITE_TESTCTRL_PRNG_SEED, seed, NULL) through ctypes on the
very libsqlite3 that the python sqlite3 module has loaded (found in /proc/self/maps).
With a non-zero seed SQLite's PRNG is re-initialised from that seed instead of
/dev/urandom (sqlite src/os.c sqlite3OsRandomness, src/main.c SQLITE_TESTCTRL_PRNG_SEED),
so a generator run with the same seed produces byte-identical files.
If it cannot be done (no /proc, SQLITE_UNTESTABLE build, static link) seed() returns
False and everything still works, only SQLite's salts/nonces stay random.
"""
import ctypes
import sqlite3  # noqa: F401  (loads libsqlite3 first)
import _sqlite3

SQLITE_TESTCTRL_PRNG_SEED = 28
_lib = None


def _find_lib():
    global _lib
    if _lib is not None:
        return _lib or None
    path = None
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                p = line.split()[-1] if len(line.split()) >= 6 else ""
                if "libsqlite3" in p:
                    path = p
                    break
    except OSError:
        pass
    try:
        lib = ctypes.CDLL(path) if path else ctypes.CDLL(_sqlite3.__file__)
        fn = lib.sqlite3_test_control
        fn.restype = ctypes.c_int
        _lib = lib
    except (OSError, AttributeError):
        _lib = False
        return None
    return _lib


def seed(n):
    """Seed SQLite's PRNG with n (made non-zero, 31 bits). Returns True on success."""
    lib = _find_lib()
    if not lib:
        return False
    n = (int(n) & 0x7FFFFFFF) or 1
    rc = lib.sqlite3_test_control(ctypes.c_int(SQLITE_TESTCTRL_PRNG_SEED), ctypes.c_int(n),
                                  ctypes.c_void_p(0))
    return rc == 0
