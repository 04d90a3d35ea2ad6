# SPDX-License-Identifier: GPL-2.0-or-later
# Included by the Makefile of each single test module (fw/, slow/, key/):
# build the module in that directory against KDIR, which defaults to the
# newest installed kernel build tree.
KDIR ?= $(lastword $(sort $(wildcard /lib/modules/*/build)))

.PHONY: all clean
all:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
