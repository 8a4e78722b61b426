-- 0002: integration tokens (and the IPs each was used from), the audit log, contacts and
-- their tags. Same conventions as 0001: 24-hex ids, unix ms times with 0 = "not set".
-- A token IP or a tag row repeats its parent's account_id, which the store copies from the
-- parent it has just matched in that account. (No composite UNIQUE (id, account_id) here to
-- hang a composite foreign key on: SQLite would report a duplicate id as that constraint
-- rather than as the primary key.) Run by migrate inside one transaction.

CREATE TABLE integration_tokens (
	id TEXT PRIMARY KEY CHECK (length(id) = 24 AND id NOT GLOB '*[^0-9a-f]*'),
	account_id TEXT NOT NULL REFERENCES accounts(id),
	token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
	prefix TEXT NOT NULL,
	-- A user id, or '' when the token was made outside a session: no foreign key.
	created_by TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL DEFAULT 0,
	last_used_at INTEGER NOT NULL DEFAULT 0,
	last_used_ip TEXT NOT NULL DEFAULT '',
	revoked_at INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX integration_tokens_account_live
	ON integration_tokens(account_id, revoked_at, created_at);

CREATE TABLE integration_token_ips (
	account_id TEXT NOT NULL REFERENCES accounts(id),
	token_id TEXT NOT NULL REFERENCES integration_tokens(id),
	ip TEXT NOT NULL CHECK (ip <> ''),
	first_seen_at INTEGER NOT NULL,
	PRIMARY KEY (token_id, ip)
) STRICT;

CREATE TABLE audit_events (
	id TEXT PRIMARY KEY CHECK (length(id) = 24 AND id NOT GLOB '*[^0-9a-f]*'),
	account_id TEXT NOT NULL REFERENCES accounts(id),
	actor_type TEXT NOT NULL CHECK (actor_type IN ('user', 'token', 'system')),
	actor_id TEXT NOT NULL DEFAULT '',
	actor_label TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL CHECK (action <> ''),
	target TEXT NOT NULL DEFAULT '',
	ip TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT '',
	-- A JSON object as text or '': kept verbatim, never parsed here.
	details TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX audit_events_account_time ON audit_events(account_id, created_at DESC, id DESC);
CREATE INDEX audit_events_account_action_time
	ON audit_events(account_id, action, created_at DESC, id DESC);

CREATE TABLE contacts (
	id TEXT PRIMARY KEY CHECK (length(id) = 24 AND id NOT GLOB '*[^0-9a-f]*'),
	account_id TEXT NOT NULL REFERENCES accounts(id),
	name TEXT NOT NULL,
	phone TEXT NOT NULL
		CHECK (length(phone) BETWEEN 8 AND 15 AND phone NOT GLOB '*[^0-9]*'),
	email TEXT NOT NULL DEFAULT '',
	-- A JSON object as text or '': kept verbatim, never parsed here.
	attributes TEXT NOT NULL DEFAULT '',
	opted_out INTEGER NOT NULL DEFAULT 0 CHECK (opted_out IN (0, 1)),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (account_id, phone)
) STRICT;

CREATE INDEX contacts_account_created ON contacts(account_id, created_at DESC, id DESC);

-- position keeps the order the caller gave the tags in.
CREATE TABLE contact_tags (
	account_id TEXT NOT NULL REFERENCES accounts(id),
	contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	tag TEXT NOT NULL CHECK (tag <> ''),
	position INTEGER NOT NULL CHECK (position >= 0),
	PRIMARY KEY (contact_id, tag)
) STRICT;

CREATE INDEX contact_tags_account_tag ON contact_tags(account_id, tag);
