-- 0003: WhatsApp: connected phone numbers, conversations, messages and their status events,
-- status reports that arrived before their message's wamid was known, idempotency keys, the
-- webhook inbox and template status events. Same conventions as 0001: 24-hex ids, unix ms
-- times with 0 = "not set", enums stored as their names (store.c). Numbers are matched to
-- conversations and messages by Meta's phone_number_id, which is unique across accounts.
-- Run by migrate inside one transaction.

CREATE TABLE phone_numbers (
	id TEXT PRIMARY KEY CHECK (length(id) = 24 AND id NOT GLOB '*[^0-9a-f]*'),
	account_id TEXT NOT NULL REFERENCES accounts(id),
	phone_number_id TEXT NOT NULL UNIQUE CHECK (phone_number_id <> ''),
	waba_id TEXT NOT NULL DEFAULT '',
	display_name TEXT NOT NULL DEFAULT '',
	display_phone TEXT NOT NULL DEFAULT '',
	verified_name TEXT NOT NULL DEFAULT '',
	quality_rating TEXT NOT NULL DEFAULT '',
	-- Sealed by the service layer (libsodium secretbox); never plain text here.
	access_token_sealed TEXT NOT NULL,
	app_secret_sealed TEXT NOT NULL DEFAULT '',
	throughput_mps INTEGER NOT NULL DEFAULT 0 CHECK (throughput_mps >= 0),
	is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
	sandbox INTEGER NOT NULL DEFAULT 0 CHECK (sandbox IN (0, 1)),
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'reauth', 'paused')),
	status_reason TEXT NOT NULL DEFAULT '',
	last_tested_at INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;

CREATE INDEX phone_numbers_account ON phone_numbers(account_id, created_at, id);
-- At most one default number per account.
CREATE UNIQUE INDEX phone_numbers_one_default ON phone_numbers(account_id) WHERE is_default = 1;

-- One per (account, business number, customer). phone_number_id is kept by value, without a
-- foreign key: the history stays when a number is disconnected.
CREATE TABLE conversations (
	id TEXT PRIMARY KEY CHECK (length(id) = 24 AND id NOT GLOB '*[^0-9a-f]*'),
	account_id TEXT NOT NULL REFERENCES accounts(id),
	phone_number_id TEXT NOT NULL CHECK (phone_number_id <> ''),
	user_phone TEXT NOT NULL
		CHECK (length(user_phone) BETWEEN 1 AND 15 AND user_phone NOT GLOB '*[^0-9]*'),
	user_name TEXT NOT NULL DEFAULT '',
	user_profile_name TEXT NOT NULL DEFAULT '',
	last_message_at INTEGER NOT NULL DEFAULT 0,
	last_message_preview TEXT NOT NULL DEFAULT '',
	last_message_type TEXT NOT NULL DEFAULT '',
	last_inbound_at INTEGER NOT NULL DEFAULT 0,
	unread_count INTEGER NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (account_id, phone_number_id, user_phone)
) STRICT;

CREATE INDEX conversations_account_activity
	ON conversations(account_id, last_message_at DESC, id DESC);

-- Outbound rows are the dispatcher's durable queue: status 'queued' with next_attempt_at.
-- wa_message_id is '' until Meta accepted the message, unique once set (inbound messages are
-- de-duplicated by it).
CREATE TABLE messages (
	id TEXT PRIMARY KEY CHECK (length(id) = 24 AND id NOT GLOB '*[^0-9a-f]*'),
	account_id TEXT NOT NULL REFERENCES accounts(id),
	conversation_id TEXT NOT NULL REFERENCES conversations(id),
	phone_number_id TEXT NOT NULL CHECK (phone_number_id <> ''),
	direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
	type TEXT NOT NULL CHECK (type <> ''),
	user_phone TEXT NOT NULL
		CHECK (length(user_phone) BETWEEN 1 AND 15 AND user_phone NOT GLOB '*[^0-9]*'),
	-- JSON objects as text, kept verbatim, never parsed here.
	content TEXT NOT NULL DEFAULT '',
	request TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'accepted', 'sent', 'failed',
	                                       'delivered', 'read', 'received')),
	wa_message_id TEXT NOT NULL DEFAULT '',
	queued_at INTEGER NOT NULL DEFAULT 0,
	accepted_at INTEGER NOT NULL DEFAULT 0,
	sent_at INTEGER NOT NULL DEFAULT 0,
	delivered_at INTEGER NOT NULL DEFAULT 0,
	read_at INTEGER NOT NULL DEFAULT 0,
	failed_at INTEGER NOT NULL DEFAULT 0,
	error_code INTEGER NOT NULL DEFAULT 0,
	error_title TEXT NOT NULL DEFAULT '',
	error_message TEXT NOT NULL DEFAULT '',
	error_details TEXT NOT NULL DEFAULT '',
	pricing_category TEXT NOT NULL DEFAULT '',
	pricing_billable INTEGER NOT NULL DEFAULT -1 CHECK (pricing_billable IN (-1, 0, 1)),
	attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	next_attempt_at INTEGER NOT NULL DEFAULT 0,
	priority INTEGER NOT NULL DEFAULT 0 CHECK (priority >= 0),
	broadcast_id TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX messages_wa_message_id ON messages(wa_message_id) WHERE wa_message_id <> '';
