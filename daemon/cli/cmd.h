/* cmd.h: subcommands of the wachter command-line tool, one file each. */
#ifndef WACHTER_CMD_H
#define WACHTER_CMD_H

struct cmd {
	const char	*name;
	int		(*run)(int, char **);	/* argv[0] is the subcommand */
	const char	*usage;
};

#include <libpq-fe.h>

int	 cmd_version(int, char **);
int	 cmd_db(int, char **);
int	 cmd_parse(int, char **);
int	 cmd_keygen(int, char **);
int	 cmd_verify(int, char **);
int	 cmd_export(int, char **);
int	 cmd_adopt(int, char **);
int	 cmd_rules(int, char **);
int	 cmd_eval(int, char **);
int	 cmd_import(int, char **);
int	 cmd_scan(int, char **);

int	 cmd_db_options(int, char **, const char **, const char **);
char	*cmd_conninfo(const char *, const char *);
PGconn	*cmd_connect(const char *);

#endif
