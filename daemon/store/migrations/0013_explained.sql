-- 0013_explained.sql: a follow-up record (docs/CHAIN.md, kind 2) says
-- that lookups of an urgent alert, sent provisionally before their grace
-- period ended, were explained later by a case registered within it. Its
-- kind column is 'explained'. Which events were provisional and which
-- case explains each are in the record bytes only (optional fields
-- 0x8101 and 0x8102); the officer's views read the follow-ups by kind.
ALTER TABLE wachter.chain_record DROP CONSTRAINT chain_record_kind_check;
ALTER TABLE wachter.chain_record ADD CONSTRAINT chain_record_kind_check
	CHECK (kind IN ('new', 'addendum', 'explained'));