CREATE INDEX messages_account_conversation
	ON messages(account_id, conversation_id, created_at, id);
CREATE INDEX messages_account_created ON messages(account_id, created_at, id);
-- The dispatcher's claim order; only queued rows are in it.
CREATE INDEX messages_claim ON messages(priority, next_attempt_at, created_at, id)
	WHERE status = 'queued';
-- In flight: small, read after a crash.
CREATE INDEX messages_sending ON messages(id) WHERE status = 'sending';

-- A status report Meta sent (or an outcome the dispatcher recorded); the same status at the
-- same timestamp is stored once, so re-delivered webhooks add nothing.
CREATE TABLE message_events (
	id INTEGER PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES accounts(id),
	message_id TEXT NOT NULL REFERENCES messages(id),
	status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'accepted', 'sent', 'failed',
	                                       'delivered', 'read', 'received')),
	timestamp INTEGER NOT NULL,
	received_at INTEGER NOT NULL,
	error_code INTEGER NOT NULL DEFAULT 0,
	UNIQUE (message_id, status, timestamp)
) STRICT;

-- Status reports for a wamid no message carries yet (the webhook beat the send's answer);
-- applied and deleted when the send is recorded. No account: it is not known yet.
CREATE TABLE pending_statuses (
	id INTEGER PRIMARY KEY,
	wa_message_id TEXT NOT NULL CHECK (wa_message_id <> ''),
	status TEXT NOT NULL CHECK (status IN ('sent', 'failed', 'delivered', 'read')),
	timestamp INTEGER NOT NULL,
	error_code INTEGER NOT NULL DEFAULT 0,
	error_title TEXT NOT NULL DEFAULT '',
	error_message TEXT NOT NULL DEFAULT '',
	error_details TEXT NOT NULL DEFAULT '',
	pricing_category TEXT NOT NULL DEFAULT '',
	pricing_billable INTEGER NOT NULL DEFAULT -1 CHECK (pricing_billable IN (-1, 0, 1)),
	received_at INTEGER NOT NULL
) STRICT;

CREATE INDEX pending_statuses_wa_message_id ON pending_statuses(wa_message_id, id);

-- A request made with an Idempotency-Key: the message it created and, once given, the first
-- answer (status_code 0 until then). Rows older than 24 h count as absent and are replaced
-- on the next insert of the same key.
CREATE TABLE idempotency_keys (
	account_id TEXT NOT NULL REFERENCES accounts(id),
	key TEXT NOT NULL CHECK (key <> ''),
	request_hash TEXT NOT NULL,
	message_id TEXT NOT NULL DEFAULT '',
	status_code INTEGER NOT NULL DEFAULT 0,
	response TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	PRIMARY KEY (account_id, key)
) STRICT;

-- Raw webhook bodies, persisted before Meta gets its 200; processed_at 0 = still to do.
CREATE TABLE webhook_inbox (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	received_at INTEGER NOT NULL,
	body TEXT NOT NULL,
	processed_at INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX webhook_inbox_unprocessed ON webhook_inbox(seq) WHERE processed_at = 0;

-- message_template_status_update events, by WABA (no account: webhooks name the WABA).
CREATE TABLE template_events (
	id INTEGER PRIMARY KEY,
	waba_id TEXT NOT NULL,
	template_id TEXT NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT '',
	event TEXT NOT NULL CHECK (event <> ''),
	reason TEXT NOT NULL DEFAULT '',
	received_at INTEGER NOT NULL
) STRICT;

CREATE INDEX template_events_template ON template_events(waba_id, template_id, id);
