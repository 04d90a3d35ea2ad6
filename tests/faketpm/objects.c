// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * faketpm's keys and sessions: what a TPM needs to make an SM2 EK and AK,
 * quote with the AK over SM3 and activate a credential with the EK, under
 * the kernel's resource manager (/dev/tpmrmN) as well as without it:
 *
 *   CreatePrimary, Create, Load, EvictControl, ReadPublic,
 *   StartAuthSession (policy and trial, unsalted and unbound),
 *   PolicySecret, ActivateCredential, Quote, ContextSave, ContextLoad,
 *   FlushContext, and NV_ReadPublic and NV_Read (there are no NV indices).
 *
 * Keys are restricted SM2 P-256 keys only: storage keys (decrypt, SM4-128
 * CFB, as the EK) and signing keys (sign, scheme SM2 with SM3, as the AK).
 * A key's private scalar never leaves faketpm in the clear: Create returns
 * it wrapped under the parent's seed and ContextSave under faketpm's own
 * context seed (Part 1, 23: an integrity HMAC and SM4-CFB), and Load and
 * ContextLoad check that wrap.
 *
 * The hierarchies' seeds are random at start: a primary key is the same
 * for the same template for as long as faketpm runs (not across runs).
 * Every hierarchy's authValue is empty and no hierarchy has a policy.
 */
#include <stdlib.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "faketpm.h"

#define MAX_TRANSIENT 8
#define MAX_PERSISTENT 8
#define MAX_SESSIONS 8
#define MAX_AUTHS 3
#define NAME_BYTES (2 + MAX_DIGEST)
#define PRIVATE_MAX 512		/* a TPM2B_PRIVATE or context blob here */
#define CRED_MAX 512		/* a TPM2B_ID_OBJECT's buffer */

#define HT(h) ((h) >> 24)
#define HT_LOADED_SESSION 0x02
#define HT_POLICY_SESSION 0x03
#define HT_TRANSIENT 0x80
#define HT_PERSISTENT 0x81
#define TRANSIENT_FIRST 0x80000000U
#define POLICY_SESSION_FIRST 0x03000000U
#define OWNER_PERSISTENT_FIRST 0x81000000U
#define OWNER_PERSISTENT_LAST 0x817FFFFFU

/* TPMA_OBJECT */
#define OA_FIXED_TPM (1U << 1)
#define OA_FIXED_PARENT (1U << 4)
#define OA_SENSITIVE_DATA_ORIGIN (1U << 5)
#define OA_USER_WITH_AUTH (1U << 6)
#define OA_ADMIN_WITH_POLICY (1U << 7)
#define OA_RESTRICTED (1U << 16)
#define OA_DECRYPT (1U << 17)
#define OA_SIGN (1U << 18)
#define OA_RESERVED 0xFFF0F309U

/* TPMA_SESSION */
#define SA_CONTINUE 0x01
#define SA_UNSUPPORTED 0xE0	/* decrypt, encrypt, audit */
#define SA_RESERVED 0x18

#define TPM_SE_POLICY 0x01
#define TPM_SE_TRIAL 0x03

/* The public area of an SM2 key (TPMT_PUBLIC, type TPM_ALG_ECC). */
struct pub {
	uint16_t name_alg;
	uint32_t attrs;
	uint8_t policy[MAX_DIGEST];
	uint16_t policy_len;
	uint16_t sym, sym_bits, sym_mode;	/* TPM_ALG_NULL: no bits, mode */
	uint16_t scheme, scheme_hash;
	uint8_t x[SM2_BYTES], y[SM2_BYTES];
	uint16_t x_len, y_len;
};

struct object {
	uint32_t handle;	/* 0: a free slot */
	uint32_t hierarchy;
	struct pub pub;
	const EVP_MD *md;	/* of nameAlg */
	uint8_t name[NAME_BYTES], qname[NAME_BYTES];
	size_t name_len;	/* qname has the same length */
	uint8_t auth[MAX_DIGEST];
	uint16_t auth_len;
	uint8_t d[SM2_BYTES];	/* the private key */
	uint8_t seed[MAX_DIGEST];	/* storage keys: seedValue */
	uint16_t seed_len;
};

struct session {
	uint32_t handle;	/* 0: a free slot */
	bool saved;		/* by ContextSave, until ContextLoad */
	bool trial;
	const EVP_MD *md;	/* authHash */
	unsigned int size;	/* its digest size */
	uint8_t nonce[MAX_DIGEST];	/* nonceTPM */
	uint8_t digest[MAX_DIGEST];	/* policyDigest */
	uint64_t seq;		/* the sequence of its saved context */
};

/* A session of a command's authorization area. */
struct auth {
	struct session *s;	/* NULL: the password session */
	const uint8_t *nonce;	/* nonceCaller */
	uint16_t nonce_len;
	uint8_t attrs;
	const uint8_t *hmac;
	uint16_t hmac_len;
};

/* One command: its handles resolved, its sessions parsed. */
struct call {
	uint32_t cc;
	uint32_t h[MAX_AUTHS];
	struct object *obj[MAX_AUTHS];	/* the objects of the handles */
	struct session *hs[MAX_AUTHS];	/* the sessions of the handles */
	struct auth auth[MAX_AUTHS];
	unsigned int nauth;
	uint32_t out_handle;
};

static struct object transient[MAX_TRANSIENT];
static struct object persistent[MAX_PERSISTENT];
static struct session sessions[MAX_SESSIONS];

/* seeds: endorsement, owner (storage), null; the proof; saved contexts */
static uint8_t eps[32], sps[32], nps[32], proof[32], context_seed[32];
static uint64_t context_seq;
static struct timespec t_start;

bool ft_objects_init(void)
{
	clock_gettime(CLOCK_MONOTONIC, &t_start);
	return RAND_priv_bytes(eps, sizeof(eps)) == 1 &&
	       RAND_priv_bytes(sps, sizeof(sps)) == 1 &&
	       RAND_priv_bytes(nps, sizeof(nps)) == 1 &&
	       RAND_priv_bytes(proof, sizeof(proof)) == 1 &&
	       RAND_priv_bytes(context_seed, sizeof(context_seed)) == 1;
}

static const uint8_t *hierarchy_seed(uint32_t h)
{
	switch (h) {
	case TPM_RH_ENDORSEMENT: return eps;
	case TPM_RH_OWNER: return sps;
	case TPM_RH_NULL: return nps;
	default: return NULL;
	}
}

static const EVP_MD *hash_md(uint16_t alg)
{
	const struct alg *a = alg_by_id(alg);

	return a ? md_of(a) : NULL;
}

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static bool is_storage(const struct object *o)
{
	return o && (o->pub.attrs & OA_DECRYPT);
}

/* ---- lookup ------------------------------------------------------------- */

static struct object *find_object(uint32_t h)
{
	struct object *tbl = HT(h) == HT_TRANSIENT ? transient : persistent;
	unsigned int n = HT(h) == HT_TRANSIENT ? MAX_TRANSIENT : MAX_PERSISTENT;

	if (HT(h) != HT_TRANSIENT && HT(h) != HT_PERSISTENT)
		return NULL;
	for (unsigned int i = 0; i < n; i++)
		if (tbl[i].handle == h)
			return &tbl[i];
	return NULL;
}

static struct session *find_session(uint32_t h)
{
	if (HT(h) != HT_LOADED_SESSION && HT(h) != HT_POLICY_SESSION)
		return NULL;
	for (unsigned int i = 0; i < MAX_SESSIONS; i++)
		if (sessions[i].handle == h)
			return &sessions[i];
	return NULL;
}

/* A free transient slot, its handle set; NULL if there is none. */
static struct object *new_transient(void)
{
	for (unsigned int i = 0; i < MAX_TRANSIENT; i++) {
		if (!transient[i].handle) {
			memset(&transient[i], 0, sizeof(transient[i]));
			transient[i].handle = TRANSIENT_FIRST + i;
			return &transient[i];
		}
	}
	return NULL;
}

static void free_object(struct object *o)
{
	OPENSSL_cleanse(o, sizeof(*o));
}

