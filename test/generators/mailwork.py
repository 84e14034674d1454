"""Mail-index workload on the mailbox.db schema of mail-store.md section 5.

All content is derived from a random.Random(seed), so two runs with the same seed issue
the same SQL (SQLite's own WAL salts / journal nonces stay random).
"""
import email.utils
import hashlib
import sqlite3

SCHEMA = [
    """CREATE TABLE accounts (id INTEGER PRIMARY KEY, address TEXT NOT NULL UNIQUE, quota_mb INTEGER)""",
    """CREATE TABLE folders (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id),
  parent_id INTEGER, name TEXT NOT NULL, special_use TEXT, uidvalidity INTEGER NOT NULL,
  uidnext INTEGER NOT NULL, subscribed INTEGER NOT NULL DEFAULT 1, UNIQUE(account_id, parent_id, name))""",
    """CREATE TABLE messages (id INTEGER PRIMARY KEY, folder_id INTEGER NOT NULL REFERENCES folders(id),
  uid INTEGER NOT NULL, internal_date INTEGER NOT NULL, size INTEGER NOT NULL,
  flags INTEGER NOT NULL DEFAULT 0,
  msg_from TEXT, msg_to TEXT, msg_cc TEXT, subject TEXT, date_hdr TEXT, message_id TEXT,
  body_key TEXT NOT NULL,
  sha256 TEXT, expunged INTEGER NOT NULL DEFAULT 0, modseq INTEGER NOT NULL DEFAULT 1,
  UNIQUE(folder_id, uid))""",
    """CREATE TABLE keywords (message_id INTEGER NOT NULL REFERENCES messages(id), keyword TEXT NOT NULL,
  UNIQUE(message_id, keyword))""",
    """CREATE TABLE journal_state (k TEXT PRIMARY KEY, v TEXT)""",
]

F_SEEN, F_ANSWERED, F_FLAGGED, F_DELETED, F_DRAFT, F_RECENT = 1, 2, 4, 8, 16, 32

FIRST = ["ana", "bruno", "carla", "diego", "elisa", "fabio", "gabriela", "heitor", "iris",
         "joao", "karina", "lucas", "marina", "nuno", "olivia", "paulo", "quesia", "rafael",
         "sofia", "tiago", "ursula", "vitor", "wagner", "ximena", "yara", "zeca"]
LAST = ["silva", "souza", "costa", "santos", "oliveira", "pereira", "lima", "carvalho",
        "ferreira", "rodrigues", "almeida", "nascimento", "araujo", "ribeiro", "martins"]
DOMAINS = ["example.com", "example.org", "exemplo.com.br", "mail.example.net", "corp.example"]
WORDS = ("reuniao relatorio fatura pedido proposta contrato orcamento entrega agenda projeto "
         "status update invoice meeting report review draft urgent follow-up quarterly budget "
         "backup servidor migracao senha acesso suporte chamado cliente fornecedor nota fiscal "
         "boleto pagamento vencimento recibo comprovante cotacao planilha anexo versao final "
         "ação revisão atenção informação importante prazo conclusão").split()
KEYWORDS = ["$Forwarded", "$Junk", "$NotJunk", "$MDNSent", "$Label1", "$Label2", "Work",
            "Personal", "Financeiro", "Clientes"]
FOLDERS = [("INBOX", None), ("Sent", "\\Sent"), ("Drafts", "\\Drafts"), ("Trash", "\\Trash"),
           ("Archive", "\\Archive"), ("Junk", "\\Junk")]

BASE_TIME = 1740830429  # 2025-03-01 12:00:29 UTC


