-- 0005: message templates, a local registry per account and WhatsApp Business Account, kept
-- in step with Meta (submit, sync, status webhooks). Deleted templates keep their row with
-- deleted_at set; only live rows are unique per (account, WABA, name, language).
CREATE TABLE templates (
	id TEXT PRIMARY KEY CHECK (length(id) = 24 AND id NOT GLOB '*[^0-9a-f]*'),
	account_id TEXT NOT NULL REFERENCES accounts(id),
	waba_id TEXT NOT NULL,
	name TEXT NOT NULL CHECK (name <> ''),
	language TEXT NOT NULL CHECK (language <> ''),
	category TEXT NOT NULL CHECK (category IN ('MARKETING', 'UTILITY', 'AUTHENTICATION')),
	status TEXT NOT NULL CHECK (status IN ('draft', 'pending', 'approved', 'rejected',
	                                       'paused', 'disabled')),
	components TEXT NOT NULL DEFAULT '[]',
	body TEXT NOT NULL DEFAULT '',
	variables TEXT NOT NULL DEFAULT '[]',
	var_count INTEGER NOT NULL DEFAULT 0 CHECK (var_count >= 0),
	meta_template_id TEXT NOT NULL DEFAULT '',
	rejected_reason TEXT NOT NULL DEFAULT '',
	usage_count INTEGER NOT NULL DEFAULT 0,
	last_used_at INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE UNIQUE INDEX templates_live_name ON templates(account_id, waba_id, name, language)
	WHERE deleted_at = 0;
CREATE INDEX templates_account_status ON templates(account_id, status);
CREATE INDEX templates_meta_id ON templates(meta_template_id) WHERE meta_template_id <> '';
