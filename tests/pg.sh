# pg.sh: start and stop a throwaway PostgreSQL cluster for tests and demos.
# Source it, then: pg_start DIR (exports PGHOST, PGPORT, PGUSER), pg_stop DIR.
# The server listens on a unix socket in DIR only. initdb refuses to run as
# root, so as root the cluster is owned by the 'postgres' account.

PG_BINDIR=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

# Run a PostgreSQL server binary as the cluster's owner.
pg_as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# Create and start a cluster in DIR; export the libpq variables to reach it.
pg_start() {
	_dir=$1
	mkdir -p "$_dir"
	_dir=$(cd "$_dir" && pwd)
	if [ "$(id -u)" = 0 ]; then
		chown postgres: "$_dir"
		chmod 700 "$_dir"
	fi
	if [ ! -f "$_dir/data/PG_VERSION" ]; then
		pg_as_owner "$PG_BINDIR/initdb" -D "$_dir/data" -U postgres \
		    --auth=trust -E UTF8 --locale=C.UTF-8 >"$_dir/initdb.log" 2>&1 ||
		    { cat "$_dir/initdb.log" >&2; return 1; }
	fi
	pg_as_owner "$PG_BINDIR/pg_ctl" -D "$_dir/data" -l "$_dir/server.log" -w \
	    -o "-k $_dir -c listen_addresses= -c fsync=off -c max_connections=200" \
	    start >/dev/null || { cat "$_dir/server.log" >&2; return 1; }
	PGHOST=$_dir PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
	export PGHOST PGPORT PGUSER PGDATABASE
}

# Stop the cluster in DIR (fast shutdown); quiet if it is not running.
pg_stop() {
	_dir=$(cd "$1" 2>/dev/null && pwd) || return 0
	[ -f "$_dir/data/postmaster.pid" ] || return 0
	pg_as_owner "$PG_BINDIR/pg_ctl" -D "$_dir/data" -m fast -w stop >/dev/null 2>&1
}

# Restart the cluster in DIR without touching its data.
pg_restart() {
	pg_stop "$1"
	pg_start "$1"
}

# Create a fresh database for one test and export PGDATABASE.
pg_newdb() {
	PGDATABASE=$1
	export PGDATABASE
	dropdb --if-exists -h "$PGHOST" -U postgres "$1" >/dev/null 2>&1
	createdb -h "$PGHOST" -U postgres "$1"
}