static bool is_hierarchy(uint32_t h)
{
	return h == TPM_RH_OWNER || h == TPM_RH_ENDORSEMENT || h == TPM_RH_NULL;
}

/*
 * Each handle of the handle area to what it names: an object that is
 * there, a loaded session, or a hierarchy.
 */
static uint32_t resolve(struct call *c, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		uint32_t h = c->h[i];

		if (is_hierarchy(h))
			continue;
		if (HT(h) == HT_TRANSIENT || HT(h) == HT_PERSISTENT) {
			c->obj[i] = find_object(h);
			if (c->obj[i])
				continue;
			return HT(h) == HT_TRANSIENT ?
			       TPM_RC_REFERENCE_H0 + i :
			       TPM_RC_HANDLE | RC_N(i + 1);
		}
		c->hs[i] = find_session(h);
		if (c->hs[i] && !c->hs[i]->saved)
			continue;
		if (HT(h) == HT_LOADED_SESSION || HT(h) == HT_POLICY_SESSION)
			return TPM_RC_REFERENCE_H0 + i;
		return TPM_RC_HANDLE | RC_N(i + 1);
	}
	return TPM_RC_SUCCESS;
}

/* The Name of handle @i: an object's, else the handle itself. */
static size_t entity_name(const struct call *c, unsigned int i, uint8_t *out)
{
	if (c->obj[i]) {
		memcpy(out, c->obj[i]->name, c->obj[i]->name_len);
		return c->obj[i]->name_len;
	}
	be32(out, c->h[i]);
	return 4;
}

/* ---- public areas ------------------------------------------------------- */

static void put_public(struct wr *w, const struct pub *p)
{
	put_u16(w, TPM_ALG_ECC);
	put_u16(w, p->name_alg);
	put_u32(w, p->attrs);
	put_2b(w, p->policy, p->policy_len);
	put_u16(w, p->sym);
	if (p->sym != TPM_ALG_NULL) {
		put_u16(w, p->sym_bits);
		put_u16(w, p->sym_mode);
	}
	put_u16(w, p->scheme);
	if (p->scheme != TPM_ALG_NULL)
		put_u16(w, p->scheme_hash);
	put_u16(w, TPM_ECC_SM2_P256);
	put_u16(w, TPM_ALG_NULL);	/* kdf */
	put_2b(w, p->x, p->x_len);
	put_2b(w, p->y, p->y_len);
}

/* TPMT_PUBLIC of @p into @out (at most PRIVATE_MAX bytes); its length. */
static size_t public_bytes(const struct pub *p, uint8_t *out)
{
	static struct wr w;

	w.len = 0;
	w.overflow = false;
	put_public(&w, p);
	if (w.overflow || w.len > PRIVATE_MAX)
		return 0;
	memcpy(out, w.b, w.len);
	return w.len;
}

/*
 * TPM2B_PUBLIC (parameter @n): the fields of an SM2 key's public area,
 * checked only for their encoding here (see check_public()). @raw gets
 * the TPMT_PUBLIC's bytes as sent.
 */
static uint32_t parse_public(struct rd *r, struct pub *p, unsigned int n,
			     struct rd *raw)
{
	uint32_t pn = RC_P | RC_N(n);
	uint16_t size, type, curve, kdf;
	const uint8_t *b, *v;
	struct rd s;

	if (!get_u16(r, &size) || !get_bytes(r, &b, size))
		return TPM_RC_INSUFFICIENT | pn;
	if (!size)
		return TPM_RC_SIZE | pn;
	s.p = b;
	s.left = size;
	*raw = s;
	memset(p, 0, sizeof(*p));
	if (!get_u16(&s, &type) || !get_u16(&s, &p->name_alg) ||
	    !get_u32(&s, &p->attrs))
		return TPM_RC_INSUFFICIENT | pn;
	if (type != TPM_ALG_ECC)
		return TPM_RC_TYPE | pn;
	if (!get_2b(&s, &v, &p->policy_len, MAX_DIGEST))
		return TPM_RC_SIZE | pn;
	memcpy(p->policy, v, p->policy_len);
	if (!get_u16(&s, &p->sym))
		return TPM_RC_INSUFFICIENT | pn;
	if (p->sym != TPM_ALG_NULL &&
	    (!get_u16(&s, &p->sym_bits) || !get_u16(&s, &p->sym_mode)))
		return TPM_RC_INSUFFICIENT | pn;
	if (!get_u16(&s, &p->scheme))
		return TPM_RC_INSUFFICIENT | pn;
	if (p->scheme != TPM_ALG_NULL && !get_u16(&s, &p->scheme_hash))
		return TPM_RC_INSUFFICIENT | pn;
	if (!get_u16(&s, &curve) || !get_u16(&s, &kdf))
		return TPM_RC_INSUFFICIENT | pn;
	if (curve != TPM_ECC_SM2_P256)
		return TPM_RC_CURVE | pn;
	if (kdf != TPM_ALG_NULL)
		return TPM_RC_KDF | pn;
	if (!get_2b(&s, &v, &p->x_len, SM2_BYTES))
		return TPM_RC_SIZE | pn;
	memcpy(p->x, v, p->x_len);
	if (!get_2b(&s, &v, &p->y_len, SM2_BYTES))
		return TPM_RC_SIZE | pn;
	memcpy(p->y, v, p->y_len);
	if (s.left)
		return TPM_RC_SIZE | pn;
	return TPM_RC_SUCCESS;
}

/*
 * What faketpm makes: restricted SM2 keys that the TPM generated, either
 * a storage key (decrypt, SM4-128-CFB, no scheme) or a signing key (sign,
 * no symmetric algorithm, SM2 with SM3).
 */
static uint32_t check_public(const struct pub *p, unsigned int n)
{
	const uint32_t need = OA_FIXED_TPM | OA_FIXED_PARENT |
			      OA_SENSITIVE_DATA_ORIGIN | OA_RESTRICTED;
	uint32_t pn = RC_P | RC_N(n), kind = p->attrs & (OA_DECRYPT | OA_SIGN);
	const EVP_MD *md = hash_md(p->name_alg);

	if (!md)
		return TPM_RC_HASH | pn;
	if (p->attrs & OA_RESERVED)
		return TPM_RC_RESERVED_BITS | pn;
	if ((p->attrs & need) != need || (kind != OA_DECRYPT && kind != OA_SIGN))
		return TPM_RC_ATTRIBUTES | pn;
	if (p->policy_len && p->policy_len != EVP_MD_get_size(md))
		return TPM_RC_SIZE | pn;
	if (kind == OA_DECRYPT) {
		if (p->sym != TPM_ALG_SM4 || p->sym_bits != 128 ||
		    p->sym_mode != TPM_ALG_CFB)
			return TPM_RC_SYMMETRIC | pn;
		if (p->scheme != TPM_ALG_NULL)
			return TPM_RC_SCHEME | pn;
	} else {
		if (p->sym != TPM_ALG_NULL)
			return TPM_RC_SYMMETRIC | pn;
		if (p->scheme != TPM_ALG_SM2 ||
		    p->scheme_hash != TPM_ALG_SM3_256)
			return TPM_RC_SCHEME | pn;
	}
	return TPM_RC_SUCCESS;
}

/* Name (nameAlg || H(TPMT_PUBLIC)) and qualified name, from the parent's. */
static bool set_names(struct object *o, const uint8_t *parent_qname,
		      size_t plen)
{
	uint8_t pb[PRIVATE_MAX];
	size_t len = public_bytes(&o->pub, pb);

	o->md = hash_md(o->pub.name_alg);
	if (!len || !o->md)
		return false;
	o->name_len = 2 + EVP_MD_get_size(o->md);
	o->name[0] = o->pub.name_alg >> 8;
	o->name[1] = o->pub.name_alg & 0xff;
	memcpy(o->qname, o->name, 2);
	return ft_hash(o->md, pb, len, NULL, 0, o->name + 2) &&
	       ft_hash(o->md, parent_qname, plen, o->name, o->name_len,
		       o->qname + 2);
}

/* ---- PCR selections ------------------------------------------------------ */

struct pcr_sel {
	uint32_t count;
	struct {
		uint16_t alg;
		uint8_t size;
		uint8_t sel[PCR_SELECT_MAX];
	} s[MAX_BANKS];
};

