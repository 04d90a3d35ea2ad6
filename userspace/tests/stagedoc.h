/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For tests of the baseline index: a document with only what the index
 * reads, the two runtime stages' component sets.
 */
#ifndef VTRUST_TESTS_STAGEDOC_H
#define VTRUST_TESTS_STAGEDOC_H

#include <json-c/json.h>

#include "compset.h"

/* {"stages": {"ima": {"components": @ima}, "vtrust": {...: @vt}}}; takes
 * both sets */
static inline json_object *stage_doc(struct vt_compset *ima,
				     struct vt_compset *vt)
{
	json_object *doc = json_object_new_object();
	json_object *stages = json_object_new_object();
	json_object *a = json_object_new_object();
	json_object *b = json_object_new_object();

	json_object_object_add(a, "components", vt_compset_json(ima));
	json_object_object_add(b, "components", vt_compset_json(vt));
	json_object_object_add(stages, "ima", a);
	json_object_object_add(stages, "vtrust", b);
	json_object_object_add(doc, "stages", stages);
	return doc;
}

#endif
