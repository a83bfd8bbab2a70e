/* cmd.h: subcommands of the wachter command-line tool, one file each. */
#ifndef WACHTER_CMD_H
#define WACHTER_CMD_H

struct cmd {
	const char	*name;
	int		(*run)(int, char **);	/* argv[0] is the subcommand */
	const char	*usage;
};

int	cmd_version(int, char **);
int	cmd_rules(int, char **);
int	cmd_eval(int, char **);
int	cmd_import(int, char **);
int	cmd_parse(int, char **);

#endif