/*
 * TPML_PCR_SELECTION (parameter @n). As a TPM does, the PCRs of a bank
 * that is not allocated are dropped from the selection.
 */
static uint32_t parse_pcr_sel(struct rd *r, struct pcr_sel *ps, unsigned int n)
{
	uint32_t pn = RC_P | RC_N(n);
	const uint8_t *v;

	if (!get_u32(r, &ps->count))
		return TPM_RC_INSUFFICIENT | pn;
	if (ps->count > MAX_BANKS)
		return TPM_RC_SIZE | pn;
	for (uint32_t i = 0; i < ps->count; i++) {
		if (!get_u16(r, &ps->s[i].alg) || !get_u8(r, &ps->s[i].size))
			return TPM_RC_INSUFFICIENT | pn;
		if (!alg_by_id(ps->s[i].alg) && !bank_by_id(ps->s[i].alg))
			return TPM_RC_HASH | pn;
		if (ps->s[i].size > PCR_SELECT_MAX)
			return TPM_RC_VALUE | pn;
		if (!get_bytes(r, &v, ps->s[i].size))
			return TPM_RC_INSUFFICIENT | pn;
		memcpy(ps->s[i].sel, v, ps->s[i].size);
		if (!bank_by_id(ps->s[i].alg))
			memset(ps->s[i].sel, 0, ps->s[i].size);
	}
	return TPM_RC_SUCCESS;
}

static void put_pcr_sel(struct wr *w, const struct pcr_sel *ps)
{
	put_u32(w, ps->count);
	for (uint32_t i = 0; i < ps->count; i++) {
		put_u16(w, ps->s[i].alg);
		put_u8(w, ps->s[i].size);
		put_bytes(w, ps->s[i].sel, ps->s[i].size);
	}
}

