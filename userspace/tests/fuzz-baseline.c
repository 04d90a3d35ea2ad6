// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the baseline loader: the input is a baseline file.
 * Whatever it holds, vt_baseline_parse() must either accept it (then the
 * document passes the schema and its checksum is right) or reject it with
 * a reason; an accepted document must serialize, and parse again.
 *
 * The input is also a name for the storage escape (names.h): escaped to
 * the limits of names and of user names, it must be a string the loader
 * takes, and one that was not cut must unescape to the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_name(const uint8_t *data, size_t size, size_t max)
{
	static char out[VT_NAME_MAX + 1];
	static uint8_t back[VT_NAME_MAX + 1];
	size_t n, blen;
	bool cut;
	int ret;

	n = vt_name_escape(data, size, out, max, &cut);
	if (n > max || n != strlen(out) || !vt_name_valid(out, n, max))
		abort();
	ret = vt_name_unescape(out, n, back, &blen);
	if (ret != (cut ? 1 : 0) || blen > size || memcmp(back, data, blen) ||
	    (!cut && blen != size))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1), why[512], sum[80];
	json_object *doc = NULL, *again = NULL;
	const char *out;

	check_name(data, size, VT_NAME_MAX);
	check_name(data, size, VT_USER_MAX);
	memcpy(text, data, size);
	why[0] = '\0';
	if (vt_baseline_parse(text, size, &doc, why, sizeof(why))) {
		if (!why[0] || doc)
			abort();
		free(text);
		return 0;
	}
	/* accepted: put the checksum back and load it again */
	if (vt_baseline_checksum(doc, sum, sizeof(sum)))
		abort();
	json_object_object_add(doc, "checksum", json_object_new_string(sum));
	out = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!out || vt_baseline_parse(out, strlen(out), &again, why,
				      sizeof(why)))
		abort();
	json_object_put(again);
	json_object_put(doc);
	free(text);
	return 0;
}
