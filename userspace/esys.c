// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Opening the TPM through tpm2-tss; see esys.h.
 */
#include <stdio.h>
#include <stdlib.h>

#include "esys.h"
#include "util.h"
#include "vtrust.h"

int vt_esys_open(TSS2_TCTI_CONTEXT **tcti, ESYS_CONTEXT **esys, char *where,
		 size_t size)
{
	const char *conf = getenv("TPM2TOOLS_TCTI");
	TSS2_RC rc;

	*tcti = NULL;
	*esys = NULL;
	if (!conf || !conf[0])
		conf = getenv("TCTI");
	if (conf && !conf[0])
		conf = NULL;
	/* tpm2-tss logs its failures itself unless told not to */
	setenv("TSS2_LOG", "all+NONE", 0);
	snprintf(where, size, "tpm2-tss (%s)", conf ? conf : "default TCTI");
	rc = Tss2_TctiLdr_Initialize(conf, tcti);
	if (rc != TSS2_RC_SUCCESS) {
		vt_err(where, "cannot open the TPM (TCTI error 0x%x)", rc);
		*tcti = NULL;
		return VT_EXIT_SYSTEM;
	}
	rc = Esys_Initialize(esys, *tcti, NULL);
	if (rc != TSS2_RC_SUCCESS) {
		vt_err(where, "the TPM does not answer (error 0x%x)", rc);
		*esys = NULL;
		vt_esys_close(tcti, esys);
		return VT_EXIT_SYSTEM;
	}
	return 0;
}

void vt_esys_close(TSS2_TCTI_CONTEXT **tcti, ESYS_CONTEXT **esys)
{
	if (*esys)
		Esys_Finalize(esys);
	if (*tcti)
		Tss2_TctiLdr_Finalize(tcti);
	*esys = NULL;
	*tcti = NULL;
}
