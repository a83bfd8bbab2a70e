-- Rewrite sealed record 2 (its user) and relink every later record so the
-- hash chain is whole again, as a superuser with the triggers disabled.
DO $$
DECLARE
	r	record;
	prev	bytea;
BEGIN
	UPDATE wachter.chain_record SET record = overlay(record
	    placing convert_to(repeat('X', octet_length(user_name)), 'UTF8')
	    from position(convert_to(user_name, 'UTF8') in record)
	    for octet_length(user_name)),
	    user_name = repeat('X', octet_length(user_name)) WHERE seq = 2;
	UPDATE wachter.chain_record SET leaf_hash = sha256('\x00'::bytea ||
	    record) WHERE seq = 2 RETURNING leaf_hash INTO prev;
	FOR r IN SELECT seq FROM wachter.chain_record WHERE seq > 2
	    ORDER BY seq LOOP
		UPDATE wachter.chain_record SET record = overlay(record
		    placing prev from 58 for 32) WHERE seq = r.seq;
		UPDATE wachter.chain_record SET leaf_hash =
		    sha256('\x00'::bytea || record) WHERE seq = r.seq
		    RETURNING leaf_hash INTO prev;
	END LOOP;
END
$$;
