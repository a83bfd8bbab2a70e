/*
 * officer_breach.c: `wachter breach INCIDENT -o DIR --reason TEXT` turns a
 * confirmed incident into what the municipality must now do under AVG
 * art. 33/34: the persons concerned and what was seen of each when, the
 * 72-hour deadline for the Autoriteit Persoonsgegevens counted from the
 * first confirmation, a draft notification and one letter per person.
 * `wachter breach sent ID RECIPIENT --channel TEXT` records a sent
 * notification; `wachter breach` lists breaches and their deadlines.
 * Needs the wachter_reidentify role (and wachter_officer to read views).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alert/nldate.h"
#include "cli/officer.h"
#include "util/xmalloc.h"

/* The options of breach. */
struct breach_args {
	const char	*reason;
	const char	*dir;
	const char	*channel;
};

/* One person of a breach, as the letters need it. */
enum { P_NR, P_HANDLE, P_KIND, P_VALUE, P_SURNAME, P_GIVEN, P_POSTCODE,
    P_NUMBER, P_SECRET, P_DECEASED, P_FIRST, P_LAST, P_SEEN };

static const char persons_sql[] =
	"SELECT nr, handle, kind, value, coalesce(surname, ''),"
	" coalesce(given_name, ''), coalesce(postcode, ''),"
	" coalesce(housenumber, ''), secret, deceased,"
	" (extract(epoch FROM first_at) * 1000000)::bigint,"
	" (extract(epoch FROM last_at) * 1000000)::bigint, coalesce(seen, '')"
	" FROM wachter.breach_persons($1::bigint, $2)";

static const char breach_sql[] =
	"SELECT b.id, b.incident, (extract(epoch FROM b.confirmed_at)"
	" * 1000000)::bigint, (extract(epoch FROM b.deadline) * 1000000)::bigint,"
	" b.persons, o.user_name, coalesce(o.department, ''),"
	" array_to_string(o.rules, ', ')"
	" FROM wachter.breach b JOIN wachter.incident_overview o"
	" ON o.incident = b.incident WHERE b.id = $1::bigint";

/* Take --reason, -o and --channel. */
static int
breach_opt(int ch, const char *arg, void *p)
{
	struct breach_args	*a = p;

	if (ch == 'R')
		a->reason = arg;
	else if (ch == 'o')
		a->dir = arg;
	else if (ch == 'C')
		a->channel = arg;
	else
		return (-1);
	return (0);
}

/* Open DIR/name for writing; NULL after saying why. */
static FILE *
breach_file(const char *dir, const char *name)
{
	FILE	*f;
	char	*path;

	xasprintf(&path, "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		fprintf(stderr, "wachter breach: %s: %s\n", path,
		    strerror(errno));
	free(path);
	return (f);
}

/* The draft notification to the Autoriteit Persoonsgegevens. */
static void
breach_authority(FILE *f, PGresult *b, int npersons, int nsecret)
{
	char	 confirmed[NLDATE_MAX], deadline[NLDATE_MAX];

	officer_when(officer_cell(b, 0, 2), confirmed, sizeof confirmed);
	officer_when(officer_cell(b, 0, 3), deadline, sizeof deadline);
	fprintf(f, "CONCEPT - Melding datalek aan de Autoriteit "
	    "Persoonsgegevens (AVG art. 33)\n\n"
	    "Uiterlijk te melden: %s (72 uur na vaststelling op %s).\n\n"
	    "1. Wat is er gebeurd\n"
	    "   Een medewerker van de afdeling %s heeft zonder grondslag "
	    "persoonsgegevens\n   uit de Basisregistratie Personen en/of het "
	    "kentekenregister geraadpleegd.\n"
	    "   Dit is vastgesteld door de integriteitsfunctionaris (incident "
	    "%s,\n   signalen: %s).\n\n"
	    "2. Betrokkenen\n"
	    "   Aantal betrokkenen: %d, van wie %d met geheimhouding van "
	    "gegevens.\n"
	    "   Soort gegevens: naam, adres, geboortedatum, BSN en "
	    "gezinsgegevens\n   (persoonslijst), of kenteken en "
	    "tenaamstelling.\n\n"
	    "3. Waarschijnlijke gevolgen\n"
	    "   Kennisname van woonadres en persoonsgegevens door een "
	    "onbevoegde; bij\n   personen met geheimhouding een verhoogd risico "
	    "op ongewenst contact.\n\n"
	    "4. Genomen en voorgenomen maatregelen\n"
	    "   [invullen: toegang van de medewerker ingetrokken, gesprek, "
	    "arbeidsrechtelijke\n   maatregelen, aangifte]\n"
	    "   Betrokkenen worden per brief geïnformeerd (AVG art. 34); "
	    "personen met\n   geheimhouding via de daartoe aangewezen weg.\n\n"
	    "5. Contact\n   [invullen: functionaris gegevensbescherming]\n",
	    deadline, confirmed, officer_cell(b, 0, 6), officer_cell(b, 0, 1),
	    officer_cell(b, 0, 7), npersons, nsecret);
}

