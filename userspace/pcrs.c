// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PCR sources; see pcrs.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pcrs.h"
#include "util.h"
#include "vtrust.h"

#define TPM_SYSFS "sys/class/tpm/tpm0"
#define PCRS_FILE_MAX (1 << 20)

/* ---- sysfs ---- */

struct pcrs_sysfs {
	struct vt_pcrs base;
	char dir[VT_ALG_COUNT][PATH_MAX + 32];	/* "" if no such bank */
};

static bool sysfs_has_bank(struct vt_pcrs *p, const struct vt_alg *alg)
{
	struct pcrs_sysfs *s = (struct pcrs_sysfs *)p;

	return s->dir[alg->id][0];
}

static int sysfs_read(struct vt_pcrs *p, const struct vt_alg *alg,
		      unsigned int pcr, uint8_t *out)
{
	struct pcrs_sysfs *s = (struct pcrs_sysfs *)p;
	char path[PATH_MAX + 64], text[256];
	size_t len;
	int ret;

	if (!s->dir[alg->id][0] || pcr >= VT_PCR_COUNT)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/%u", s->dir[alg->id], pcr);
	ret = vt_read_small(path, text, sizeof(text), &len);
	if (ret)
		return ret;
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	if (vt_unhex(out, alg->size, text, len))
		return -EBADMSG;
	return 0;
}

static void sysfs_close(struct vt_pcrs *p)
{
	free(p);
}

static const struct vt_pcrs_ops sysfs_ops = {
	.has_bank = sysfs_has_bank,
	.read = sysfs_read,
	.close = sysfs_close,
};

int vt_pcrs_open_sysfs(const char *root, struct vt_pcrs **out)
{
	struct pcrs_sysfs *s;
	struct stat st;
	unsigned int i;

	s = calloc(1, sizeof(*s));
	if (!s) {
		vt_err("pcrs", "out of memory");
		return VT_EXIT_SYSTEM;
	}
	s->base.ops = &sysfs_ops;
	if (vt_path(s->base.where, sizeof(s->base.where), root, TPM_SYSFS)) {
		free(s);
		vt_err(root, "path too long");
		return VT_EXIT_USAGE;
	}
	if (stat(s->base.where, &st)) {
		vt_err(s->base.where, "%s (no TPM?)", strerror(errno));
		free(s);
		return VT_EXIT_SYSTEM;
	}
	for (i = 0; i < VT_ALG_COUNT; i++) {
		/* the kernel's name ("sm3"), then vtrust's ("sm3_256") */
		snprintf(s->dir[i], sizeof(s->dir[i]), "%s/pcr-%s",
			 s->base.where, vt_algs[i].kname);
		if (!stat(s->dir[i], &st) && S_ISDIR(st.st_mode))
			continue;
		snprintf(s->dir[i], sizeof(s->dir[i]), "%s/pcr-%s",
			 s->base.where, vt_algs[i].name);
		if (!stat(s->dir[i], &st) && S_ISDIR(st.st_mode))
			continue;
		s->dir[i][0] = '\0';
	}
	*out = &s->base;
	return 0;
}

/* ---- text file ---- */

struct pcrs_file {
	struct vt_pcrs base;
	struct vt_pcr_table table;
};

static bool file_has_bank(struct vt_pcrs *p, const struct vt_alg *alg)
{
	struct pcrs_file *f = (struct pcrs_file *)p;
	unsigned int i;

	for (i = 0; i < VT_PCR_COUNT; i++)
		if (f->table.have[alg->id][i])
			return true;
	return false;
}

static int file_read(struct vt_pcrs *p, const struct vt_alg *alg,
		     unsigned int pcr, uint8_t *out)
{
	struct pcrs_file *f = (struct pcrs_file *)p;

	if (pcr >= VT_PCR_COUNT || !f->table.have[alg->id][pcr])
		return -ENOENT;
	memcpy(out, f->table.value[alg->id][pcr], alg->size);
	return 0;
}

static void file_close(struct vt_pcrs *p)
{
	free(p);
}

