#!/usr/bin/env python3
"""WAL pages written per commit by a push of new progress entries, for the replica's
entity table as schema 1 kept it (keyed by the random entity id) and as schema 2 keeps
it (a rowid table), against the raw baseline's two tables (raw_baseline.h).

Each commit holds 250 new entities x 4 fields, as one 1,000-op push of server_bench.
Prints the mean pages per commit over the first 10 and the last 50 of 200 commits.
Usage: wal_pages.py [DIR]   (DIR: where the scratch databases go; default a temp dir)
"""
import json
import os
import random
import sqlite3
import sys
import tempfile

OPS = '''CREATE TABLE ops(site INTEGER NOT NULL, n INTEGER NOT NULL, entity BLOB NOT NULL,
  type TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, hlc INTEGER NOT NULL, seq INTEGER,
  author BLOB, plan BLOB, pending INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(site, n)) WITHOUT ROWID;
CREATE UNIQUE INDEX ops_seq ON ops(seq) WHERE seq IS NOT NULL;
CREATE INDEX ops_pending ON ops(n) WHERE pending = 1;
CREATE INDEX ops_plan ON ops(plan, seq) WHERE seq IS NOT NULL;
CREATE TABLE fields(entity BLOB NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,
  hlc INTEGER NOT NULL, site INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(entity, field)) WITHOUT ROWID;'''
SCHEMAS = {
    'baseline': '''CREATE TABLE log(site INTEGER NOT NULL, n INTEGER NOT NULL, entity BLOB NOT NULL,
  type TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, hlc INTEGER NOT NULL, seq INTEGER,
  PRIMARY KEY(site, n)) WITHOUT ROWID;
CREATE TABLE fields(entity BLOB NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,
  hlc INTEGER NOT NULL, site INTEGER NOT NULL, PRIMARY KEY(entity, field)) WITHOUT ROWID;''',
    'schema 1': OPS + '''CREATE TABLE entities(entity BLOB PRIMARY KEY, type TEXT NOT NULL, plan BLOB,
  th INTEGER NOT NULL, ts INTEGER NOT NULL, tn INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX entities_type ON entities(type, plan);''',
    'schema 2': OPS + '''CREATE TABLE entities(id INTEGER PRIMARY KEY, entity BLOB NOT NULL UNIQUE,
  type TEXT NOT NULL, plan BLOB, th INTEGER NOT NULL, ts INTEGER NOT NULL, tn INTEGER NOT NULL);
CREATE INDEX entities_type ON entities(type, plan);''',
}


def run(directory, name):
    path = os.path.join(directory, name.replace(' ', '_') + '.db')
    db = sqlite3.connect(path, isolation_level=None)
    db.execute('PRAGMA journal_mode=WAL')
    db.execute('PRAGMA wal_autocheckpoint=0')
    db.execute('PRAGMA cache_size=-65536')  # as the replica and the baseline
    db.executescript(SCHEMAS[name])
    rng = random.Random(1)
    plan, author, site = os.urandom(16), os.urandom(16), 12345
    tasks = [os.urandom(16).hex() for _ in range(10)]
    n = 0
    pages = []

    def wal_pages():
        wal = path + '-wal'
        return os.path.getsize(wal) // (4096 + 24) if os.path.exists(wal) else 0

    for _ in range(200):
        before = wal_pages()
        db.execute('BEGIN IMMEDIATE')
        for e in range(250):
            entity = os.urandom(16)
            if name != 'baseline':
                db.execute('INSERT INTO entities(entity, type, plan, th, ts, tn) VALUES(?, ?, ?, ?, ?, ?)'
                           ' ON CONFLICT(entity) DO NOTHING', (entity, 'progress_entry', plan, n, site, n))
            for field, value in [('plan', json.dumps(plan.hex())), ('task', json.dumps(rng.choice(tasks))),
                                 ('percent', str(e % 101)), ('note', json.dumps('拜访客户 %d，已演示样品' % n))]:
                n += 1
                if name == 'baseline':
                    db.execute('INSERT INTO log VALUES(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
                               (site, n, entity, 'progress_entry', field, value, n, n))
                    db.execute('INSERT INTO fields VALUES(?, ?, ?, ?, ?) ON CONFLICT(entity, field)'
                               ' DO UPDATE SET value = excluded.value', (entity, field, value, n, site))
                else:
                    db.execute('INSERT INTO ops VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING',
                               (site, n, entity, 'progress_entry', field, value, n, n, author, plan))
                    db.execute('INSERT INTO fields VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(entity, field) DO NOTHING',
                               (entity, field, value, n, site, n))
        db.execute('COMMIT')
        pages.append(wal_pages() - before)
        if wal_pages() > 20000:
            db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    db.close()
    print(f'{name:9}  pages per commit: first 10 {sum(pages[:10]) / 10:7.1f}, last 50 {sum(pages[-50:]) / 50:7.1f}')


def main():
    with tempfile.TemporaryDirectory(dir=sys.argv[1] if len(sys.argv) > 1 else None) as directory:
        for name in SCHEMAS:
            run(directory, name)


if __name__ == '__main__':
    main()