/* One letter to one person concerned, in plain Dutch. */
static void
breach_letter(FILE *f, PGresult *p, int i)
{
	char	 a[NLDATE_MAX], b[NLDATE_MAX];

	nldate_day(strtoll(officer_cell(p, i, P_FIRST), NULL, 10), a, sizeof a);
	nldate_day(strtoll(officer_cell(p, i, P_LAST), NULL, 10), b, sizeof b);
	if (strcmp(officer_cell(p, i, P_SECRET), "t") == 0)
		fprintf(f, "LET OP: geheimhouding. Niet per post naar het "
		    "woonadres sturen;\nversturen via de daartoe aangewezen "
		    "weg.\n\n");
	if (*officer_cell(p, i, P_SURNAME) == '\0')
		fprintf(f, "LET OP: %s staat niet in de basisgegevens; zoek de "
		    "persoon op\nvoordat deze brief verstuurd wordt.\n\n",
		    strcmp(officer_cell(p, i, P_KIND), "plate") == 0 ?
		    "de eigenaar van dit kenteken" : "deze persoon");
	fprintf(f, "Aan: %s %s\n", officer_cell(p, i, P_GIVEN),
	    officer_cell(p, i, P_SURNAME));
	if (*officer_cell(p, i, P_POSTCODE) != '\0')
		fprintf(f, "     %s %s\n", officer_cell(p, i, P_POSTCODE),
		    officer_cell(p, i, P_NUMBER));
	fprintf(f, "Kenmerk: %s\n\n"
	    "Beste heer, mevrouw,\n\n"
	    "Een medewerker van de gemeente heeft uw gegevens bekeken zonder "
	    "dat daar\neen reden voor was. Dat is gebeurd %s %s%s%s.\n"
	    "%s"
	    "Wij hebben dit ontdekt met ons eigen controlesysteem. Dat mag "
	    "niet, en dat\nvinden wij heel vervelend. Wij hebben maatregelen "
	    "genomen tegen de\nmedewerker en de Autoriteit Persoonsgegevens "
	    "ingelicht.\n\n"
	    "Wat betekent dit voor u? De medewerker heeft uw naam, adres en "
	    "andere\ngegevens uit de basisregistratie kunnen zien. Er is "
	    "niets veranderd aan\nuw gegevens.\n\n"
	    "Wat kunt u doen? Als u zich zorgen maakt over uw veiligheid, of "
	    "als u\nongewenst contact krijgt, bel ons dan. U mag ook vragen "
	    "welke gegevens wij\nvan u hebben (inzageverzoek) en een klacht "
	    "indienen bij de Autoriteit\nPersoonsgegevens.\n\n"
	    "Met vriendelijke groet,\n\n[functionaris gegevensbescherming]\n",
	    officer_cell(p, i, P_HANDLE), strcmp(a, b) == 0 ? "op" : "tussen",
	    a, strcmp(a, b) == 0 ? "" : " en ", strcmp(a, b) == 0 ? "" : b,
	    strcmp(officer_cell(p, i, P_KIND), "plate") == 0 ?
	    "Het ging om het kenteken van uw voertuig en daarmee om uw "
	    "gegevens als eigenaar.\n\n" : "\n");
}

