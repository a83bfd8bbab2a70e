/*
 * privs.h: running with the least privilege: never as root unless told
 * which user to become, and secret files readable by the daemon alone.
 */
#ifndef WACHTER_PRIVS_H
#define WACHTER_PRIVS_H

int	 privs_drop(const char *, char **)
	    __attribute__((warn_unused_result));
int	 privs_check_secret_file(const char *, char **)
	    __attribute__((warn_unused_result));
int	 privs_check_secret_fd(int, const char *, char **)
	    __attribute__((warn_unused_result));

#endif
