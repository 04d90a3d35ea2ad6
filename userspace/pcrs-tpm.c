// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PCR values from the TPM itself, through tpm2-tss (esys.c opens it). The
 * kernel's sysfs files show a bank only if the kernel knows its hash (SM3
 * since 5.12 as pcr-sm3, none before 5.12): this backend reads any bank the
 * TPM has allocated. The "auto" backend combines both: sysfs for the banks
 * it shows, the TPM for the others.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esys.h"
#include "pcrs.h"
#include "util.h"
#include "vtrust.h"

/* TPM2_PCR_Read returns at most 8 digests per call (TPML_DIGEST). */
#define READ_BATCH 8

struct pcrs_tpm {
	struct vt_pcrs base;
	TSS2_TCTI_CONTEXT *tcti;
	ESYS_CONTEXT *esys;
	bool bank[VT_ALG_COUNT];	/* allocated, with at least one PCR */
	bool have[VT_ALG_COUNT][VT_PCR_COUNT];
	uint8_t value[VT_ALG_COUNT][VT_PCR_COUNT][VT_DIGEST_MAX];
};

static bool tpm_has_bank(struct vt_pcrs *p, const struct vt_alg *alg)
{
	return ((struct pcrs_tpm *)p)->bank[alg->id];
}

/* Read every PCR of bank @alg that is still missing. */
static int read_bank(struct pcrs_tpm *t, const struct vt_alg *alg)
{
	TPML_PCR_SELECTION sel, *got = NULL;
	TPML_DIGEST *values = NULL;
	UINT32 counter;
	unsigned int k, n, i, progress;
	TSS2_RC rc;

	do {
		memset(&sel, 0, sizeof(sel));
		sel.count = 1;
		sel.pcrSelections[0].hash = alg->tpm_alg;
		sel.pcrSelections[0].sizeofSelect = 3;
		for (k = 0, n = 0; k < VT_PCR_COUNT && n < READ_BATCH; k++) {
			if (t->have[alg->id][k])
				continue;
			sel.pcrSelections[0].pcrSelect[k / 8] |= 1 << (k % 8);
			n++;
		}
		if (!n)
			return 0;
		rc = Esys_PCR_Read(t->esys, ESYS_TR_NONE, ESYS_TR_NONE,
				   ESYS_TR_NONE, &sel, &counter, &got, &values);
		if (rc != TSS2_RC_SUCCESS)
			return -EIO;
		progress = 0;
		i = 0;
		for (k = 0; got->count == 1 && k < VT_PCR_COUNT; k++) {
			if (!(got->pcrSelections[0].pcrSelect[k / 8] &
			      (1 << (k % 8))))
				continue;
			if (i >= values->count ||
			    values->digests[i].size != alg->size)
				break;
			memcpy(t->value[alg->id][k], values->digests[i].buffer,
			       alg->size);
			t->have[alg->id][k] = true;
			i++;
			progress++;
		}
		Esys_Free(got);
		Esys_Free(values);
		got = NULL;
		values = NULL;
	} while (progress);
	return 0;
}

static int tpm_read(struct vt_pcrs *p, const struct vt_alg *alg,
		    unsigned int pcr, uint8_t *out)
{
	struct pcrs_tpm *t = (struct pcrs_tpm *)p;
	int ret;

	if (!t->bank[alg->id] || pcr >= VT_PCR_COUNT)
		return -ENOENT;
	if (!t->have[alg->id][pcr]) {
		ret = read_bank(t, alg);
		if (ret)
			return ret;
		if (!t->have[alg->id][pcr])
			return -ENOENT;
	}
	memcpy(out, t->value[alg->id][pcr], alg->size);
	return 0;
}

static void tpm_close(struct vt_pcrs *p)
{
	struct pcrs_tpm *t = (struct pcrs_tpm *)p;

	vt_esys_close(&t->tcti, &t->esys);
	free(t);
}

static const struct vt_pcrs_ops tpm_ops = {
	.has_bank = tpm_has_bank,
	.read = tpm_read,
	.close = tpm_close,
};

/* Which banks the TPM has allocated (TPM2_CAP_PCRS). */
static int get_banks(struct pcrs_tpm *t)
{
	TPMS_CAPABILITY_DATA *cap = NULL;
	TPMS_PCR_SELECTION *s;
	const struct vt_alg *alg;
	TPMI_YES_NO more;
	unsigned int i, k;
	TSS2_RC rc;

	rc = Esys_GetCapability(t->esys, ESYS_TR_NONE, ESYS_TR_NONE,
				ESYS_TR_NONE, TPM2_CAP_PCRS, 0, 1, &more, &cap);
	if (rc != TSS2_RC_SUCCESS)
		return -EIO;
	for (i = 0; i < cap->data.assignedPCR.count &&
	     i < TPM2_NUM_PCR_BANKS; i++) {
		s = &cap->data.assignedPCR.pcrSelections[i];
		alg = vt_alg_by_tpm(s->hash);
		if (!alg)
			continue;
		for (k = 0; k < s->sizeofSelect && k < TPM2_PCR_SELECT_MAX; k++)
			if (s->pcrSelect[k])
				t->bank[alg->id] = true;
	}
	Esys_Free(cap);
	return 0;
}