/* What was looked up of one person, one lookup a line. */
static void
breach_seen(FILE *f, const char *seen)
{
	const char	*nl;

	if (*seen == '\0') {
		fprintf(f, "   gezien: binnen de periode van het incident\n");
		return;
	}
	fprintf(f, "   gezien:\n");
	while (*seen != '\0') {
		if ((nl = strchr(seen, '\n')) == NULL)
			nl = seen + strlen(seen);
		fprintf(f, "     %.*s\n", (int)(nl - seen), seen);
		seen = *nl == '\n' ? nl + 1 : nl;
	}
}

/* The overview: deadline, and per person what was seen when. */
static void
breach_overview(FILE *f, PGresult *b, PGresult *p)
{
	char	 deadline[NLDATE_MAX];
	int	 i;

	officer_when(officer_cell(b, 0, 3), deadline, sizeof deadline);
	fprintf(f, "Datalek %s, incident %s, medewerker %s\n"
	    "Melden bij de Autoriteit Persoonsgegevens uiterlijk %s.\n\n",
	    officer_cell(b, 0, 0), officer_cell(b, 0, 1),
	    officer_cell(b, 0, 5), deadline);
	for (i = 0; i < PQntuples(p); i++) {
		fprintf(f, "%s. %s %s %s: %s %s%s%s\n", officer_cell(p, i, P_NR),
		    officer_cell(p, i, P_HANDLE), strcmp(officer_cell(p, i,
		    P_KIND), "plate") == 0 ? "kenteken" : "BSN",
		    officer_cell(p, i, P_VALUE), officer_cell(p, i, P_GIVEN),
		    officer_cell(p, i, P_SURNAME),
		    strcmp(officer_cell(p, i, P_SECRET), "t") == 0 ?
		    " [GEHEIMHOUDING: via de aangewezen weg]" : "",
		    strcmp(officer_cell(p, i, P_DECEASED), "t") == 0 ?
		    " [overleden]" : "");
		breach_seen(f, officer_cell(p, i, P_SEEN));
	}
}

/* Write the overview, the draft and the letters into dir. */
static int
breach_write(const char *dir, PGresult *b, PGresult *p)
{
	FILE	*f;
	char	 name[32];
	int	 i, nsecret = 0;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "wachter breach: %s: %s\n", dir,
		    strerror(errno));
		return (1);
	}
	for (i = 0; i < PQntuples(p); i++)
		nsecret += strcmp(officer_cell(p, i, P_SECRET), "t") == 0;
	if ((f = breach_file(dir, "overzicht.txt")) == NULL)
		return (1);
	breach_overview(f, b, p);
	fclose(f);
	if ((f = breach_file(dir, "melding-ap.txt")) == NULL)
		return (1);
	breach_authority(f, b, PQntuples(p), nsecret);
	fclose(f);
	for (i = 0; i < PQntuples(p); i++) {
		snprintf(name, sizeof name, "brief-%03d.txt", i + 1);
		if ((f = breach_file(dir, name)) == NULL)
			return (1);
		breach_letter(f, p, i);
		fclose(f);
	}
	return (0);
}

