// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the evidence bundle (evidence.c) and what the
 * verifier does with its logs (appraise.c, included whole for its static
 * replay step; memfs.c). The input is:
 *
 *  - decoded as base64: an accepted string must re-encode to itself (one
 *    encoding per byte string), and the AVX2 decoder must give what the
 *    portable one gives;
 *  - parsed as a bundle: a refusal must say why; an accepted bundle's logs
 *    are replayed, from memory, against the PCR values it claims, as if a
 *    quote had vouched for them (so that the fuzzer reaches the replay
 *    without forging a signature), and the verdict is built as JSON;
 *  - judged whole by vt_appraise() with a fixed AK (the quote checks fail:
 *    no input carries a signature of that key).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "../appraise.c"

static void base64_roundtrip(const uint8_t *data, size_t size)
{
	uint8_t *out = malloc(size / 4 * 3 + 1), *ref = malloc(size / 4 * 3 + 1);
	char *again;
	long n;

	if (!out || !ref) {
		free(out);
		free(ref);
		return;
	}
	n = vt_base64_decode((const char *)data, size, out);
	if (n != vt_base64_decode_portable((const char *)data, size, ref) ||
	    (n > 0 && memcmp(out, ref, n)))
		abort();
	free(ref);
	if (n >= 0) {
		again = malloc(size + 1);
		if (again) {
			EVP_EncodeBlock((unsigned char *)again, out, n);
			if (strlen(again) != size || memcmp(again, data, size))
				abort();
			free(again);
		}
	}
	free(out);
}

static void replay_claimed(const char *text, size_t size)
{
	struct vt_evidence *ev = NULL;
	struct vt_appraisal a;
	json_object *j;
	char why[192] = "";

	if (vt_evidence_parse(text, size, &ev, why, sizeof(why))) {
		if (!why[0])
			abort();
		return;
	}
	memset(&a, 0, sizeof(a));
	a.result = "fuzz";
	memcpy(&a.quote.covered, &ev->pcrs, sizeof(ev->pcrs));
	replay(ev, &(struct vt_appraise_opts){ 0 }, &a);
	j = vt_appraisal_json(&a);
	json_object_put(j);
	vt_appraisal_free(&a);
	vt_evidence_free(ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t nonce[4] = { 1, 2, 3, 4 };
	/* a zeroed AK: ak-attributes and signature fail for every input,
	 * the parsers before them run */
	static const struct vt_tpm_public ak;
	struct vt_appraise_opts o = {
		.nonce = nonce, .nonce_len = sizeof(nonce), .ak = &ak,
	};
	struct vt_appraisal a;

	base64_roundtrip(data, size);
	replay_claimed((const char *)data, size);
	vt_appraise((const char *)data, size, &o, &a);
	vt_appraisal_free(&a);
	return 0;
}
