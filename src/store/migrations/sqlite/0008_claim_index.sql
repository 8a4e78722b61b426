-- 0008: the dispatcher claims number by number only (messages_claim_number); the global claim
-- order index is no longer read, and every queued message paid for keeping it.
DROP INDEX messages_claim;