/* H(the selected PCRs' values, selection by selection, PCRs ascending). */
static bool pcr_digest(const EVP_MD *md, const struct pcr_sel *ps,
		       uint8_t *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok = ctx && EVP_DigestInit_ex(ctx, md, NULL) == 1;

	for (uint32_t i = 0; ok && i < ps->count; i++) {
		const struct bank *b = bank_by_id(ps->s[i].alg);

		for (unsigned int p = 0; ok && p < ps->s[i].size * 8u; p++)
			if (ps->s[i].sel[p >> 3] & (1 << (p & 7)))
				ok = EVP_DigestUpdate(ctx, b->pcr[p], b->size) == 1;
	}
	ok = ok && EVP_DigestFinal_ex(ctx, out, NULL) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* ---- Create and CreatePrimary ------------------------------------------- */

/* The parameters of Create and CreatePrimary. */
struct create_in {
	const uint8_t *auth, *outside;
	uint16_t auth_len, outside_len;
	struct pub pub;
	struct rd tmpl;		/* the TPMT_PUBLIC as sent */
	struct pcr_sel pcrs;
};

static uint32_t parse_create(struct rd *r, struct create_in *in)
{
	const uint8_t *b, *data;
	uint16_t size, data_len;
	struct rd s;
	uint32_t rc;

	/* TPM2B_SENSITIVE_CREATE: userAuth, data (none for a key made here) */
	if (!get_u16(r, &size) || !get_bytes(r, &b, size))
		return TPM_RC_INSUFFICIENT | RC_P | RC_1;
	s.p = b;
	s.left = size;
	if (!get_2b(&s, &in->auth, &in->auth_len, MAX_DIGEST) ||
	    !get_2b(&s, &data, &data_len, 128) || s.left)
		return TPM_RC_SIZE | RC_P | RC_1;
	if (data_len)
		return TPM_RC_ATTRIBUTES | RC_P | RC_2;	/* sensitiveDataOrigin */
	rc = parse_public(r, &in->pub, 2, &in->tmpl);
	if (rc)
		return rc;
	if (!get_2b(r, &in->outside, &in->outside_len, MAX_DIGEST))
		return TPM_RC_SIZE | RC_P | RC_3;
	rc = parse_pcr_sel(r, &in->pcrs, 4);
	if (rc)
		return rc;
	if (r->left)
		return TPM_RC_SIZE;
	rc = check_public(&in->pub, 2);
	if (rc)
		return rc;
	if (in->auth_len > EVP_MD_get_size(hash_md(in->pub.name_alg)))
		return TPM_RC_SIZE | RC_P | RC_1;
	return TPM_RC_SUCCESS;
}

/*
 * outPublic, creationData, creationHash, creationTicket of a new key
 * (Part 3, Create): the creation data names the parent (for a primary
 * key: the hierarchy, nameAlg TPM_ALG_NULL).
 */
static bool put_creation(struct wr *w, const struct object *o,
			 const struct create_in *in, const struct object *parent)
{
	static struct wr cd;
	uint8_t digest[MAX_DIGEST], ticket[EVP_MAX_MD_SIZE], h[4];
	uint8_t tin[2 + NAME_BYTES + MAX_DIGEST];
	size_t dlen = EVP_MD_get_size(o->md), off;
	unsigned int tlen = 0;

	off = w->len;
	put_u16(w, 0);
	put_public(w, &o->pub);
	set_u16(w, off, (uint16_t)(w->len - off - 2));

	cd.len = 0;
	cd.overflow = false;
	put_pcr_sel(&cd, &in->pcrs);
	if (!pcr_digest(o->md, &in->pcrs, digest))
		return false;
	put_2b(&cd, digest, dlen);
	put_u8(&cd, 0x01);	/* TPMA_LOCALITY: locality 0 */
	if (parent) {
		put_u16(&cd, parent->pub.name_alg);
		put_2b(&cd, parent->name, parent->name_len);
		put_2b(&cd, parent->qname, parent->name_len);
	} else {
		be32(h, o->hierarchy);
		put_u16(&cd, TPM_ALG_NULL);
		put_2b(&cd, h, 4);
		put_2b(&cd, h, 4);
	}
	put_2b(&cd, in->outside, in->outside_len);
	if (cd.overflow || !ft_hash(o->md, cd.b, cd.len, NULL, 0, digest))
		return false;
	put_2b(w, cd.b, cd.len);
	put_2b(w, digest, dlen);

	/* the ticket: HMAC(proof, TPM_ST_CREATION || name || creationHash) */
	put_u16(w, TPM_ST_CREATION);
	if (o->hierarchy == TPM_RH_NULL) {
		put_u32(w, TPM_RH_NULL);
		put_u16(w, 0);
		return true;
	}
	tin[0] = TPM_ST_CREATION >> 8;
	tin[1] = TPM_ST_CREATION & 0xff;
	memcpy(tin + 2, o->name, o->name_len);
	memcpy(tin + 2 + o->name_len, digest, dlen);
	if (!HMAC(o->md, proof, sizeof(proof), tin, 2 + o->name_len + dlen,
		  ticket, &tlen))
		return false;
	put_u32(w, o->hierarchy);
	put_2b(w, ticket, tlen);
	return true;
}

/* A new key's public part from the template, its private key @d. */
static bool make_key(struct object *o, const struct create_in *in,
		     const uint8_t *d)
{
	o->pub = in->pub;
	o->pub.x_len = o->pub.y_len = SM2_BYTES;
	memcpy(o->d, d, SM2_BYTES);
	memcpy(o->auth, in->auth, in->auth_len);
	o->auth_len = in->auth_len;
	return ft_sm2_public(d, o->pub.x, o->pub.y);
}

/*
 * CreatePrimary: the key follows from the hierarchy's seed and the
 * template (TPMT_PUBLIC as sent, unique included), so the same template
 * gives the same key: d = the first KDFa(SM3, seed, "ECC", SM3(template),
 * [i]32, 256), i = 1, 2, ..., that is a valid SM2 private key; a storage
 * key's seedValue = KDFa(nameAlg, seed, "SEED", SM3(template), -, bits).
 */
static uint32_t cmd_create_primary(struct call *c, struct rd *r, struct wr *w)
{
	const uint8_t *hseed = hierarchy_seed(c->h[0]);
	const EVP_MD *sm3 = hash_md(TPM_ALG_SM3_256);
	struct create_in in;
	uint8_t th[32], buf[SM2_BYTES], d[SM2_BYTES], ctr[4], h[4];
	struct object *o;
	uint32_t rc, i;
	bool ok = false;

	if (!hseed)
		return TPM_RC_HIERARCHY | RC_1;
	rc = parse_create(r, &in);
	if (rc)
		return rc;
	if (!sm3 || !ft_hash(sm3, in.tmpl.p, in.tmpl.left, NULL, 0, th))
		return TPM_RC_FAILURE;
	for (i = 1; !ok && i < 100; i++) {
		be32(ctr, i);
		if (!ft_kdfa(sm3, hseed, 32, "ECC", th, sizeof(th), ctr, 4,
			     SM2_BYTES * 8, buf))
			return TPM_RC_FAILURE;
		ok = ft_sm2_scalar(buf, d);
	}
	o = new_transient();
	if (!o)
		return TPM_RC_OBJECT_MEMORY;
	o->hierarchy = c->h[0];
	be32(h, c->h[0]);
	ok = ok && make_key(o, &in, d) && set_names(o, h, 4);
	if (ok && is_storage(o)) {
		o->seed_len = EVP_MD_get_size(o->md);
		ok = ft_kdfa(o->md, hseed, 32, "SEED", th, sizeof(th), NULL, 0,
			     o->seed_len * 8, o->seed);
	}
	OPENSSL_cleanse(d, sizeof(d));
	OPENSSL_cleanse(buf, sizeof(buf));
	if (!ok || !put_creation(w, o, &in, NULL)) {
		free_object(o);
		return TPM_RC_FAILURE;
	}
	put_2b(w, o->name, o->name_len);
	c->out_handle = o->handle;
	return TPM_RC_SUCCESS;
}

/*
 * TPMT_SENSITIVE of @o in a TPM2B: sensitiveType, authValue, seedValue,
 * the private key. Returns its length in @out.
 */
static size_t sensitive_bytes(const struct object *o, uint8_t *out, size_t max)
{
	static struct wr s;

	s.len = 0;
	s.overflow = false;
	put_u16(&s, 0);
	put_u16(&s, TPM_ALG_ECC);
	put_2b(&s, o->auth, o->auth_len);
	put_2b(&s, o->seed, o->seed_len);
	put_2b(&s, o->d, SM2_BYTES);
	set_u16(&s, 0, (uint16_t)(s.len - 2));
	if (s.overflow || s.len > max)
		return 0;
	memcpy(out, s.b, s.len);
	OPENSSL_cleanse(s.b, s.len);
	return s.len;
}

/* Create: a key under a storage key; the private part wrapped for it. */
static uint32_t cmd_create(struct call *c, struct rd *r, struct wr *w)
{
	struct object *parent = c->obj[0], o;
	uint8_t d[SM2_BYTES], sens[PRIVATE_MAX], priv[PRIVATE_MAX];
	size_t slen, plen = 0;
	struct create_in in;
	uint32_t rc;
	bool ok;

	if (!is_storage(parent))
		return TPM_RC_TYPE | RC_1;
	rc = parse_create(r, &in);
	if (rc)
		return rc;
	memset(&o, 0, sizeof(o));
	o.hierarchy = parent->hierarchy;
	ok = ft_sm2_random(d) && make_key(&o, &in, d) &&
	     set_names(&o, parent->qname, parent->name_len);
	if (ok && is_storage(&o)) {
		o.seed_len = EVP_MD_get_size(o.md);
		ok = RAND_priv_bytes(o.seed, o.seed_len) == 1;
	}
	slen = ok ? sensitive_bytes(&o, sens, sizeof(sens)) : 0;
	if (slen)
		plen = ft_wrap(parent->md, parent->seed, parent->seed_len,
			       o.name, o.name_len, sens, slen, priv,
			       sizeof(priv));
	OPENSSL_cleanse(sens, sizeof(sens));
	OPENSSL_cleanse(d, sizeof(d));
	if (plen) {
		put_2b(w, priv, plen);
		ok = put_creation(w, &o, &in, parent);
	}
	free_object(&o);
	return plen && ok ? TPM_RC_SUCCESS : TPM_RC_FAILURE;
}

/*
 * TPMT_SENSITIVE (in its TPM2B) into @o, whose public part is set:
 * checked against it: the private key must give the public point. TPM_RC_* of parameter @n.
 */
static uint32_t parse_sensitive(const uint8_t *b, size_t len, struct object *o,
				unsigned int n)
{
	uint32_t pn = RC_P | RC_N(n);
	struct rd s = { b, len };
	const uint8_t *v, *auth, *seed;
	uint16_t size, type, auth_len, seed_len, dlen;
	uint8_t x[SM2_BYTES], y[SM2_BYTES];
	size_t hsize = EVP_MD_get_size(o->md);

	if (!get_u16(&s, &size) || size != s.left || !get_u16(&s, &type) ||
	    !get_2b(&s, &auth, &auth_len, hsize) ||
	    !get_2b(&s, &seed, &seed_len, hsize) ||
	    !get_2b(&s, &v, &dlen, SM2_BYTES) || s.left)
		return TPM_RC_SIZE | pn;
	if (type != TPM_ALG_ECC)
		return TPM_RC_TYPE | pn;
	if (seed_len != (is_storage(o) ? hsize : 0) || dlen != SM2_BYTES ||
	    !ft_sm2_scalar(v, o->d))
		return TPM_RC_KEY | pn;
	if (!ft_sm2_public(o->d, x, y))
		return TPM_RC_FAILURE;
	if (memcmp(x, o->pub.x, SM2_BYTES) || memcmp(y, o->pub.y, SM2_BYTES))
		return TPM_RC_BINDING | pn;
	memcpy(o->auth, auth, auth_len);
	o->auth_len = auth_len;
	memcpy(o->seed, seed, seed_len);
	o->seed_len = seed_len;
	return TPM_RC_SUCCESS;
}

static uint32_t cmd_load(struct call *c, struct rd *r, struct wr *w)
{
	struct object *parent = c->obj[0], *o;
	uint8_t sens[PRIVATE_MAX];
	const uint8_t *priv;
	uint16_t plen;
	size_t slen = 0;
	struct pub pub;
	struct rd raw;
	uint32_t rc;
	int ret;

	if (!is_storage(parent))
		return TPM_RC_TYPE | RC_1;
	if (!get_2b(r, &priv, &plen, PRIVATE_MAX))
		return TPM_RC_SIZE | RC_P | RC_1;
	rc = parse_public(r, &pub, 2, &raw);
	if (rc)
		return rc;
	if (r->left)
		return TPM_RC_SIZE;
	rc = check_public(&pub, 2);
	if (rc)
		return rc;
	if (pub.x_len != SM2_BYTES || pub.y_len != SM2_BYTES)
		return TPM_RC_KEY | RC_P | RC_2;
	o = new_transient();
	if (!o)
		return TPM_RC_OBJECT_MEMORY;
	o->pub = pub;
	o->hierarchy = parent->hierarchy;
	if (!set_names(o, parent->qname, parent->name_len)) {
		free_object(o);
		return TPM_RC_FAILURE;
	}
	ret = ft_unwrap(parent->md, parent->seed, parent->seed_len, o->name,
			o->name_len, priv, plen, sens, &slen);
	rc = ret < 0 ? TPM_RC_FAILURE : ret ? TPM_RC_INTEGRITY | RC_P | RC_1 :
	     parse_sensitive(sens, slen, o, 1);
	OPENSSL_cleanse(sens, sizeof(sens));
	if (rc) {
		free_object(o);
		return rc;
	}
	put_2b(w, o->name, o->name_len);
	c->out_handle = o->handle;
	return TPM_RC_SUCCESS;
}

static uint32_t cmd_evict_control(struct call *c, struct rd *r, struct wr *w)
{
	struct object *o = c->obj[1];
	uint32_t ph;

	(void)w;
	if (c->h[0] != TPM_RH_OWNER)
		return TPM_RC_HIERARCHY | RC_1;
	if (!o)
		return TPM_RC_HANDLE | RC_2;
	if (!get_u32(r, &ph))
		return TPM_RC_INSUFFICIENT | RC_P | RC_1;
	if (r->left)
		return TPM_RC_SIZE;
	if (HT(o->handle) == HT_PERSISTENT) {
		if (ph != o->handle)
			return TPM_RC_HANDLE | RC_P | RC_1;
		free_object(o);
		return TPM_RC_SUCCESS;
	}
	if (ph < OWNER_PERSISTENT_FIRST || ph > OWNER_PERSISTENT_LAST)
		return TPM_RC_RANGE | RC_P | RC_1;
	if (o->hierarchy == TPM_RH_NULL)
		return TPM_RC_HIERARCHY | RC_2;
	if (find_object(ph))
		return TPM_RC_NV_DEFINED;
	for (unsigned int i = 0; i < MAX_PERSISTENT; i++) {
		if (!persistent[i].handle) {
			persistent[i] = *o;
			persistent[i].handle = ph;
			return TPM_RC_SUCCESS;
		}
	}
	return TPM_RC_NV_SPACE;
}

static uint32_t cmd_read_public(struct call *c, struct rd *r, struct wr *w)
{
	const struct object *o = c->obj[0];
	size_t off;

	if (!o)
		return TPM_RC_HANDLE | RC_1;
	if (r->left)
		return TPM_RC_SIZE;
	off = w->len;
	put_u16(w, 0);
	put_public(w, &o->pub);
	set_u16(w, off, (uint16_t)(w->len - off - 2));
	put_2b(w, o->name, o->name_len);
	put_2b(w, o->qname, o->name_len);
	return TPM_RC_SUCCESS;
}

/* ---- sessions and policy -------------------------------------------------- */

/*
 * StartAuthSession of a policy or trial session, neither salted nor bound
 * (tpmKey and bind TPM_RH_NULL), with no session encryption.
 */
static uint32_t cmd_start_auth_session(struct call *c, struct rd *r,
				       struct wr *w)
{
	const uint8_t *nonce, *salt;
	uint16_t nonce_len, salt_len, sym, hash;
	uint8_t type;
	const EVP_MD *md;
	struct session *s = NULL;

	if (c->h[0] != TPM_RH_NULL)
		return TPM_RC_VALUE | RC_1;	/* salted: not here */
	if (c->h[1] != TPM_RH_NULL)
		return TPM_RC_VALUE | RC_2;	/* bound: not here */
	if (!get_2b(r, &nonce, &nonce_len, MAX_DIGEST))
		return TPM_RC_SIZE | RC_P | RC_1;
	if (!get_2b(r, &salt, &salt_len, 512))
		return TPM_RC_SIZE | RC_P | RC_2;
	if (!get_u8(r, &type))
		return TPM_RC_INSUFFICIENT | RC_P | RC_3;
	if (!get_u16(r, &sym))
		return TPM_RC_INSUFFICIENT | RC_P | RC_4;
	if (!get_u16(r, &hash))
		return TPM_RC_INSUFFICIENT | RC_P | RC_5;
	if (r->left)
		return TPM_RC_SIZE;
	md = hash_md(hash);
	if (nonce_len < 16)
		return TPM_RC_SIZE | RC_P | RC_1;
	if (salt_len)
		return TPM_RC_VALUE | RC_P | RC_2;
	if (type != TPM_SE_POLICY && type != TPM_SE_TRIAL)
		return TPM_RC_VALUE | RC_P | RC_3;	/* HMAC: not here */
	if (sym != TPM_ALG_NULL)
		return TPM_RC_SYMMETRIC | RC_P | RC_4;
	if (!md)
		return TPM_RC_HASH | RC_P | RC_5;
	for (unsigned int i = 0; !s && i < MAX_SESSIONS; i++)
		if (!sessions[i].handle)
			s = &sessions[i];
	if (!s)
		return TPM_RC_SESSION_HANDLES;
	memset(s, 0, sizeof(*s));
	s->md = md;
	s->size = EVP_MD_get_size(md);
	s->trial = type == TPM_SE_TRIAL;
	if (RAND_bytes(s->nonce, s->size) != 1)
		return TPM_RC_FAILURE;
	s->handle = POLICY_SESSION_FIRST + (uint32_t)(s - sessions);
	put_2b(w, s->nonce, s->size);
	c->out_handle = s->handle;
	return TPM_RC_SUCCESS;
}

/*
 * PolicySecret (Part 3, 23.4): after authHandle's authorization,
 * policyDigest = H(H(policyDigest || TPM_CC_PolicySecret || authName) ||
 * policyRef). No cpHashA and no tickets (expiration must be 0 or more);
 * the ticket returned is the NULL ticket.
 */
static uint32_t cmd_policy_secret(struct call *c, struct rd *r, struct wr *w)
{
	struct session *s = c->hs[1];
	const uint8_t *nonce, *cphash, *ref;
	uint16_t nonce_len, cphash_len, ref_len;
	uint8_t buf[MAX_DIGEST + 4 + NAME_BYTES];
	uint32_t exp;
	size_t n;

	if (!s)
		return TPM_RC_HANDLE | RC_2;
	if (!get_2b(r, &nonce, &nonce_len, MAX_DIGEST))
		return TPM_RC_SIZE | RC_P | RC_1;
	if (!get_2b(r, &cphash, &cphash_len, MAX_DIGEST))
		return TPM_RC_SIZE | RC_P | RC_2;
	if (!get_2b(r, &ref, &ref_len, MAX_DIGEST))
		return TPM_RC_SIZE | RC_P | RC_3;
	if (!get_u32(r, &exp))
		return TPM_RC_INSUFFICIENT | RC_P | RC_4;
	if (r->left)
		return TPM_RC_SIZE;
	if (nonce_len && (nonce_len != s->size || memcmp(nonce, s->nonce, s->size)))
		return TPM_RC_NONCE | RC_P | RC_1;
	if (cphash_len)
		return TPM_RC_VALUE | RC_P | RC_2;
	if (exp & 0x80000000U)
		return TPM_RC_VALUE | RC_P | RC_4;

	memcpy(buf, s->digest, s->size);
	be32(buf + s->size, TPM_CC_POLICY_SECRET);
	n = s->size + 4 + entity_name(c, 0, buf + s->size + 4);
	if (!ft_hash(s->md, buf, n, NULL, 0, s->digest) ||
	    !ft_hash(s->md, s->digest, s->size, ref, ref_len, s->digest))
		return TPM_RC_FAILURE;
	put_u16(w, 0);			/* timeout */
	put_u16(w, TPM_ST_AUTH_SECRET);	/* the NULL ticket */
	put_u32(w, TPM_RH_NULL);
	put_u16(w, 0);
	return TPM_RC_SUCCESS;
}

/* ---- ActivateCredential, Quote -------------------------------------------- */

/*
 * ActivateCredential (Part 1, 24; Part 3, 12.5) with an SM2 storage key:
 * Z = x(d * ephemeral point), seed = KDFe(nameAlg, Z, "IDENTITY",
 * ephemeral x, key's x, bits of nameAlg); the blob is the credential
 * wrapped with that seed and bound to the Name of activateHandle.
 */
static uint32_t cmd_activate_credential(struct call *c, struct rd *r,
					struct wr *w)
{
	const struct object *ak = c->obj[0], *ek = c->obj[1];
	const uint8_t *blob, *secret, *px, *py;
	uint16_t blob_len, secret_len, pxlen, pylen, clen;
	uint8_t z[SM2_BYTES], seed[MAX_DIGEST], cred[CRED_MAX];
	size_t len = 0, hsize;
	struct rd s;
	int ret;

	if (!ak)
		return TPM_RC_HANDLE | RC_1;
	if (!is_storage(ek))
		return TPM_RC_TYPE | RC_2;
	if (!get_2b(r, &blob, &blob_len, CRED_MAX))
		return TPM_RC_SIZE | RC_P | RC_1;
	if (!get_2b(r, &secret, &secret_len, 256))
		return TPM_RC_SIZE | RC_P | RC_2;
	if (r->left)
		return TPM_RC_SIZE;
	s.p = secret;
	s.left = secret_len;
	if (!get_2b(&s, &px, &pxlen, SM2_BYTES) ||
	    !get_2b(&s, &py, &pylen, SM2_BYTES) || s.left)
		return TPM_RC_SIZE | RC_P | RC_2;
	ret = ft_sm2_ecdh(ek->d, px, pxlen, py, pylen, z);
	if (ret)
		return ret < 0 ? TPM_RC_FAILURE : TPM_RC_ECC_POINT | RC_P | RC_2;
	hsize = EVP_MD_get_size(ek->md);
	if (!ft_kdfe(ek->md, z, sizeof(z), "IDENTITY", px, pxlen, ek->pub.x,
		     SM2_BYTES, hsize * 8, seed))
		return TPM_RC_FAILURE;
	ret = ft_unwrap(ek->md, seed, hsize, ak->name, ak->name_len, blob,
			blob_len, cred, &len);
	OPENSSL_cleanse(seed, sizeof(seed));
	OPENSSL_cleanse(z, sizeof(z));
	if (ret)
		return ret < 0 ? TPM_RC_FAILURE : TPM_RC_INTEGRITY | RC_P | RC_1;
	/* the credential: a TPM2B_DIGEST, no longer than nameAlg's digest */
	if (len < 2 || (clen = (uint16_t)(cred[0] << 8 | cred[1])) != len - 2 ||
	    clen > hsize)
		return TPM_RC_SIZE | RC_P | RC_1;
	put_2b(w, cred + 2, clen);
	OPENSSL_cleanse(cred, sizeof(cred));
	return TPM_RC_SUCCESS;
}

/* TPMS_CLOCK_INFO: milliseconds since start, no reset or restart, safe. */
static void put_clock(struct wr *w)
{
	struct timespec now;
	uint64_t ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (uint64_t)(now.tv_sec - t_start.tv_sec) * 1000 +
	     (uint64_t)(now.tv_nsec / 1000000) - (uint64_t)(t_start.tv_nsec / 1000000);
	put_u64(w, ms);
	put_u32(w, 0);		/* resetCount */
	put_u32(w, 0);		/* restartCount */
	put_u8(w, 1);		/* safe */
}

/*
 * Quote (Part 3, 18.4) with an SM2 key: TPMS_ATTEST of type
 * TPM_ST_ATTEST_QUOTE, signed with SM2 over SM3(attest), the digest itself
 * as the message (no Z_A). resetCount and restartCount are 0 (faketpm
 * never resets), so there is nothing to obfuscate for keys outside the
 * endorsement hierarchy.
 */
static uint32_t cmd_quote(struct call *c, struct rd *r, struct wr *w)
{
	const struct object *k = c->obj[0];
	static struct wr a;
	const uint8_t *data;
	uint16_t data_len, scheme, hash = TPM_ALG_NULL;
	uint8_t digest[MAX_DIGEST], sr[SM2_BYTES], ss[SM2_BYTES];
	const EVP_MD *md;
	struct pcr_sel ps;
	uint32_t rc;

	if (!k)
		return TPM_RC_HANDLE | RC_1;
	if (!get_2b(r, &data, &data_len, MAX_DIGEST))
		return TPM_RC_SIZE | RC_P | RC_1;
	if (!get_u16(r, &scheme))
		return TPM_RC_INSUFFICIENT | RC_P | RC_2;
	if (scheme != TPM_ALG_NULL && !get_u16(r, &hash))
		return TPM_RC_INSUFFICIENT | RC_P | RC_2;
	rc = parse_pcr_sel(r, &ps, 3);
	if (rc)
		return rc;
	if (r->left)
		return TPM_RC_SIZE;
	if (!(k->pub.attrs & OA_SIGN))
		return TPM_RC_KEY | RC_1;
	if (scheme != TPM_ALG_NULL && (scheme != k->pub.scheme ||
				       hash != k->pub.scheme_hash))
		return TPM_RC_SCHEME | RC_P | RC_2;
	md = hash_md(k->pub.scheme_hash);
	if (!md || !pcr_digest(md, &ps, digest))
		return TPM_RC_FAILURE;

	a.len = 0;
	a.overflow = false;
	put_u32(&a, TPM_GENERATED_VALUE);
	put_u16(&a, TPM_ST_ATTEST_QUOTE);
	put_2b(&a, k->qname, k->name_len);
	put_2b(&a, data, data_len);
	put_clock(&a);
	put_u64(&a, (uint64_t)1 << 32);	/* TPM_PT_FIRMWARE_VERSION_1, _2 */
	put_pcr_sel(&a, &ps);
	put_2b(&a, digest, EVP_MD_get_size(md));
	if (a.overflow || !ft_hash(md, a.b, a.len, NULL, 0, digest) ||
	    !ft_sm2_sign(k->d, digest, EVP_MD_get_size(md), sr, ss))
		return TPM_RC_FAILURE;
	put_2b(w, a.b, a.len);
	put_u16(w, TPM_ALG_SM2);
	put_u16(w, k->pub.scheme_hash);
	put_2b(w, sr, SM2_BYTES);
	put_2b(w, ss, SM2_BYTES);
	return TPM_RC_SUCCESS;
}

/* ---- contexts ------------------------------------------------------------ */

static uint32_t cmd_flush_context(struct call *c, struct rd *r, struct wr *w)
{
	struct object *o;
	struct session *s;
	uint32_t h;

	(void)c;
	(void)w;
	if (!get_u32(r, &h))
		return TPM_RC_INSUFFICIENT | RC_P | RC_1;
	if (r->left)
		return TPM_RC_SIZE;
	o = HT(h) == HT_TRANSIENT ? find_object(h) : NULL;
	s = find_session(h);
	if (o)
		free_object(o);
	else if (s)
		memset(s, 0, sizeof(*s));
	else
		return TPM_RC_HANDLE | RC_P | RC_1;
	return TPM_RC_SUCCESS;
}

/* The wrap's binding of a saved context: its sequence and saved handle. */
static void context_name(uint8_t *name, uint64_t seq, uint32_t handle)
{
	be32(name, (uint32_t)(seq >> 32));
	be32(name + 4, (uint32_t)seq);
	be32(name + 8, handle);
}

/*
 * ContextSave: a session stays in faketpm, saved (its handle reserved)
 * until ContextLoad brings it back, once, at the same handle; an object's
 * context carries the object itself, wrapped with faketpm's context seed.
 * TPMS_CONTEXT: sequence, savedHandle, hierarchy, contextBlob.
 */
static uint32_t cmd_context_save(struct call *c, struct rd *r, struct wr *w)
{
	static struct wr plain;
	struct object *o = c->obj[0];
	struct session *s = c->hs[0];
	uint8_t name[12], blob[PRIVATE_MAX], pb[PRIVATE_MAX];
	uint32_t saved = TRANSIENT_FIRST;
	size_t len, plen;

	if (r->left)
		return TPM_RC_SIZE;
	if (o && HT(o->handle) != HT_TRANSIENT)
		return TPM_RC_HANDLE | RC_1;
	if (!o && !s)
		return TPM_RC_HANDLE | RC_1;
	plain.len = 0;
	plain.overflow = false;
	if (s) {
		saved = s->handle;
		put_u32(&plain, s->handle);
	} else {
		plen = public_bytes(&o->pub, pb);
		put_u32(&plain, o->hierarchy);
		put_2b(&plain, pb, plen);
		put_2b(&plain, o->qname, o->name_len);
		put_2b(&plain, o->auth, o->auth_len);
		put_2b(&plain, o->seed, o->seed_len);
		put_bytes(&plain, o->d, SM2_BYTES);
		if (!plen)
			plain.overflow = true;
	}
	context_seq++;
	context_name(name, context_seq, saved);
	len = plain.overflow ? 0 :
	      ft_wrap(hash_md(TPM_ALG_SM3_256), context_seed,
		      sizeof(context_seed), name, sizeof(name), plain.b,
		      plain.len, blob, sizeof(blob));
	OPENSSL_cleanse(plain.b, plain.len);
	if (!len)
		return TPM_RC_FAILURE;
	if (s) {
		s->saved = true;
		s->seq = context_seq;
	}
	put_u64(w, context_seq);
	put_u32(w, saved);
	put_u32(w, s ? TPM_RH_NULL : o->hierarchy);
	put_2b(w, blob, len);
	return TPM_RC_SUCCESS;
}

/* An object from its saved context's plaintext, into @o. */
static bool unsave_object(const uint8_t *b, size_t len, struct object *o)
{
	struct rd p = { b, len }, raw;
	const uint8_t *v;
	uint16_t n;

	if (!get_u32(&p, &o->hierarchy) || parse_public(&p, &o->pub, 1, &raw) ||
	    check_public(&o->pub, 1) || !set_names(o, NULL, 0))
		return false;
	/* the qualified name as it was: the parent may be gone */
	if (!get_2b(&p, &v, &n, NAME_BYTES) || n != o->name_len)
		return false;
	memcpy(o->qname, v, n);
	if (!get_2b(&p, &v, &o->auth_len, MAX_DIGEST))
		return false;
	memcpy(o->auth, v, o->auth_len);
	if (!get_2b(&p, &v, &o->seed_len, MAX_DIGEST))
		return false;
	memcpy(o->seed, v, o->seed_len);
	if (!get_bytes(&p, &v, SM2_BYTES) || p.left)
		return false;
	memcpy(o->d, v, SM2_BYTES);
	return true;
}

static uint32_t cmd_context_load(struct call *c, struct rd *r, struct wr *w)
{
	uint32_t hi, lo, saved, hier;
	const uint8_t *blob;
	uint16_t blob_len;
	uint8_t name[12], plain[PRIVATE_MAX];
	size_t len = 0;
	struct session *s = NULL;
	struct object *o;
	uint64_t seq;
	int ret;

	(void)w;
	if (!get_u32(r, &hi) || !get_u32(r, &lo) || !get_u32(r, &saved) ||
	    !get_u32(r, &hier))
		return TPM_RC_INSUFFICIENT | RC_P | RC_1;
	if (!get_2b(r, &blob, &blob_len, PRIVATE_MAX))
		return TPM_RC_SIZE | RC_P | RC_1;
	if (r->left)
		return TPM_RC_SIZE;
	seq = (uint64_t)hi << 32 | lo;
	if (saved != TRANSIENT_FIRST) {
		s = find_session(saved);
		if (!s || !s->saved)
			return TPM_RC_HANDLE | RC_P | RC_1;
	}
	context_name(name, seq, saved);
	ret = ft_unwrap(hash_md(TPM_ALG_SM3_256), context_seed,
			sizeof(context_seed), name, sizeof(name), blob,
			blob_len, plain, &len);
	if (ret < 0)
		return TPM_RC_FAILURE;
	if (ret)
		return TPM_RC_INTEGRITY | RC_P | RC_1;
	if (s) {
		/* the last context saved of the session, and only once */
		if (seq != s->seq || len != 4)
			return TPM_RC_INTEGRITY | RC_P | RC_1;
		s->saved = false;
		c->out_handle = s->handle;
		return TPM_RC_SUCCESS;
	}
	o = new_transient();
	if (!o)
		return TPM_RC_OBJECT_MEMORY;
	if (!unsave_object(plain, len, o) || o->hierarchy != hier) {
		OPENSSL_cleanse(plain, sizeof(plain));
		free_object(o);
		return TPM_RC_INTEGRITY | RC_P | RC_1;
	}
	OPENSSL_cleanse(plain, sizeof(plain));
	c->out_handle = o->handle;
	return TPM_RC_SUCCESS;
}

/* ---- NV: there are no indices -------------------------------------------- */

static uint32_t cmd_nv_none(struct call *c, struct rd *r, struct wr *w)
{
	(void)r;
	(void)w;
	/* the index is the last handle: NV_ReadPublic's 1st, NV_Read's 2nd */
	return TPM_RC_HANDLE | RC_N(c->cc == TPM_CC_NV_READ ? 2 : 1);
}

/* ---- the command table and its executor ---------------------------------- */

/*
 * For each command: its handles, how many of them need authorization (the
 * first ones) and in which role (bit i: ADMIN, else USER).
 */
struct cmd_def {
	struct ft_cc cc;
	unsigned int auths;
	unsigned int admin;
	uint32_t (*run)(struct call *c, struct rd *r, struct wr *w);
};

#define CMD(code, name, handles, rhandle, auths, admin, fn) \
	{ { code, name, handles, rhandle }, auths, admin, fn }

static const struct cmd_def cmds[] = {
	CMD(TPM_CC_EVICT_CONTROL, "EvictControl", 2, false, 1, 0,
	    cmd_evict_control),
	CMD(TPM_CC_CREATE_PRIMARY, "CreatePrimary", 1, true, 1, 0,
	    cmd_create_primary),
	CMD(TPM_CC_ACTIVATE_CREDENTIAL, "ActivateCredential", 2, false, 2, 1,
	    cmd_activate_credential),
	CMD(TPM_CC_NV_READ, "NV_Read", 2, false, 1, 0, cmd_nv_none),
	CMD(TPM_CC_POLICY_SECRET, "PolicySecret", 2, false, 1, 0,
	    cmd_policy_secret),
	CMD(TPM_CC_CREATE, "Create", 1, false, 1, 0, cmd_create),
	CMD(TPM_CC_LOAD, "Load", 1, true, 1, 0, cmd_load),
	CMD(TPM_CC_QUOTE, "Quote", 1, false, 1, 0, cmd_quote),
	CMD(TPM_CC_CONTEXT_LOAD, "ContextLoad", 0, true, 0, 0,
	    cmd_context_load),
	CMD(TPM_CC_CONTEXT_SAVE, "ContextSave", 1, false, 0, 0,
	    cmd_context_save),
	CMD(TPM_CC_FLUSH_CONTEXT, "FlushContext", 0, false, 0, 0,
	    cmd_flush_context),
	CMD(TPM_CC_NV_READ_PUBLIC, "NV_ReadPublic", 1, false, 0, 0,
	    cmd_nv_none),
	CMD(TPM_CC_READ_PUBLIC, "ReadPublic", 1, false, 0, 0, cmd_read_public),
	CMD(TPM_CC_START_AUTH_SESSION, "StartAuthSession", 2, true, 0, 0,
	    cmd_start_auth_session),
};

#define NR_CMDS (sizeof(cmds) / sizeof(cmds[0]))
_Static_assert(NR_CMDS == FT_NR_CC, "FT_NR_CC is the size of cmds[]");

static const struct cmd_def *cmd_find(uint32_t cc)
{
	for (unsigned int i = 0; i < NR_CMDS; i++)
		if (cmds[i].cc.cc == cc)
			return &cmds[i];
	return NULL;
}

const struct ft_cc *ft_cc_find(uint32_t cc)
{
	const struct cmd_def *d = cmd_find(cc);

	return d ? &d->cc : NULL;
}

const struct ft_cc *ft_cc_at(unsigned int i)
{
	return i < NR_CMDS ? &cmds[i].cc : NULL;
}

/*
 * The authorization area: password sessions and loaded policy sessions,
 * with none of the decrypt, encrypt or audit attributes.
 */
static uint32_t parse_auths(struct call *c, struct rd *r)
{
	const uint8_t *b;
	uint32_t size, h;
	struct rd a;

	if (!get_u32(r, &size) || size > r->left || size < 9)
		return TPM_RC_AUTHSIZE;
	get_bytes(r, &b, size);
	a.p = b;
	a.left = size;
	while (a.left) {
		struct auth *x = &c->auth[c->nauth];
		uint32_t sn = RC_S | RC_N(c->nauth + 1);

		if (c->nauth == MAX_AUTHS)
			return TPM_RC_AUTHSIZE;
		if (!get_u32(&a, &h) ||
		    !get_2b(&a, &x->nonce, &x->nonce_len, MAX_DIGEST) ||
		    !get_u8(&a, &x->attrs) ||
		    !get_2b(&a, &x->hmac, &x->hmac_len, MAX_DIGEST))
			return TPM_RC_AUTHSIZE;
		if (x->attrs & SA_RESERVED)
			return TPM_RC_RESERVED_BITS | sn;
		if (x->attrs & SA_UNSUPPORTED)
			return TPM_RC_ATTRIBUTES | sn;
		if (h == TPM_RS_PW) {
			if (x->nonce_len)
				return TPM_RC_SIZE | sn;
		} else {
			x->s = find_session(h);
			if (!x->s || x->s->saved)
				return TPM_RC_REFERENCE_S0 + c->nauth;
			if (x->nonce_len < 16)
				return TPM_RC_SIZE | sn;
			for (unsigned int i = 0; i < c->nauth; i++)
				if (c->auth[i].s == x->s)
					return TPM_RC_VALUE | sn;
		}
		c->nauth++;
	}
	return TPM_RC_SUCCESS;
}

/*
 * Session @i authorizes handle @i (Part 1, 19.7-19.8): a password for an
 * entity whose authValue may be used in that role (hierarchies: empty),
 * or a policy session whose digest is the object's authPolicy; a policy
 * for the ADMIN role would need PolicyCommandCode, which faketpm lacks.
 */
static uint32_t authorize(const struct call *c, unsigned int i, bool admin)
{
	const struct auth *a = &c->auth[i];
	const struct object *o = c->obj[i];
	uint32_t sn = RC_S | RC_N(i + 1);
	const uint8_t *auth = o ? o->auth : NULL;
	size_t auth_len = o ? o->auth_len : 0;

	if (!o && !is_hierarchy(c->h[i]))
		return TPM_RC_HANDLE | RC_N(i + 1);
	if (!a->s) {
		if (o && (admin ? o->pub.attrs & OA_ADMIN_WITH_POLICY :
			  !(o->pub.attrs & OA_USER_WITH_AUTH)))
			return TPM_RC_AUTH_UNAVAILABLE;
		if (a->hmac_len != auth_len ||
		    (auth_len && CRYPTO_memcmp(a->hmac, auth, auth_len)))
			return TPM_RC_AUTH_FAIL | sn;
		return TPM_RC_SUCCESS;
	}
	if (!o || !o->pub.policy_len || admin)
		return TPM_RC_AUTH_UNAVAILABLE;
	if (a->s->trial || a->s->md != o->md ||
	    memcmp(a->s->digest, o->pub.policy, o->pub.policy_len))
		return TPM_RC_POLICY_FAIL | sn;
	return TPM_RC_SUCCESS;
}

/*
 * The response HMAC of a policy session (Part 1, 19.6.16):
 * HMAC(sessionKey || authValue, rpHash || nonceTPM || nonceCaller ||
 * sessionAttributes), rpHash = H(responseCode || commandCode || the
 * response parameters). faketpm's sessions are unsalted and unbound (no
 * sessionKey) and have no PolicyAuthValue: the key is empty.
 */
static bool response_hmac(const struct call *c, const struct auth *a,
			  const uint8_t *params, size_t plen, uint8_t *out)
{
	static const uint8_t nokey[1];
	static uint8_t buf[12 + BUF_SIZE + 2 * MAX_DIGEST];
	const struct session *s = a->s;
	unsigned int n;
	size_t len;

	if (plen > BUF_SIZE)
		return false;
	be32(buf, TPM_RC_SUCCESS);
	be32(buf + 4, c->cc);
	memcpy(buf + 8, params, plen);
	if (!ft_hash(s->md, buf, 8 + plen, NULL, 0, buf))
		return false;
	len = s->size;
	memcpy(buf + len, s->nonce, s->size);
	len += s->size;
	memcpy(buf + len, a->nonce, a->nonce_len);
	len += a->nonce_len;
	buf[len++] = a->attrs & SA_CONTINUE;
	return HMAC(s->md, nokey, 0, buf, len, out, &n) && n == s->size;
}

/*
 * The sessions' part of a response, after the parameters (@params, @plen).
 * A policy session that authorized the command starts over (a new
 * nonceTPM, its digest reset) or, without continueSession, ends.
 */
static uint32_t respond_auths(struct call *c, const uint8_t *params,
			      size_t plen, struct wr *w)
{
	uint8_t hmac[MAX_DIGEST];

	for (unsigned int i = 0; i < c->nauth; i++) {
		struct auth *a = &c->auth[i];
		struct session *s = a->s;

		if (!s) {
			put_u16(w, 0);
			put_u8(w, a->attrs & SA_CONTINUE);
			put_u16(w, 0);
			continue;
		}
		if (RAND_bytes(s->nonce, s->size) != 1 ||
		    !response_hmac(c, a, params, plen, hmac))
			return TPM_RC_FAILURE;
		memset(s->digest, 0, sizeof(s->digest));
		put_2b(w, s->nonce, s->size);
		put_u8(w, a->attrs & SA_CONTINUE);
		put_2b(w, hmac, s->size);
		if (!(a->attrs & SA_CONTINUE))
			memset(s, 0, sizeof(*s));
	}
	return TPM_RC_SUCCESS;
}

uint32_t ft_execute(uint32_t cc, bool with_sessions, struct rd *r,
		    struct wr *w)
{
	const struct cmd_def *d = cmd_find(cc);
	size_t handle_off = 0, size_off = 0;
	struct call c;
	uint32_t rc;

	memset(&c, 0, sizeof(c));
	c.cc = cc;
	for (unsigned int i = 0; i < d->cc.handles; i++)
		if (!get_u32(r, &c.h[i]))
			return TPM_RC_COMMAND_SIZE;
	if (with_sessions) {
		rc = parse_auths(&c, r);
		if (rc)
			return rc;
	}
	if (c.nauth < d->auths)
		return TPM_RC_AUTH_MISSING;
	if (c.nauth > d->auths)
		return TPM_RC_AUTH_CONTEXT;	/* audit, encryption: not here */
	rc = resolve(&c, d->cc.handles);
	for (unsigned int i = 0; !rc && i < d->auths; i++)
		rc = authorize(&c, i, d->admin & (1U << i));
	if (rc)
		return rc;
	if (d->cc.rhandle) {
		handle_off = w->len;
		put_u32(w, 0);
	}
	if (with_sessions) {
		size_off = w->len;
		put_u32(w, 0);
	}
	rc = d->run(&c, r, w);
	if (rc)
		return rc;
	if (d->cc.rhandle)
		set_u32(w, handle_off, c.out_handle);
	if (!with_sessions)
		return TPM_RC_SUCCESS;
	set_u32(w, size_off, (uint32_t)(w->len - size_off - 4));
	if (w->overflow)
		return TPM_RC_FAILURE;
	return respond_auths(&c, w->b + size_off + 4, w->len - size_off - 4, w);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * TPM_CAP_HANDLES: the handles of @prop's type from @prop on: transient or
 * persistent objects; for TPM_HT_LOADED_SESSION the loaded sessions, for
 * TPM_HT_SAVED_SESSION (the type of policy sessions) the saved ones. NV
 * indices and the rest: none.
 */
void ft_cap_handles(uint32_t prop, uint32_t count, struct wr *w)
{
	uint32_t h[MAX_TRANSIENT + MAX_PERSISTENT + MAX_SESSIONS];
	unsigned int n = 0, i, out = 0;
	size_t more_off = w->len;

	for (i = 0; HT(prop) == HT_TRANSIENT && i < MAX_TRANSIENT; i++)
		if (transient[i].handle)
			h[n++] = transient[i].handle;
	for (i = 0; HT(prop) == HT_PERSISTENT && i < MAX_PERSISTENT; i++)
		if (persistent[i].handle)
			h[n++] = persistent[i].handle;
	for (i = 0; i < MAX_SESSIONS; i++)
		if (sessions[i].handle &&
		    HT(prop) == (sessions[i].saved ? HT_POLICY_SESSION :
				 HT_LOADED_SESSION))
			h[n++] = sessions[i].handle;
	qsort(h, n, sizeof(h[0]), cmp_u32);
	put_u8(w, 0);
	put_u32(w, 1);		/* TPM_CAP_HANDLES */
	put_u32(w, 0);
	for (i = 0; i < n; i++) {
		if (h[i] < prop)
			continue;
		if (out == count) {
			w->b[more_off] = 1;
			break;
		}
		put_u32(w, h[i]);
		out++;
	}
	set_u32(w, more_off + 5, out);
}