class MailStore:
    """Owns one connection to mailbox.db and applies mail operations in explicit
    transactions (isolation_level=None; BEGIN/COMMIT issued here)."""

    def __init__(self, path, rng, page_size=4096, journal_mode="WAL", synchronous="OFF",
                 cache_size=None, big_rows=True):
        self.path = path
        self.rng = rng
        self.big_rows = big_rows
        self.conn = sqlite3.connect(path, isolation_level=None)
        c = self.conn
        c.execute("PRAGMA page_size=%d" % page_size)
        jm = c.execute("PRAGMA journal_mode=%s" % journal_mode).fetchone()[0]
        if jm.lower() != journal_mode.lower():
            raise RuntimeError("journal_mode %s refused (%s)" % (journal_mode, jm))
        if journal_mode.upper() == "WAL":
            c.execute("PRAGMA wal_autocheckpoint=0")
        c.execute("PRAGMA synchronous=%s" % synchronous)
        if cache_size is not None:
            c.execute("PRAGMA cache_size=%d" % cache_size)
        self.now = BASE_TIME
        self.modseq = 1
        self.seq = 0
        self.msg_ids = []          # live message ids (python-side mirror, deterministic)
        self.msg_pos = {}
        self.folder_ids = []
        self.folder_uidnext = {}
        self.in_txn = False

    # -- transactions --------------------------------------------------------------
    def begin(self):
        self.conn.execute("BEGIN")
        self.in_txn = True

    def commit(self):
        # every transaction bumps journal_state so that it always writes a page
        self.seq += 1
        self.conn.execute("INSERT OR REPLACE INTO journal_state(k, v) VALUES ('last_applied_seq', ?)",
                          (str(self.seq),))
        self.conn.execute("COMMIT")
        self.in_txn = False

    def close(self):
        self.conn.close()

    # -- setup -----------------------------------------------------------------------
    def create_schema(self, accounts=3):
        c = self.conn
        for s in SCHEMA:
            c.execute(s)
        c.execute("INSERT INTO journal_state VALUES ('store_id', ?)",
                  ("%016x" % self.rng.getrandbits(64),))
        c.execute("INSERT INTO journal_state VALUES ('schema_version', '1')")
        fid = 0
        for a in range(accounts):
            addr = "%s.%s@%s" % (self.rng.choice(FIRST), self.rng.choice(LAST), DOMAINS[a % 2])
            c.execute("INSERT INTO accounts(id, address, quota_mb) VALUES (?,?,?)",
                      (a + 1, addr + (str(a) if a else ""), self.rng.choice([512, 1024, 2048, None])))
            for name, su in FOLDERS:
                fid += 1
                c.execute("INSERT INTO folders(id, account_id, parent_id, name, special_use, uidvalidity,"
                          " uidnext, subscribed) VALUES (?,?,?,?,?,?,?,?)",
                          (fid, a + 1, None, name, su, 1700000000 + fid * 7, 1,
                           0 if name == "Junk" else 1))
                self.folder_ids.append(fid)
                self.folder_uidnext[fid] = 1

    # -- content ---------------------------------------------------------------------
    def _person(self):
        r = self.rng
        return "%s.%s@%s" % (r.choice(FIRST), r.choice(LAST), r.choice(DOMAINS))

    def _addr_list(self, n):
        return ", ".join('"%s" <%s>' % (self.rng.choice(FIRST).title(), self._person())
                         for _ in range(n))

    def _text(self, nwords):
        return " ".join(self.rng.choice(WORDS) for _ in range(nwords))

    def _next_uid(self, fid):
        uid = self.folder_uidnext[fid]
        self.folder_uidnext[fid] = uid + 1
        self.conn.execute("UPDATE folders SET uidnext=? WHERE id=?", (uid + 1, fid))
        return uid

    # -- operations (must be called inside a transaction) ------------------------------
    def deliver(self, fid=None, huge=None, nto=None):
        r = self.rng
        if fid is None:
            fid = r.choice(self.folder_ids)
        self.now += r.randint(5, 900)
        self.modseq += 1
        uid = self._next_uid(fid)
        roll = r.random()
        huge = self.big_rows and (roll < 0.12 if huge is None else huge)
        if nto is None:
            nto = r.randint(40, 260) if huge else r.randint(1, 3)
        ncc = r.randint(0, 2) if not huge else r.randint(0, 60)
        subject = self._text(r.randint(2, 9)).capitalize()
        if huge and r.random() < 0.5:
            subject = "Re: " * r.randint(1, 5) + self._text(r.randint(150, 600))
        body = ("From: %s\r\nSubject: %s\r\n\r\n%s\r\n" %
                (self._person(), subject, self._text(r.randint(20, 400)))).encode()
        digest = hashlib.sha256(body + r.randbytes(8)).hexdigest()
        key = "%s/%s.eml" % (digest[:2].upper(), digest[:40].upper())
        self.conn.execute(
            "INSERT INTO messages(folder_id, uid, internal_date, size, flags, msg_from, msg_to, msg_cc,"
            " subject, date_hdr, message_id, body_key, sha256, expunged, modseq)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0,?)",
            (fid, uid, self.now, len(body) + r.randint(0, 200000), F_RECENT,
             '"%s" <%s>' % (r.choice(FIRST).title(), self._person()), self._addr_list(nto),
             self._addr_list(ncc) if ncc else None, subject,
             email.utils.formatdate(self.now - r.randint(0, 3600), usegmt=True),
             "<%016x.%d@%s>" % (r.getrandbits(64), self.now, r.choice(DOMAINS)),
             key, digest, self.modseq))
        mid = self.conn.execute("SELECT last_insert_rowid()").fetchone()[0]
        self.msg_pos[mid] = len(self.msg_ids)
        self.msg_ids.append(mid)
        return mid

    def _forget(self, mid):
        """O(1) removal from the python-side id list (swap with the last element)."""
        i = self.msg_pos.pop(mid)
        last = self.msg_ids.pop()
        if last != mid:
            self.msg_ids[i] = last
            self.msg_pos[last] = i

    def _pick(self):
        return self.rng.choice(self.msg_ids) if self.msg_ids else None

    def set_flags(self):
        mid = self._pick()
        if mid is None:
            return self.deliver()
        r = self.rng
        add = r.choice([F_SEEN, F_SEEN | F_ANSWERED, F_FLAGGED, F_SEEN | F_FLAGGED, F_DRAFT])
        self.modseq += 1
        self.conn.execute("UPDATE messages SET flags = (flags | ?) & ~? , modseq=? WHERE id=?",
                          (add, F_RECENT, self.modseq, mid))

    def move(self):
        mid = self._pick()
        if mid is None:
            return self.deliver()
        cur = self.conn.execute("SELECT folder_id FROM messages WHERE id=?", (mid,)).fetchone()[0]
        acct = (cur - 1) // len(FOLDERS)
        choices = [f for f in self.folder_ids if (f - 1) // len(FOLDERS) == acct and f != cur]
        dst = self.rng.choice(choices)
        uid = self._next_uid(dst)
        self.modseq += 1
        self.conn.execute("UPDATE messages SET folder_id=?, uid=?, modseq=? WHERE id=?",
                          (dst, uid, self.modseq, mid))

    def expunge(self):
        mid = self._pick()
        if mid is None:
            return self.deliver()
        self.modseq += 1
        if self.rng.random() < 0.3:
            # soft: \Deleted + expunged marker, row kept
            self.conn.execute("UPDATE messages SET flags = flags | ?, expunged=1, modseq=? WHERE id=?",
                              (F_DELETED, self.modseq, mid))
        else:
            self.conn.execute("DELETE FROM keywords WHERE message_id=?", (mid,))
            self.conn.execute("DELETE FROM messages WHERE id=?", (mid,))
            self._forget(mid)

    def add_keyword(self):
        mid = self._pick()
        if mid is None:
            return self.deliver()
        self.conn.execute("INSERT OR IGNORE INTO keywords(message_id, keyword) VALUES (?,?)",
                          (mid, self.rng.choice(KEYWORDS)))

    def random_ops(self, n, weights=(5, 3, 2, 1, 2)):
        ops = [self.deliver, self.set_flags, self.move, self.expunge, self.add_keyword]
        for _ in range(n):
            self.rng.choices(ops, weights=weights)[0]()

    def txn(self, fn):
        self.begin()
        try:
            fn()
        except BaseException:
            self.conn.execute("ROLLBACK")
            self.in_txn = False
            raise
        self.commit()
