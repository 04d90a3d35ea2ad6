/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Opening the TPM through tpm2-tss: ESAPI over the TCTI that tctildr loads
 * ($TPM2TOOLS_TCTI or $TCTI, e.g. "device:/dev/tpmrm0" or
 * "swtpm:port=2321"; without either, tctildr's default search).
 */
#ifndef VTRUST_ESYS_H
#define VTRUST_ESYS_H

#include <stddef.h>

#include <tss2/tss2_esys.h>
#include <tss2/tss2_tctildr.h>

/*
 * Open ESAPI: *tcti and *esys, and "tpm2-tss (<TCTI>)" into @where for
 * messages. Returns 0, or prints why and returns VT_EXIT_SYSTEM (nothing
 * left open).
 */
int vt_esys_open(TSS2_TCTI_CONTEXT **tcti, ESYS_CONTEXT **esys, char *where,
		 size_t size);

/* Close what vt_esys_open() opened (either may be NULL). */
void vt_esys_close(TSS2_TCTI_CONTEXT **tcti, ESYS_CONTEXT **esys);

#endif /* VTRUST_ESYS_H */
