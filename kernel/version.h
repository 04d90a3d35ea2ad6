/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The version of vtrust: the module (MODULE_VERSION, the status file), the
 * vtrust command and vtrustd (userspace/vtrust.h includes this file), and
 * the packages (debian/changelog's must be the same: `make deb` checks).
 */
#ifndef VTRUST_VERSION_H
#define VTRUST_VERSION_H

#define VTRUST_VERSION "0.2.0"

#endif /* VTRUST_VERSION_H */
