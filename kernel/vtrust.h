/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vtrust: measure what the kernel loads at run time into every PCR bank.
 *
 * Shared declarations of the module's files:
 *   main.c     init/exit and module parameters
 *   hooks.c    ftrace redirection of the kernel's load hooks
 *   measure.c  what each load path records, and the policy's decision
 *   bpf.c      eBPF programs
 *   start.c    lifecycle events: start entry, resident modules, unload
 *   startfmt.c the start entry's text (pure)
 *   rules.c    the active policy and /sys/kernel/security/vtrust/policy
 *   baseline.c the reference digests that appraise rules check against
 *   state.c    state changes: one lock, logged before they take effect
 *   seal.c     the .vtrust keyring, sealing and signed updates
 *   fwsig.c    firmware signature appraisal (appraise_type=sig)
 *   updatefmt.c a signed update's framing and header line (pure)
 *   pin.c      the guard that keeps a sealed or open vtrust loaded
 *   hash.c     hash algorithms (crypto API shashes and vtrust's SM3)
 *   tpm.c      the TPM's banks, PCR reads and extends
 *   queue.c    the append-only measurement list and its repeat table
 *   fs.c       /sys/kernel/security/vtrust/
 *   symbols.c  lookups of kernel symbols that are not exported
 */
#ifndef _VTRUST_H
#define _VTRUST_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/tpm.h>
#include <linux/kernel_read_file.h>
#include <linux/security.h>
#include <linux/seq_file.h>

#include "compat.h"
#include "template.h"
#include "policy.h"
#include "startfmt.h"
#include "version.h"

#define VTRUST_MAX_DIGEST_SIZE 64
#define VTRUST_SHA1_SIZE 20
#define VTRUST_INSTANCE_ID_SIZE 16
#define VTRUST_NAME_MAX 4096
#define VTRUST_BASELINE_WRITE_MAX (4 * 1024 * 1024)
#define VTRUST_MAX_PARAMS 16 /* module parameters the start entry records */

/* on_extend_error= */
enum vtrust_extend_error {
	VTRUST_EXTEND_LOG, /* keep the entry, mark it, let the load go ahead */
	VTRUST_EXTEND_REFUSE, /* the same, and the load fails with EIO */
};

/* A hash algorithm vtrust can compute: a crypto API shash or builtin SM3. */
struct vtrust_alg {
	u16 tpm_id; /* TPM_ALG_* */
	const char *bank_name; /* as in sysfs pcr-<name> */
	const char *dng_name; /* as in IMA's d-ng field */
	const char *crypto_name; /* crypto API name, NULL for builtin SM3 */
	unsigned int size;
	struct crypto_shash *tfm;
};

/* A PCR bank the TPM has allocated, and where entries keep its digest. */
struct vtrust_bank {
	struct vtrust_alg *alg;
	unsigned int offset; /* of this bank's digest in entry->digests */
};

/*
 * One measurement. Entries are appended under vtrust_state.lock and never
 * changed or freed until the module exits, so readers walk the list under
 * RCU and may sleep between entries while they hold a file open (the open
 * file pins the module).
 */
struct vtrust_entry {
	struct list_head list;
	struct hlist_node hnode;
	const struct vtrust_template_desc *tmpl;
	u32 pcr;
	u32 data_len;
	u8 *data; /* template data */
	u8 digests[]; /* SHA-1, then each bank's template digest */
};

struct vtrust_state {
	struct tpm_chip *chip; /* NULL: log-only mode; replaced under lock */
	enum vtrust_extend_error on_extend_error;
	u32 pcr;
	struct vtrust_alg *content_alg;
	struct vtrust_alg *sha1;
	unsigned int nr_banks;
	struct vtrust_bank banks[TPM2_MAX_PCR_BANKS];
	unsigned int digests_size; /* bytes of entry->digests */

	struct mutex lock; /* appends and extends */
	struct tpm_digest *extend_buf; /* under lock */
	atomic_long_t entries;
	atomic_long_t extend_errors;
	atomic_long_t measure_errors;
	atomic_long_t repeats;
	atomic_long_t denied;
	atomic_long_t unlogged; /* events refused by a full list */
	u8 instance_id[VTRUST_INSTANCE_ID_SIZE]; /* random, one per insmod */
	const char *lockdown; /* none, integrity or confidentiality */
	bool fw_secondary_keyring; /* appraise_type=sig: .vtrust, then it */
};

extern struct vtrust_state vtrust;
extern struct list_head vtrust_list;

/* hash.c */
int vtrust_algs_init(const char *content_hash);
void vtrust_algs_exit(void);
struct vtrust_alg *vtrust_alg_by_tpm_id(u16 tpm_id);
int vtrust_alg_get(struct vtrust_alg *alg);
int vtrust_hash(struct vtrust_alg *alg, const void *data, size_t len, u8 *out);

/* main.c */
unsigned int vtrust_params(struct vtrust_start_param *params, unsigned int max);

struct shash_desc;
struct vtrust_sm3_ctx;

/* A hash computed in steps (vtrust_hash_init/update/final). */
struct vtrust_hash_ctx {
	struct vtrust_alg *alg;
	union {
		struct shash_desc *desc; /* crypto API */
		struct vtrust_sm3_ctx *sm3; /* builtin SM3 */
	};
};

int vtrust_hash_init(struct vtrust_hash_ctx *ctx, struct vtrust_alg *alg);
int vtrust_hash_update(struct vtrust_hash_ctx *ctx, const void *data,
		       size_t len);
int vtrust_hash_final(struct vtrust_hash_ctx *ctx, u8 *out);
void vtrust_hash_abort(struct vtrust_hash_ctx *ctx);

/* tpm.c */
int vtrust_tpm_init(bool require);
void vtrust_tpm_exit(void);
int vtrust_tpm_extend(struct vtrust_entry *entry);
int vtrust_tpm_read(u32 pcr, unsigned int bank, u8 *out);

/* queue.c */
int vtrust_queue_init(unsigned long max_bytes);
bool vtrust_list_full(void);
void vtrust_queue_exit(void);
/* vtrust_log() flags */
#define VTRUST_LOG_STATE 0x1 /* a state change: never dropped as a repeat */
int vtrust_log(const struct vtrust_template_desc *tmpl,
	       const struct vtrust_field *fields, u32 pcr, unsigned int flags);
u8 *vtrust_entry_digest(struct vtrust_entry *entry, int bank);

/* One load, as a hook sees it. */
struct vtrust_event {
	enum vtrust_func func;
	const char *name;
	struct file *file; /* NULL for a buffer */
	const void *buf; /* NULL: read @file (partial reads) */
	size_t len;
	bool unverifiable; /* no content at all (kexec_load) */
	bool partial; /* a partial read: vtrust reads @file itself */
};

/* fwsig.c: appraise_type=sig */
struct vtrust_fwsig {
	const char *reason; /* NULL: verified; else the refusal's word */
	const char *detail; /* the refusal, for dmesg */
	int err; /* the verifier's error, for dmesg */
	void *p7s; /* the signature file as read */
	size_t p7s_len;
	void *buf; /* a partial read's whole file, as verified */
	size_t len;
};

int vtrust_fwsig_check(const struct vtrust_event *ev, struct vtrust_fwsig *s);
void vtrust_fwsig_free(struct vtrust_fwsig *s);

/* measure.c */
int vtrust_measure(const struct vtrust_event *ev);
int vtrust_log_digest(const char *name, const u8 *digest, u32 pcr,
		      unsigned int flags);
int vtrust_log_ng(const char *name, const void *data, size_t len,
		  unsigned int flags);
int vtrust_log_buf(const char *name, const void *buf, size_t len, u32 pcr,
		   unsigned int flags);
int vtrust_measure_file(struct file *file, const void *buf, size_t len,
			enum kernel_read_file_id id);
int vtrust_measure_data(const void *buf, size_t len,
			enum kernel_load_data_id id, const char *description);
int vtrust_measure_load(enum kernel_load_data_id id);
char *vtrust_sanitize(char *name);
int vtrust_modparams_init(void);
void vtrust_modparams_exit(void);
void vtrust_measure_kexec_cmdline(const void *buf, int size);
struct key;
void vtrust_measure_key(struct key *keyring, struct key *key,
			const void *payload, size_t plen);

char *vtrust_sanitize_size(char *name, size_t size);
char *vtrust_escape_dup(const char *src, gfp_t gfp);
/* Escape the char array @name in place as every event name, cut to fit. */
#define vtrust_sanitize(name) \
	vtrust_sanitize_size(name, sizeof(name) + __must_be_array(name))

/* bpf.c (vtrust_bpf_check(), the wrapper of bpf_check(): compat.h) */
int vtrust_bpf_residents(void);

/* start.c */
int vtrust_measure_start(void);
int vtrust_measure_residents(void);
int vtrust_measure_unload(void);

/* rules.c */
int vtrust_rules_init(const char *builtin);
void vtrust_rules_exit(void);
unsigned int vtrust_rules_match(const struct vtrust_event_attrs *attrs,
				u32 *pcr);
void *vtrust_rules_prepare(const char *text, size_t len);
void vtrust_rules_commit(void *change);
void vtrust_rules_abort(void *change);
int vtrust_rules_show(struct seq_file *m);
int vtrust_rules_digest(struct vtrust_alg *alg, u8 *out);

/* baseline.c */
int vtrust_baseline_init(void);
void vtrust_baseline_exit(void);
bool vtrust_baseline_has(const u8 *digest);
void *vtrust_baseline_prepare(const char *text, size_t len);
void vtrust_baseline_commit(void *change);
void vtrust_baseline_abort(void *change);
unsigned long vtrust_baseline_count(void);
int vtrust_baseline_show(struct seq_file *m);

/* state.c: a state that changes by a write or a signed update. */
struct vtrust_target {
	const char *name; /* in a signed update's header */
	const char *event; /* the entry of a direct write */
	void *(*prepare)(const char *text, size_t len); /* or ERR_PTR */
	void (*commit)(void *change);
	void (*abort)(void *change);
};

const struct vtrust_target *vtrust_target_find(const char *name);
int vtrust_state_lock(void);
void vtrust_state_unlock(void);
bool vtrust_sealed(void);
void vtrust_state_seal(void);
int vtrust_state_log(const char *event, const void *data, size_t len);
int vtrust_state_change(const struct vtrust_target *target, const char *text,
			size_t len, const char *event, const void *logged,
			size_t logged_len);
ssize_t vtrust_state_write(const char *name, const char *text, size_t len);

/* pin.c */
int vtrust_pin_get(void);
void vtrust_pin_put(void);
bool vtrust_pinned(void);

/* seal.c */
int vtrust_seal_init(void);
void vtrust_seal_exit(void);
int vtrust_seal(void);
ssize_t vtrust_update_write(const char *data, size_t len);
void vtrust_seal_status(struct seq_file *m);
struct key *vtrust_keyring(void);

/* hooks.c */
int vtrust_hooks_init(void);
void vtrust_hooks_exit(void);
void vtrust_hook_enter(void);
void vtrust_hook_leave(void);
void vtrust_hooks_status(struct seq_file *m);
bool vtrust_hooks_cover(const char *symbol);

/* fs.c */
int vtrust_fs_init(void);
void vtrust_fs_exit(void);

/* symbols.c */
int vtrust_symbols_init(void);
unsigned long vtrust_sym_lookup(const char *name);
int vtrust_sym_no_clone(const char *name); /* no foo.isra.0 escapes a hook */
struct list_head *vtrust_sym_modules(void);
struct mutex *vtrust_sym_module_mutex(void); /* the kernel's module_mutex */
struct idr *vtrust_sym_prog_idr(void); /* eBPF programs by ID */
spinlock_t *vtrust_sym_prog_idr_lock(void);

#endif /* _VTRUST_H */