int vt_pcrs_open_tpm(struct vt_pcrs **out)
{
	struct pcrs_tpm *t;
	int ret;

	t = calloc(1, sizeof(*t));
	if (!t) {
		vt_err("tpm", "out of memory");
		return VT_EXIT_SYSTEM;
	}
	t->base.ops = &tpm_ops;
	ret = vt_esys_open(&t->tcti, &t->esys, t->base.where,
			   sizeof(t->base.where));
	if (ret) {
		free(t);
		return ret;
	}
	if (get_banks(t)) {
		vt_err(t->base.where, "the TPM does not answer");
		tpm_close(&t->base);
		return VT_EXIT_SYSTEM;
	}
	*out = &t->base;
	return 0;
}

/* ---- auto: sysfs, and the TPM for what sysfs does not show ---- */

struct pcrs_auto {
	struct vt_pcrs base;
	struct vt_pcrs *sysfs;	/* NULL: no sysfs TPM directory */
	struct vt_pcrs *tpm;	/* opened when sysfs lacks a bank */
	bool tried;
};

static struct vt_pcrs *auto_tpm(struct pcrs_auto *a)
{
	if (!a->tried) {
		a->tried = true;
		vt_quiet_push();
		if (vt_pcrs_open_tpm(&a->tpm))
			a->tpm = NULL;
		vt_quiet_pop();
	}
	return a->tpm;
}

static struct vt_pcrs *auto_for(struct pcrs_auto *a, const struct vt_alg *alg)
{
	struct vt_pcrs *t;

	if (a->sysfs && vt_pcrs_has_bank(a->sysfs, alg))
		return a->sysfs;
	t = auto_tpm(a);
	return t && vt_pcrs_has_bank(t, alg) ? t : NULL;
}

static bool auto_has_bank(struct vt_pcrs *p, const struct vt_alg *alg)
{
	struct pcrs_auto *a = (struct pcrs_auto *)p;
	struct vt_pcrs *src = auto_for(a, alg);

	if (src && src == a->tpm && !strstr(p->where, "tpm2-tss")) {
		size_t n = strlen(p->where);

		snprintf(p->where + n, sizeof(p->where) - n, "%s%s",
			 n ? " and " : "", a->tpm->where);
	}
	return src;
}

static int auto_read(struct vt_pcrs *p, const struct vt_alg *alg,
		     unsigned int pcr, uint8_t *out)
{
	struct vt_pcrs *src = auto_for((struct pcrs_auto *)p, alg);

	return src ? vt_pcrs_read(src, alg, pcr, out) : -ENOENT;
}

static void auto_close(struct vt_pcrs *p)
{
	struct pcrs_auto *a = (struct pcrs_auto *)p;

	vt_pcrs_close(a->sysfs);
	vt_pcrs_close(a->tpm);
	free(a);
}

static const struct vt_pcrs_ops auto_ops = {
	.has_bank = auto_has_bank,
	.read = auto_read,
	.close = auto_close,
};

int vt_pcrs_open_auto(const char *root, struct vt_pcrs **out)
{
	struct pcrs_auto *a;
	unsigned int i;
	int ret;

	a = calloc(1, sizeof(*a));
	if (!a) {
		vt_err("pcrs", "out of memory");
		return VT_EXIT_SYSTEM;
	}
	a->base.ops = &auto_ops;
	vt_quiet_push();
	ret = vt_pcrs_open_sysfs(root, &a->sysfs);
	vt_quiet_pop();
	if (ret)
		a->sysfs = NULL;
	if (a->sysfs)
		snprintf(a->base.where, sizeof(a->base.where), "%s",
			 a->sysfs->where);
	/*
	 * Only the TPM of this machine, unless a TCTI is named: a tree under
	 * --sysfs-root is not this machine's.
	 */
	a->tried = strcmp(root, "/") && !getenv("TPM2TOOLS_TCTI") &&
		   !getenv("TCTI");
	if (!a->sysfs) {
		/* no sysfs TPM: the TPM alone, or the sysfs error */
		for (i = 0; i < VT_ALG_COUNT && !auto_for(a, &vt_algs[i]); i++)
			;
		if (i == VT_ALG_COUNT) {
			auto_close(&a->base);
			return vt_pcrs_open_sysfs(root, out);
		}
	}
	*out = &a->base;
	return 0;
}
