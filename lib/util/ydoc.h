/*
 * ydoc.h: a loaded YAML document with positions, for the loaders of
 * configuration files, rule files and source definitions. Every error names
 * file:line:column (1-based) of the node at fault.
 */
#ifndef WACHTER_YDOC_H
#define WACHTER_YDOC_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "util/buf.h"

struct ydoc {
	char		*file;		/* name used in messages */
	yaml_document_t	 doc;
	int		 loaded;
	struct buf	 errors;	/* every error, one per line */
	int		 nerrors;
};

int	 ydoc_load(struct ydoc *, const char *, const char *, size_t)
	    __attribute__((warn_unused_result));
void	 ydoc_free(struct ydoc *);
yaml_node_t *ydoc_root(struct ydoc *);
void	 ydoc_error(struct ydoc *, yaml_node_t *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
yaml_node_t *ydoc_get(struct ydoc *, yaml_node_t *, const char *);
int	 ydoc_check_keys(struct ydoc *, yaml_node_t *, const char *const *);
int	 ydoc_is_map(struct ydoc *, yaml_node_t *, const char *);
int	 ydoc_is_seq(struct ydoc *, yaml_node_t *, const char *);
const char *ydoc_str(struct ydoc *, yaml_node_t *, const char *);
int	 ydoc_int(struct ydoc *, yaml_node_t *, const char *, int64_t,
	    int64_t, int64_t *);
int	 ydoc_bool(struct ydoc *, yaml_node_t *, const char *, int *);
int	 ydoc_duration(struct ydoc *, yaml_node_t *, const char *, int64_t *);
int	 duration_parse(const char *, int64_t *);
size_t	 ydoc_seq_len(yaml_node_t *);
yaml_node_t *ydoc_seq_at(struct ydoc *, yaml_node_t *, size_t);

#endif
