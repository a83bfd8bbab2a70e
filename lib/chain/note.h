/*
 * note.h: C2SP signed notes with Ed25519 (https://c2sp.org/signed-note),
 * the checkpoint body (https://c2sp.org/tlog-checkpoint) with wachter's
 * extension lines, and the root-signed epoch certificate.
 */
#ifndef WACHTER_CHAIN_NOTE_H
#define WACHTER_CHAIN_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "chain/history.h"
#include "chain/merkle.h"
#include "util/buf.h"

#define CHAIN_NAME_MAX	128
#define CHAIN_PK	32	/* Ed25519 public key */
#define CHAIN_SK	64	/* libsodium secret key (seed || pk) */
#define CHAIN_SEED	32
#define CHAIN_SIG	64

/* A note split into its signed body and its one signature. */
struct chain_note {
	const char	*body;		/* up to and including the last \n */
	size_t		 bodylen;
	char		 name[CHAIN_NAME_MAX];
	uint8_t		 keyid[4];
	uint8_t		 sig[CHAIN_SIG];
};

struct chain_checkpoint {
	char		 origin[CHAIN_NAME_MAX];
	uint64_t	 size;
	merkle_hash	 root;
	uint32_t	 epoch;
	uint64_t	 n;		/* checkpoint number, gapless from 1 */
	int64_t		 time_us;
	int		 seal;		/* last of its epoch */
	uint8_t		 next_pk[CHAIN_PK];	/* epoch + 1, when sealing */
	int		 has_hist;	/* a wachter-history line */
	struct chain_hhead hist[CHAIN_HISTS];	/* officers' histories */
};

struct chain_cert {
	char		 origin[CHAIN_NAME_MAX];
	uint32_t	 epoch;
	uint8_t		 pk[CHAIN_PK];
	int64_t		 time_us;
};

int	 chain_name_valid(const char *);
void	 chain_key_id(uint8_t[4], const char *, const uint8_t[CHAIN_PK]);
void	 chain_b64(struct buf *, const uint8_t *, size_t);
int	 chain_unb64(uint8_t *, size_t, const char *, size_t);
void	 chain_vkey_format(struct buf *, const char *, const uint8_t[CHAIN_PK]);
int	 chain_vkey_parse(const char *, size_t, char *, uint8_t[CHAIN_PK],
	    char **) __attribute__((warn_unused_result));
void	 chain_note_sign(struct buf *, const char *, size_t, const char *,
	    const uint8_t[CHAIN_SK]);
int	 chain_note_split(const char *, size_t, struct chain_note *, char **)
	    __attribute__((warn_unused_result));
int	 chain_note_verify(const struct chain_note *, const char *,
	    const uint8_t[CHAIN_PK], char **) __attribute__((warn_unused_result));
void	 chain_checkpoint_body(struct buf *, const struct chain_checkpoint *);
int	 chain_checkpoint_parse(const char *, size_t, struct chain_checkpoint *,
	    char **) __attribute__((warn_unused_result));
void	 chain_cert_body(struct buf *, const struct chain_cert *);
int	 chain_cert_parse(const char *, size_t, struct chain_cert *, char **)
	    __attribute__((warn_unused_result));

#endif
