/*
 * wachter.c: the command-line tool for operators, officers and auditors.
 * Each subcommand is a function in its own cmd_*.c file; this file only
 * dispatches.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/officer.h"
#include "cli/cmd.h"
#include "memtune.h"

static const struct cmd cmds[] = {
	{ "db", cmd_db, "db migrate|status [-d CONNINFO] [-c FILE]" },
	{ "version", cmd_version, "version" },
	{ "import", cmd_import, "import [-d CONNINFO] [-c FILE] KIND FILE.csv" },
	{ "rules", cmd_rules, "rules check|test DIR | rules stats [-d CONNINFO]" },
	{ "eval", cmd_eval, "eval DIR [--flagged FILE] [--rules DIR] "
	    "[--sources DIR] [--grace D] [--decisions FILE]" },
	{ "scan", cmd_scan, "scan [-d] [-b events] [-c file] [[-s source] "
	    "file ...]" },
	{ "parse", cmd_parse, "parse [-S sourcedir] -f format [-r records] "
	    "file ... | corpusdir" },
	{ "keygen", cmd_keygen, "keygen [-n ORIGIN] [-r ROOTKEY] DIR" },
	{ "verify", cmd_verify, "verify (--db CONNINFO | --bundle FILE) "
	    "--root-pubkey FILE [--since-checkpoint FILE]" },
	{ "export", cmd_export, "export --db CONNINFO -o FILE" },
	{ "adopt", cmd_adopt, "adopt --db CONNINFO [--since-checkpoint FILE] "
	    "[--unsigned] [--alarms-seen ID] KEYDIR" },
	{ "alerts", cmd_alerts, "alerts [-d CONNINFO] [--since DATE] "
	    "[--until DATE] [--user U] [--department D] [--rule R] "
	    "[--severity S] [--status S] [--all] [--json]" },
	{ "alert", cmd_alert, "alert [-d CONNINFO] ID [--rules DIR] [--all-persons] "
	    "[--json]" },
	{ "triage", cmd_triage, "triage [-d CONNINFO] [--dossier] ID STATUS "
	    "--note TEXT" },
	{ "cases", cmd_cases, "cases [-d CONNINFO] [USER] [--json]" },
	{ "exceptions", cmd_exceptions, "exceptions [-d CONNINFO] [add "
	    "[--user U] [--rule R] --reason TEXT --until DATE]" },
	{ "decisions", cmd_decisions, "decisions [-d CONNINFO] verify" },
	{ "reveal", cmd_reveal, "reveal [-d CONNINFO] HANDLE --reason TEXT" },
	{ "breach", cmd_breach, "breach [-d CONNINFO] [INCIDENT -o DIR "
	    "--reason TEXT | sent ID RECIPIENT --channel TEXT]" },
	{ "subject-report", cmd_subject_report, "subject-report [-d CONNINFO] "
	    "BSN --from DATE --to DATE --reason TEXT [--officials] [-o FILE]" },
	{ "retention", cmd_retention, "retention [-d CONNINFO] [run]" },
};

/* Print every subcommand's usage. */
static void
usage(FILE *f)
{
	size_t	 i;

	fprintf(f, "usage: wachter COMMAND [ARGS]\n");
	for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		fprintf(f, "       wachter %s\n", cmds[i].usage);
}

/* Print the version. */
int
cmd_version(int argc, char **argv)
{
	printf("wachter %s\n", PACKAGE_VERSION);
	return (0);
}

int
main(int argc, char **argv)
{
	size_t	 i;

	memtune();
	if (argc < 2) {
		usage(stderr);
		return (2);
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return (0);
	}
	for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		if (strcmp(argv[1], cmds[i].name) == 0)
			return (cmds[i].run(argc - 1, argv + 1));
	}
	fprintf(stderr, "wachter: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return (2);
}
