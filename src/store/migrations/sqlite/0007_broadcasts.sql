-- 0007: broadcasts. A broadcast is written with all its recipients before it is acknowledged
-- (status 'accepting' while its recipients are being written: never shown, removed if the
-- process dies before the acknowledgement). The runner turns pending recipients into queued
-- messages (priority 1, broadcast_id set) a window at a time; the message counters below are
-- kept by triggers so progress is read from one row.

CREATE TABLE broadcasts (
	id TEXT PRIMARY KEY CHECK (length(id) = 24 AND id NOT GLOB '*[^0-9a-f]*'),
	account_id TEXT NOT NULL REFERENCES accounts(id),
	name TEXT NOT NULL DEFAULT '',
	phone_number_id TEXT NOT NULL CHECK (phone_number_id <> ''),
	-- 'template' (template_id and language set) or 'text' (text set).
	kind TEXT NOT NULL CHECK (kind IN ('template', 'text')),
	template_id TEXT NOT NULL DEFAULT '',
	template_name TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT '',
	text TEXT NOT NULL DEFAULT '',
	-- JSON as text, verbatim: header media link and button parameters for every message.
	header_media TEXT NOT NULL DEFAULT '',
	buttons TEXT NOT NULL DEFAULT '',
	throttle_mps INTEGER NOT NULL DEFAULT 0 CHECK (throttle_mps >= 0),
	status TEXT NOT NULL CHECK (status IN ('accepting', 'scheduled', 'running', 'paused',
	                                       'completed', 'cancelled', 'failed')),
	status_reason TEXT NOT NULL DEFAULT '',
	schedule_at INTEGER NOT NULL DEFAULT 0,
	total INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
	skipped_invalid INTEGER NOT NULL DEFAULT 0,
	skipped_duplicate INTEGER NOT NULL DEFAULT 0,
	skipped_opted_out INTEGER NOT NULL DEFAULT 0,
	skipped_window INTEGER NOT NULL DEFAULT 0,
	-- Recipients turned into messages so far (recipients with seq < next_seq are done).
	next_seq INTEGER NOT NULL DEFAULT 0,
	n_queued INTEGER NOT NULL DEFAULT 0,
	n_sending INTEGER NOT NULL DEFAULT 0,
	n_accepted INTEGER NOT NULL DEFAULT 0,
	n_sent INTEGER NOT NULL DEFAULT 0,
	n_delivered INTEGER NOT NULL DEFAULT 0,
	n_read INTEGER NOT NULL DEFAULT 0,
	n_failed INTEGER NOT NULL DEFAULT 0,
	-- Meta's code of a failure that must stop the broadcast (132015 template paused), set by
	-- trigger, read and cleared by the runner.
	stop_code INTEGER NOT NULL DEFAULT 0,
	created_by TEXT NOT NULL DEFAULT '',
	started_at INTEGER NOT NULL DEFAULT 0,
	finished_at INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;

CREATE INDEX broadcasts_account_created ON broadcasts(account_id, created_at DESC, id DESC);
-- What the runner looks at: the few broadcasts that are not finished.
CREATE INDEX broadcasts_active ON broadcasts(status, schedule_at)
	WHERE status IN ('accepting', 'scheduled', 'running', 'paused');

-- One row per recipient, in the order given (seq). A phone appears once per broadcast:
-- duplicates are counted, never stored. Skipped recipients (invalid phone, opted out,
-- outside the window) take a seq too, with status 'skipped' and their reason, so the report
-- lists every recipient given.
CREATE TABLE broadcast_recipients (
	broadcast_id TEXT NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL CHECK (seq >= 0),
	phone TEXT NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	-- The template's variable values in order, as a JSON array text ('' = none).
	variables TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('pending', 'queued', 'skipped', 'cancelled')),
	skip_reason TEXT NOT NULL DEFAULT '',
	message_id TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (broadcast_id, seq)
) STRICT, WITHOUT ROWID;

CREATE UNIQUE INDEX broadcast_recipients_phone ON broadcast_recipients(broadcast_id, phone);
-- Queued messages of a broadcast, for pause, resume and cancel.
CREATE INDEX messages_broadcast_queued ON messages(broadcast_id)
	WHERE status = 'queued' AND broadcast_id <> '';

CREATE TRIGGER broadcast_messages_insert AFTER INSERT ON messages
WHEN NEW.broadcast_id <> ''
BEGIN
	UPDATE broadcasts SET n_queued = n_queued + (NEW.status = 'queued'),
		n_failed = n_failed + (NEW.status = 'failed')
	WHERE id = NEW.broadcast_id;
END;

CREATE TRIGGER broadcast_messages_status AFTER UPDATE OF status ON messages
WHEN NEW.broadcast_id <> '' AND NEW.status <> OLD.status
BEGIN
	UPDATE broadcasts SET
		n_queued = n_queued + (NEW.status = 'queued') - (OLD.status = 'queued'),
		n_sending = n_sending + (NEW.status = 'sending') - (OLD.status = 'sending'),
		n_accepted = n_accepted + (NEW.status = 'accepted') - (OLD.status = 'accepted'),
		n_sent = n_sent + (NEW.status = 'sent') - (OLD.status = 'sent'),
		n_delivered = n_delivered + (NEW.status = 'delivered') - (OLD.status = 'delivered'),
		n_read = n_read + (NEW.status = 'read') - (OLD.status = 'read'),
		n_failed = n_failed + (NEW.status = 'failed') - (OLD.status = 'failed'),
		stop_code = CASE WHEN NEW.status = 'failed' AND NEW.error_code IN (132015, 132016)
			THEN NEW.error_code ELSE stop_code END
	WHERE id = NEW.broadcast_id;
END;
