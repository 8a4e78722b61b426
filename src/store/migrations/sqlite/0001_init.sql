-- 0001: accounts, users and dashboard sessions. Ids are 24 lower-case hex characters
-- (core/ids.h), times unix ms with 0 meaning "not set", enums stored as their names.
-- Every tenant-owned row carries account_id; a session's user must belong to the
-- session's account (composite foreign key). Run by migrate inside one transaction.

CREATE TABLE accounts (
	id TEXT PRIMARY KEY CHECK (length(id) = 24 AND id NOT GLOB '*[^0-9a-f]*'),
	name TEXT NOT NULL,
	email TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE users (
	id TEXT PRIMARY KEY CHECK (length(id) = 24 AND id NOT GLOB '*[^0-9a-f]*'),
	account_id TEXT NOT NULL REFERENCES accounts(id),
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'agent')),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (id, account_id)
) STRICT;

CREATE INDEX users_account_id ON users(account_id);

CREATE TABLE sessions (
	id TEXT PRIMARY KEY CHECK (length(id) = 24 AND id NOT GLOB '*[^0-9a-f]*'),
	account_id TEXT NOT NULL REFERENCES accounts(id),
	user_id TEXT NOT NULL,
	token_hash TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	revoked_at INTEGER NOT NULL DEFAULT 0,
	ip TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT '',
	FOREIGN KEY (user_id, account_id) REFERENCES users(id, account_id)
) STRICT;

CREATE UNIQUE INDEX sessions_token_hash ON sessions(token_hash);
CREATE INDEX sessions_user_id ON sessions(user_id);
