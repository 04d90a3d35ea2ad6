/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Large buffers that a thread reuses from one call to the next. A verifier
 * judges one bundle after another; what malloc() hands back to the kernel
 * between two of them is faulted in again, page by page, on the next one
 * (a tenth of a verification's time on a 2,000-entry bundle). Each thread
 * keeps up to VT_SCRATCH_KEEP bytes of freed buffers, in at most
 * VT_SCRATCH_SLOTS of them, and frees them when it exits.
 */
#ifndef VTRUST_SCRATCH_H
#define VTRUST_SCRATCH_H

#include <stddef.h>

#define VT_SCRATCH_KEEP		(32u << 20)
#define VT_SCRATCH_SLOTS	8
#define VT_SCRATCH_MIN		(32u << 10)	/* smaller ones: malloc() */

/* A buffer of at least @size bytes (NULL: out of memory). */
void *vt_scratch_alloc(size_t size);
/* Give it back (NULL: nothing): kept for this thread, or freed. */
void vt_scratch_free(void *p);
/* Free what this thread keeps (also done when it exits). */
void vt_scratch_release(void);

#endif /* VTRUST_SCRATCH_H */
