/*
 * migrate.c: apply the embedded migrations in order, each in its own
 * transaction, recording each in wachter.schema_migrations. An advisory
 * lock keeps two processes (daemon and CLI) from migrating at once.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/migrate.h"
#include "util/xmalloc.h"

#define MIGRATE_LOCK	0x77616368	/* "wach" */

static const char migrate_bootstrap[] =
	"CREATE SCHEMA IF NOT EXISTS wachter;"
	"CREATE TABLE IF NOT EXISTS wachter.schema_migrations ("
	" name text PRIMARY KEY,"
	" applied_at timestamptz NOT NULL DEFAULT now());";

/* Run one command; on failure set *cause from the server's message. */
static int
migrate_exec(PGconn *c, const char *sql, const char *what, char **cause)
{
	PGresult	*r;
	int		 ok;

	r = PQexec(c, sql);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
	    PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		xasprintf(cause, "%s: %s", what, PQerrorMessage(c));
	PQclear(r);
	return (ok ? 0 : -1);
}

/* Whether a migration has been applied. */
static int
migrate_done(PGconn *c, const char *name, char **cause)
{
	PGresult	*r;
	const char	*p[1] = { name };
	int		 done;

	r = PQexecParams(c, "SELECT 1 FROM wachter.schema_migrations "
	    "WHERE name = $1", 1, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		xasprintf(cause, "reading schema_migrations: %s",
		    PQerrorMessage(c));
		PQclear(r);
		return (-1);
	}
	done = PQntuples(r) > 0;
	PQclear(r);
	return (done);
}

/* Apply one migration in a transaction. */
static int
migrate_one(PGconn *c, const struct migration *m, char **cause)
{
	PGresult	*r;
	const char	*p[1] = { m->name };
	char		*what;
	int		 rc;

	if (migrate_exec(c, "BEGIN", "begin", cause) != 0)
		return (-1);
	xasprintf(&what, "migration %s", m->name);
	rc = migrate_exec(c, m->sql, what, cause);
	free(what);
	if (rc == 0) {
		r = PQexecParams(c, "INSERT INTO wachter.schema_migrations "
		    "(name) VALUES ($1)", 1, NULL, p, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			xasprintf(cause, "recording %s: %s", m->name,
			    PQerrorMessage(c));
			rc = -1;
		}
		PQclear(r);
	}
	if (rc != 0) {
		PQclear(PQexec(c, "ROLLBACK"));
		return (-1);
	}
	return (migrate_exec(c, "COMMIT", "commit", cause));
}

/*
 * Apply every migration not yet applied. With verbose, print each one.
 * Returns the number applied, or -1.
 */
int
migrate_apply(PGconn *c, int verbose, char **cause)
{
	const struct migration	*m;
	char			 lock[64];
	int			 n = 0, done;

	snprintf(lock, sizeof lock, "SELECT pg_advisory_lock(%d)",
	    MIGRATE_LOCK);
	if (migrate_exec(c, lock, "taking the migration lock", cause) != 0)
		return (-1);
	if (migrate_exec(c, migrate_bootstrap, "creating schema_migrations",
	    cause) != 0)
		goto out;
	for (m = migrations; m->name != NULL; m++) {
		if ((done = migrate_done(c, m->name, cause)) < 0)
			goto out;
		if (done)
			continue;
		if (migrate_one(c, m, cause) != 0)
			goto out;
		if (verbose)
			printf("applied %s\n", m->name);
		n++;
	}
	PQclear(PQexec(c, "SELECT pg_advisory_unlock_all()"));
	return (n);
out:
	PQclear(PQexec(c, "SELECT pg_advisory_unlock_all()"));
	return (-1);
}

/* Count migrations not yet applied (without applying them). */
int
migrate_pending(PGconn *c, int *pending, char **cause)
{
	const struct migration	*m;
	PGresult		*r;
	int			 done;

	*pending = 0;
	r = PQexec(c, "SELECT to_regclass('wachter.schema_migrations')");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		xasprintf(cause, "%s", PQerrorMessage(c));
		PQclear(r);
		return (-1);
	}
	done = !PQgetisnull(r, 0, 0);
	PQclear(r);
	for (m = migrations; m->name != NULL; m++) {
		if (!done) {
			(*pending)++;
			continue;
		}
		switch (migrate_done(c, m->name, cause)) {
		case -1:
			return (-1);
		case 0:
			(*pending)++;
			break;
		}
	}
	return (0);
}
