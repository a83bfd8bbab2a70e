-- 0012_quarantine_once.sql: a line is quarantined exactly once. A joined
-- source's committed position may stay behind a line the join still held
-- while a later bad line was already quarantined; after kill -9 that line
-- is read again. The file's identity (device, inode), the line's offset
-- and its bytes name it; the daemon's insert does nothing on a second try.
-- Rows from before this migration have no identity and never conflict.
ALTER TABLE wachter.quarantine ADD COLUMN file_dev bigint,
	ADD COLUMN file_ino bigint;
CREATE UNIQUE INDEX quarantine_once ON wachter.quarantine
	(source, file_dev, file_ino, "offset", md5(raw));
