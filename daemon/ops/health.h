/*
 * health.h: the daemon's own health beyond the database: metrics
 * connections refused, log lines suppressed, the checkpoint sink, the
 * sources' paths. Read at
 * each scrape (health_collect) and by /healthz (health_check).
 */
#ifndef WACHTER_HEALTH_H
#define WACHTER_HEALTH_H

struct metrics;
struct wachterd;

void	health_define(struct metrics *);
void	health_collect(struct wachterd *);
int	health_check(struct wachterd *, char **);
const char *health_source_path(const char *);
void	health_sources(struct wachterd *);

#endif
