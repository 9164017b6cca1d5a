-- A trust database as vouch schema version 1 wrote it, with a few rows
-- and a valid audit chain (hashes computed by the same rule as
-- src/trust/audit_log.cpp). database_test.cpp loads it into a file and
-- checks that opening it migrates to the latest version with the rows intact.
-- The CREATE statements are exactly migration step 1 (src/trust/database.cpp).
CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('application', 'vouch-trust');
CREATE TABLE people (
  name         TEXT PRIMARY KEY NOT NULL,
  display_name TEXT NOT NULL DEFAULT ''
);
CREATE TABLE person_emails (
  person TEXT NOT NULL REFERENCES people(name) ON DELETE CASCADE,
  email  TEXT NOT NULL,
  PRIMARY KEY (person, email)
);
CREATE TABLE keys (
  id         TEXT PRIMARY KEY NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('ssh', 'openpgp')),
  material   TEXT NOT NULL,
  created    INTEGER,
  expires    INTEGER,
  first_seen INTEGER NOT NULL,
  person     TEXT REFERENCES people(name) ON DELETE SET NULL
);
CREATE TABLE key_subkeys (
  key         TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
  fingerprint TEXT NOT NULL,
  PRIMARY KEY (key, fingerprint)
);
CREATE TABLE endorsements (
  issuer    TEXT NOT NULL,
  target    TEXT NOT NULL,
  person    TEXT,
  emails    TEXT NOT NULL DEFAULT '',
  amount    INTEGER NOT NULL CHECK (amount BETWEEN 0 AND 120),
  depth     INTEGER NOT NULL CHECK (depth BETWEEN 0 AND 255),
  scopes    TEXT NOT NULL DEFAULT '',
  created   INTEGER NOT NULL,
  expires   INTEGER,
  comment   TEXT,
  statement TEXT NOT NULL,
  PRIMARY KEY (issuer, target)
);
CREATE TABLE roots (
  key TEXT PRIMARY KEY NOT NULL REFERENCES keys(id) ON DELETE CASCADE
);
CREATE TABLE revocations (
  id        INTEGER PRIMARY KEY,
  key       TEXT NOT NULL,
  reason    TEXT NOT NULL CHECK (reason IN ('compromised', 'superseded', 'retired', 'unspecified')),
  time      INTEGER NOT NULL,
  statement TEXT,
  comment   TEXT
);
CREATE INDEX revocations_key ON revocations(key);
CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,
  time      INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  payload   TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
PRAGMA user_version = 1;
INSERT INTO meta (key, value) VALUES ('schema_version', '1');
INSERT INTO people (name, display_name) VALUES ('jia', 'Jia Example');
INSERT INTO person_emails (person, email) VALUES ('jia', 'jia@example.org');
INSERT INTO keys (id, kind, material, created, expires, first_seen, person) VALUES ('openpgp:3690C240CE51B4670D30AD1C38EE757D69184620', 'openpgp', '-----BEGIN PGP PUBLIC KEY BLOCK-----
(fixture)
-----END PGP PUBLIC KEY BLOCK-----', 1690000000, NULL, 1700000100, 'jia');
INSERT INTO keys (id, kind, material, created, expires, first_seen, person) VALUES ('ssh:SHA256:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCde', 'ssh', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixture jia@laptop', NULL, NULL, 1700000200, NULL);
INSERT INTO key_subkeys (key, fingerprint) VALUES ('openpgp:3690C240CE51B4670D30AD1C38EE757D69184620', '1111222233334444555566667777888899990000');
INSERT INTO endorsements (issuer, target, person, emails, amount, depth, scopes, created, expires, comment, statement) VALUES ('openpgp:3690C240CE51B4670D30AD1C38EE757D69184620', 'ssh:SHA256:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCde', 'jia', 'jia@example.org', 120, 0, '', 1700000400, NULL, 'same person', 'vouch-endorsement v1 Zml4dHVyZQ== c2ln');
INSERT INTO roots (key) VALUES ('openpgp:3690C240CE51B4670D30AD1C38EE757D69184620');
INSERT INTO revocations (key, reason, time, statement, comment) VALUES ('ssh:SHA256:ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ', 'compromised', 1700000600, NULL, 'lost laptop');
INSERT INTO audit_log (seq, time, actor, action, payload, prev_hash, hash) VALUES (1, 1700000000, 'local', 'schema.migrate', '{"action":"schema.migrate","actor":"local","change":{"from":0,"to":1},"seq":1,"time":1700000000}', '0000000000000000000000000000000000000000000000000000000000000000', '16bc0eb8aab479377cbc1d566e592601df89a1110813688a40a3a38502e60e5b');
INSERT INTO audit_log (seq, time, actor, action, payload, prev_hash, hash) VALUES (2, 1700000100, 'local', 'key.add', '{"action":"key.add","actor":"local","change":{"key":"openpgp:3690C240CE51B4670D30AD1C38EE757D69184620"},"seq":2,"time":1700000100}', '16bc0eb8aab479377cbc1d566e592601df89a1110813688a40a3a38502e60e5b', '35807cac5790bed67eff134ff3a37534f88c59178ea0f8109779cd7b73022389');
INSERT INTO audit_log (seq, time, actor, action, payload, prev_hash, hash) VALUES (3, 1700000200, 'local', 'key.add', '{"action":"key.add","actor":"local","change":{"key":"ssh:SHA256:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCde"},"seq":3,"time":1700000200}', '35807cac5790bed67eff134ff3a37534f88c59178ea0f8109779cd7b73022389', 'bef78ec9177d4158e9ab55c409f41558b4f67af8fa2f06507c1c1bda221afac8');
INSERT INTO audit_log (seq, time, actor, action, payload, prev_hash, hash) VALUES (4, 1700000300, 'local', 'person.add', '{"action":"person.add","actor":"local","change":{"display_name":"Jia Example","emails":["jia@example.org"],"keys":["openpgp:3690C240CE51B4670D30AD1C38EE757D69184620"],"name":"jia"},"seq":4,"time":1700000300}', 'bef78ec9177d4158e9ab55c409f41558b4f67af8fa2f06507c1c1bda221afac8', '9e606b565c22929a411bb3ac68de34fcbeb10ebe294164bc2034bea3e0b3e28f');
INSERT INTO audit_log (seq, time, actor, action, payload, prev_hash, hash) VALUES (5, 1700000400, 'local', 'endorsement.add', '{"action":"endorsement.add","actor":"local","change":{"amount":120,"created":1700000400,"depth":0,"issuer":"openpgp:3690C240CE51B4670D30AD1C38EE757D69184620","target":"ssh:SHA256:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCde"},"seq":5,"time":1700000400}', '9e606b565c22929a411bb3ac68de34fcbeb10ebe294164bc2034bea3e0b3e28f', '833a8e4b761b866488465e694a665fa73b078bdad30329e2d08cc54c05ad191d');
INSERT INTO audit_log (seq, time, actor, action, payload, prev_hash, hash) VALUES (6, 1700000500, 'local', 'root.add', '{"action":"root.add","actor":"local","change":{"key":"openpgp:3690C240CE51B4670D30AD1C38EE757D69184620"},"seq":6,"time":1700000500}', '833a8e4b761b866488465e694a665fa73b078bdad30329e2d08cc54c05ad191d', 'f2a956d63d603706c7aa359fd9fca8b33da9029d55e728e95506854b10eb1056');
