#pragma once
// The server's tables on PostgreSQL (its own and the op log), as versioned migrations:
// kMigrations[i] brings a database from version i to i + 1. PgServerStore::migrate
// applies the missing ones in one transaction, under an advisory lock so instances that
// start together apply each once. Append new versions; never edit one that has shipped.

#include <array>

namespace tandem::server::pg {

inline constexpr std::array<const char*, 3> kMigrations = {
    // 1: the tables of SqliteServerStore's version 1.
    R"sql(
CREATE TABLE srv_account (
  member TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  disabled BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE srv_session (
  token_hash TEXT PRIMARY KEY,
  member TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  expires_ms BIGINT NOT NULL
);
CREATE INDEX srv_session_member ON srv_session(member);
CREATE TABLE srv_site (
  site TEXT PRIMARY KEY,
  member TEXT,
  last_member TEXT,
  last_sync BIGINT NOT NULL DEFAULT 0,
  last_push BIGINT NOT NULL DEFAULT 0,
  reader TEXT NOT NULL DEFAULT '',
  access_seq BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE srv_backfill (
  site TEXT NOT NULL,
  plan TEXT NOT NULL,
  upto BIGINT NOT NULL,
  done BIGINT NOT NULL,
  PRIMARY KEY (site, plan)
);
CREATE TABLE srv_pending_ack (
  site TEXT PRIMARY KEY,
  token TEXT NOT NULL,
  backfills TEXT NOT NULL,
  revoked TEXT NOT NULL
);
CREATE TABLE srv_access_change (
  id BIGSERIAL PRIMARY KEY,
  seq BIGINT NOT NULL,
  plan TEXT NOT NULL,
  before TEXT NOT NULL
);
CREATE TABLE srv_counter (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
CREATE TABLE srv_audit (
  seq BIGINT PRIMARY KEY,
  time BIGINT NOT NULL,
  actor TEXT,
  action TEXT NOT NULL,
  subject TEXT,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  plan TEXT
);
CREATE INDEX srv_audit_plan ON srv_audit(plan, seq);
CREATE TABLE srv_audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  count BIGINT NOT NULL,
  hash TEXT NOT NULL
);
)sql",
    // 2: the op log and field state (PgOpStore), as core::Replica keeps them: ids as
    // lowercase hex, site and hlc as core::Replica's order-preserving signed 64-bit
    // mapping, values as canonical JSON text.
    R"sql(
CREATE TABLE ops (
  site BIGINT NOT NULL,
  n BIGINT NOT NULL,
  entity TEXT COLLATE "C" NOT NULL,
  type TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  hlc BIGINT NOT NULL,
  seq BIGINT UNIQUE,
  author TEXT,
  plan TEXT COLLATE "C",
  PRIMARY KEY (site, n)
);
CREATE INDEX ops_plan_seq ON ops(plan, seq);
CREATE TABLE entities (
  entity TEXT COLLATE "C" PRIMARY KEY,
  type TEXT NOT NULL,
  plan TEXT COLLATE "C",
  th BIGINT NOT NULL,
  ts BIGINT NOT NULL,
  tn BIGINT NOT NULL
);
CREATE INDEX entities_type ON entities(type, plan);
CREATE TABLE fields (
  entity TEXT COLLATE "C" NOT NULL,
  field TEXT COLLATE "C" NOT NULL,
  value TEXT NOT NULL,
  hlc BIGINT NOT NULL,
  site BIGINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (entity, field)
);
CREATE TABLE superseded (
  entity TEXT COLLATE "C" NOT NULL,
  field TEXT COLLATE "C" NOT NULL,
  site BIGINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (entity, field, site, n)
);
)sql",
    // 3: failed logins, one row per failure and key (LoginThrottle's), so instances count
    // them together; rows out of every window are deleted.
    R"sql(
CREATE TABLE srv_login_failure (
  key TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX srv_login_failure_key ON srv_login_failure(key, at);
CREATE INDEX srv_login_failure_at ON srv_login_failure(at);
)sql",
};

}  // namespace tandem::server::pg