static const struct vt_pcrs_ops file_ops = {
	.has_bank = file_has_bank,
	.read = file_read,
	.close = file_close,
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Split a line into at most 3 tokens at blanks and at ':' after a PCR. */
static int parse_line(const char *s, size_t len, struct vt_pcr_table *t,
		      const struct vt_alg **bank, char *why, size_t whylen)
{
	const char *tok[4];
	size_t tlen[4], i = 0, n = 0;
	const struct vt_alg *alg = *bank;
	unsigned int pcr = 0, k;
	const char *hex;
	size_t hlen;

	while (i < len) {
		while (i < len && is_space(s[i]))
			i++;
		if (i == len)
			break;
		if (n == 4) {
			snprintf(why, whylen, "too many fields");
			return -1;
		}
		tok[n] = s + i;
		while (i < len && !is_space(s[i]))
			i++;
		tlen[n] = s + i - tok[n];
		n++;
	}
	if (!n)
		return 0;

	/* "sha256:" opens a bank */
	if (n == 1 && tlen[0] > 1 && tok[0][tlen[0] - 1] == ':') {
		*bank = vt_alg_find(tok[0], tlen[0] - 1);
		if (!*bank) {
			snprintf(why, whylen, "unknown bank '%.*s'",
				 (int)(tlen[0] - 1 > 40 ? 40 : tlen[0] - 1),
				 tok[0]);
			return -1;
		}
		return 0;
	}
	if (n == 3 && !(tlen[1] == 1 && tok[1][0] == ':')) {
		/* "<bank> <pcr> <hex>" */
		alg = vt_alg_find(tok[0], tlen[0]);
		if (!alg) {
			snprintf(why, whylen, "unknown bank '%.*s'",
				 (int)(tlen[0] > 40 ? 40 : tlen[0]), tok[0]);
			return -1;
		}
		tok[0] = tok[1];
		tlen[0] = tlen[1];
		hex = tok[2];
		hlen = tlen[2];
	} else if (n == 3) {
		/* "<pcr> : <hex>" */
		hex = tok[2];
		hlen = tlen[2];
	} else if (n == 2 && tlen[0] > 1 && tok[0][tlen[0] - 1] == ':') {
		/* "<pcr>: <hex>" */
		tlen[0]--;
		hex = tok[1];
		hlen = tlen[1];
	} else {
		snprintf(why, whylen, "not a PCR value");
		return -1;
	}
	if (!alg) {
		snprintf(why, whylen, "PCR value before any bank");
		return -1;
	}
	if (!tlen[0] || tlen[0] > 2) {
		snprintf(why, whylen, "bad PCR number");
		return -1;
	}
	for (k = 0; k < tlen[0]; k++) {
		if (tok[0][k] < '0' || tok[0][k] > '9') {
			snprintf(why, whylen, "bad PCR number");
			return -1;
		}
		pcr = pcr * 10 + (tok[0][k] - '0');
	}
	if (pcr >= VT_PCR_COUNT) {
		snprintf(why, whylen, "PCR %u is out of range", pcr);
		return -1;
	}
	if (hlen > 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) {
		hex += 2;
		hlen -= 2;
	}
	if (vt_unhex(t->value[alg->id][pcr], alg->size, hex, hlen)) {
		snprintf(why, whylen, "bad %s value: not %u hex digits",
			 alg->name, 2 * alg->size);
		return -1;
	}
	t->have[alg->id][pcr] = true;
	return 0;
}

int vt_pcrs_parse_text(const char *text, size_t len, struct vt_pcr_table *t,
		       char *why, size_t whylen)
{
	const struct vt_alg *bank = NULL;
	const char *s = text, *end = text + len, *nl, *hash;
	char reason[96];
	unsigned int line = 0;

	memset(t, 0, sizeof(*t));
	while (s < end) {
		line++;
		nl = memchr(s, '\n', end - s);
		if (!nl)
			nl = end;
		hash = memchr(s, '#', nl - s);
		if (parse_line(s, (hash ? hash : nl) - s, t, &bank, reason,
			       sizeof(reason))) {
			snprintf(why, whylen, "line %u: %s", line, reason);
			return -1;
		}
		s = nl + 1;
	}
	return 0;
}

int vt_pcrs_open_file(const char *path, struct vt_pcrs **out)
{
	struct pcrs_file *f;
	char why[160];
	char *text;
	size_t len;
	int ret;

	text = malloc(PCRS_FILE_MAX);
	f = calloc(1, sizeof(*f));
	if (!text || !f) {
		free(text);
		free(f);
		vt_err(path, "out of memory");
		return VT_EXIT_SYSTEM;
	}
	ret = vt_read_small(path, text, PCRS_FILE_MAX, &len);
	if (ret) {
		vt_err(path, "%s", ret == -EFBIG ? "file is too large" :
		       strerror(-ret));
		ret = ret == -EFBIG ? VT_EXIT_USAGE : VT_EXIT_SYSTEM;
		goto fail;
	}
	if (vt_pcrs_parse_text(text, len, &f->table, why, sizeof(why))) {
		vt_err(path, "%s", why);
		ret = VT_EXIT_USAGE;
		goto fail;
	}
	free(text);
	f->base.ops = &file_ops;
	snprintf(f->base.where, sizeof(f->base.where), "%s", path);
	*out = &f->base;
	return 0;
fail:
	free(text);
	free(f);
	return ret;
}

int vt_pcrs_open_table(const struct vt_pcr_table *t, const char *where,
		       struct vt_pcrs **out)
{
	struct pcrs_file *f = malloc(sizeof(*f));

	if (!f) {
		vt_err(where, "out of memory");
		return VT_EXIT_SYSTEM;
	}
	memcpy(&f->table, t, sizeof(*t));
	f->base.ops = &file_ops;
	snprintf(f->base.where, sizeof(f->base.where), "%s", where);
	*out = &f->base;
	return 0;
}
