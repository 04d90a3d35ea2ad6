/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where PCR values come from: "read PCR <n> of bank <alg>" over backends:
 * the kernel's TPM sysfs files (/sys/class/tpm/tpm0/pcr-<alg>/<n>), the
 * TPM through tpm2-tss (pcrs-tpm.c), both (auto), and a text file.
 */
#ifndef VTRUST_PCRS_H
#define VTRUST_PCRS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algs.h"

struct vt_pcrs;

struct vt_pcrs_ops {
	/* Does the source have bank @alg? */
	bool (*has_bank)(struct vt_pcrs *p, const struct vt_alg *alg);
	/* PCR @pcr of bank @alg into @out (alg->size bytes): 0 or -errno. */
	int (*read)(struct vt_pcrs *p, const struct vt_alg *alg,
		    unsigned int pcr, uint8_t *out);
	void (*close)(struct vt_pcrs *p);
};

struct vt_pcrs {
	const struct vt_pcrs_ops *ops;
	char where[PATH_MAX];	/* for messages: a directory or a file */
};

/* PCR values held in memory (the file backend; tests). */
struct vt_pcr_table {
	bool have[VT_ALG_COUNT][VT_PCR_COUNT];
	uint8_t value[VT_ALG_COUNT][VT_PCR_COUNT][VT_DIGEST_MAX];
};

/*
 * The TPM's sysfs files under @root (normally "/"). Returns 0, or prints why
 * and returns an exit code.
 */
int vt_pcrs_open_sysfs(const char *root, struct vt_pcrs **out);

/*
 * The TPM through tpm2-tss (ESAPI over the TCTI that $TPM2TOOLS_TCTI or
 * $TCTI names, else tctildr's default). Returns 0, or prints why and returns
 * an exit code.
 */
int vt_pcrs_open_tpm(struct vt_pcrs **out);

/*
 * sysfs for the banks it shows; tpm2-tss for the banks it does not (SM3
 * before kernel 6.x, kernels without pcr-<alg>/), if the TPM answers.
 */
int vt_pcrs_open_auto(const char *root, struct vt_pcrs **out);

/*
 * PCR values from a text file: tpm2_pcrread's output
 *
 *	  sha256:
 *	    11: 0x1F0B...
 *
 * or lines "<bank> <pcr> <hex>". '#' starts a comment. Returns 0, or prints
 * why and returns an exit code.
 */
int vt_pcrs_open_file(const char *path, struct vt_pcrs **out);

/*
 * The values of @t (copied), named @where in messages: a quote's signed
 * PCRs. Returns 0, or prints why and returns an exit code.
 */
int vt_pcrs_open_table(const struct vt_pcr_table *t, const char *where,
		       struct vt_pcrs **out);

/* Parse that text (pure). Returns 0, or -1 with the reason in @why. */
int vt_pcrs_parse_text(const char *text, size_t len, struct vt_pcr_table *t,
		       char *why, size_t whylen);

static inline bool vt_pcrs_has_bank(struct vt_pcrs *p,
				    const struct vt_alg *alg)
{
	return p->ops->has_bank(p, alg);
}

static inline int vt_pcrs_read(struct vt_pcrs *p, const struct vt_alg *alg,
			       unsigned int pcr, uint8_t *out)
{
	return p->ops->read(p, alg, pcr, out);
}

static inline void vt_pcrs_close(struct vt_pcrs *p)
{
	if (p)
		p->ops->close(p);
}

#endif /* VTRUST_PCRS_H */
