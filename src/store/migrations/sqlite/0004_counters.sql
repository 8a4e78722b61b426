-- Per-account counters kept by triggers, so an unfiltered conversation list can report its
-- total without counting every row on each request.
CREATE TABLE account_counters (
	account_id TEXT PRIMARY KEY REFERENCES accounts(id),
	conversations INTEGER NOT NULL DEFAULT 0 CHECK (conversations >= 0)
) STRICT;

INSERT INTO account_counters (account_id, conversations)
	SELECT account_id, count(*) FROM conversations GROUP BY account_id;

CREATE TRIGGER conversations_count_insert AFTER INSERT ON conversations
BEGIN
	INSERT INTO account_counters (account_id, conversations) VALUES (NEW.account_id, 1)
	ON CONFLICT (account_id) DO UPDATE SET conversations = conversations + 1;
END;

CREATE TRIGGER conversations_count_delete AFTER DELETE ON conversations
BEGIN
	UPDATE account_counters SET conversations = conversations - 1
	WHERE account_id = OLD.account_id;
END;