/* Open the breach of an incident and write its documents. */
static int
breach_run(PGconn *c, const char *inc, const struct breach_args *a)
{
	const char	*p[2];
	PGresult	*r, *b = NULL, *ps = NULL;
	char		 deadline[NLDATE_MAX], *id;
	int		 rc = 1;

	p[0] = inc;
	p[1] = a->reason;
	if ((r = officer_query(c, "SELECT wachter.breach_open($1, $2)", 2,
	    p)) == NULL)
		return (1);
	id = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	p[0] = id;
	if ((b = officer_query(c, breach_sql, 1, p)) != NULL &&
	    PQntuples(b) == 1 &&
	    (ps = officer_query(c, persons_sql, 2, p)) != NULL &&
	    breach_write(a->dir, b, ps) == 0) {
		officer_when(officer_cell(b, 0, 3), deadline, sizeof deadline);
		printf("datalek %s: %d betrokkene(n); melden bij de Autoriteit "
		    "Persoonsgegevens uiterlijk %s\nstukken in %s: "
		    "overzicht.txt, melding-ap.txt, brief-001.txt ...\n", id,
		    PQntuples(ps), deadline, a->dir);
		rc = 0;
	}
	PQclear(b);
	PQclear(ps);
	free(id);
	return (rc);
}

/* Record a sent notification. */
static int
breach_sent(PGconn *c, const char *id, const char *to, const char *channel)
{
	const char	*p[3] = { id, to, channel };
	PGresult	*r;

	r = officer_query(c, "INSERT INTO wachter.breach_notice (breach,"
	    " recipient, channel) VALUES ($1::bigint, $2, $3)", 3, p);
	if (r == NULL)
		return (1);
	printf("verzending aan %s vastgelegd\n", to);
	PQclear(r);
	return (0);
}

/* List breaches with deadlines and what was sent. */
static int
breach_list(PGconn *c)
{
	static const char *const head[] = { "NR", "INCIDENT", "UITERLIJK",
	    "AP GEMELD", "BRIEVEN" };
	struct table	 t;
	PGresult	*r;
	char		 when[NLDATE_MAX], sent[NLDATE_MAX], letters[32];
	int		 i;

	if ((r = officer_query(c, "SELECT id, incident,"
	    " (extract(epoch FROM deadline) * 1000000)::bigint,"
	    " (extract(epoch FROM authority_notified_at) * 1000000)::bigint,"
	    " letters_sent, persons FROM wachter.breach_status ORDER BY id",
	    0, NULL)) == NULL)
		return (1);
	table_init(&t, 5);
	for (i = 0; i < PQntuples(r); i++) {
		officer_when(officer_cell(r, i, 2), when, sizeof when);
		if (PQgetisnull(r, i, 3))
			snprintf(sent, sizeof sent, "nee");
		else
			officer_when(officer_cell(r, i, 3), sent, sizeof sent);
		snprintf(letters, sizeof letters, "%s van %s",
		    officer_cell(r, i, 4), officer_cell(r, i, 5));
		table_add(&t, officer_cell(r, i, 0), officer_cell(r, i, 1),
		    when, sent, letters);
	}
	table_print(&t, head);
	table_free(&t);
	PQclear(r);
	return (0);
}

/* wachter breach [INCIDENT -o DIR --reason TEXT | sent ID TO --channel C] */
int
cmd_breach(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "reason", required_argument, NULL, 'R' },
		{ "channel", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	struct officer_opts	 o = { NULL, NULL, 0 };
	struct breach_args	 a = { NULL, NULL, NULL };
	int			 n, rc;
	PGconn			*c;

	if (officer_getopt(argc, argv, &o, longopts, breach_opt, &a) != 0)
		return (2);
	n = argc - optind;
	if (!(n == 0 || (n == 1 && a.dir != NULL && a.reason != NULL) ||
	    (n == 3 && strcmp(argv[optind], "sent") == 0 &&
	    a.channel != NULL))) {
		fprintf(stderr, "usage: wachter breach [INCIDENT -o DIR --reason "
		    "TEXT | sent ID RECIPIENT --channel TEXT]\n");
		return (2);
	}
	if ((c = officer_connect(&o)) == NULL)
		return (1);
	if (n == 0)
		rc = breach_list(c);
	else if (n == 1)
		rc = breach_run(c, argv[optind], &a);
	else
		rc = breach_sent(c, argv[optind + 1], argv[optind + 2],
		    a.channel);
	PQfinish(c);
	return (rc);
}
