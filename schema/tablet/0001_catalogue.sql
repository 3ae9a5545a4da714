-- Volant tablet store, migration 1: settings and the démarche catalogue.
-- Append-only: never edit a migration once it has landed; add a new one.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE service (
    id      TEXT PRIMARY KEY,
    kind    TEXT NOT NULL CHECK (kind IN ('counter', 'permanence', 'partner', 'online')),
    name    TEXT NOT NULL,
    active  INTEGER NOT NULL CHECK (active IN (0, 1)),
    version INTEGER NOT NULL CHECK (version >= 1),
    doc     TEXT NOT NULL CHECK (json_valid(doc))
) STRICT;

CREATE TABLE demarche (
    rowid      INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    category   TEXT NOT NULL,
    service_id TEXT NOT NULL REFERENCES service(id),
    keywords   TEXT NOT NULL CHECK (json_valid(keywords)),
    frequency  INTEGER NOT NULL CHECK (frequency BETWEEN 1 AND 5),
    active     INTEGER NOT NULL CHECK (active IN (0, 1)),
    version    INTEGER NOT NULL CHECK (version >= 1),
    doc        TEXT NOT NULL CHECK (json_valid(doc))
) STRICT;

-- Full-text index of the active démarches; rowid = demarche.rowid.
-- Text is folded by the application (lower case, no accents) before insertion.
CREATE VIRTUAL TABLE demarche_fts USING fts5(
    title, keywords, body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);

-- Ranking: BM25 with the title weighing most, then the visitors' words, then the rest.
INSERT INTO demarche_fts (demarche_fts, rank) VALUES ('rank', 'bm25(10.0, 6.0, 1.0)');

CREATE VIRTUAL TABLE demarche_fts_vocab USING fts5vocab(demarche_fts, 'row');
