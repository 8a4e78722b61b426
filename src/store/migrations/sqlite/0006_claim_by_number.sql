-- 0006: the dispatcher claims a share of due messages per number (store_sqlite_claim.c), so a
-- backlog on one number cannot take every claim; this index serves the per-number claim.
CREATE INDEX messages_claim_number
	ON messages(phone_number_id, priority, next_attempt_at, created_at, id)
	WHERE status = 'queued';
