# SPDX-License-Identifier: GPL-2.0-or-later
# vtrust top-level Makefile.
#
#   make deps    install every Debian package the build and tests need
#   make         build kernel/vtrust.ko, userspace/vtrust and the test tools
#   make kernels build vtrust.ko and the test modules for the other
#                installed kernels, into build/kernels/<release>/
#   make check   deps, build, unit tests, packages (deb, lintian, DKMS,
#                install), guest tests
#   make demo    the main flow in a UEFI guest: baseline, trusted, a change, accept,
#                judged in the guest and by vtrustd
#   make bench   run the benchmarks (see BENCHMARKS.md)
#   make kunit   the KUnit suites of the pure files (UML, scripts/kunit)
#   make debug-kernel  build (once, cached) the debug guest kernel
#   make stress  10000 stress cycles in the debug kernel (STRESS_CYCLES=)
#   make fuzz-long  every fuzz target for FUZZ_LONG_SECONDS in all (3600),
#                new inputs merged into the corpora under tests/
#   make style   checkpatch --strict and clang-format on kernel/
#   make install the product: vtrust.ko (for KVER, under updates/), the
#                command, vtrustd, ima-policy-load, man pages, units,
#                completion, policies, the initramfs-tools hook and
#                /etc/modprobe.d/vtrust.conf (PREFIX=/usr/local DESTDIR=)
#   make uninstall  removes them
#   make deb     the Debian packages (vtrust-dkms, vtrust, vtrustd) into
#                build/deb/, checked by lintian

KVER ?= $(shell scripts/default-kver)
KDIR ?= /lib/modules/$(KVER)/build
LINUX_SRC_TAR ?= /usr/src/linux-source-6.1.tar.xz
TOOLS_DIR ?= $(CURDIR)/build/linux-tools

DEB_PACKAGES := linux-image-amd64 linux-headers-amd64 qemu-system-x86 \
	swtpm swtpm-tools tpm2-tools busybox-static ima-evm-utils cpio kmod \
	libcmocka-dev build-essential libssl-dev libjson-c-dev libkmod-dev \
	libtss2-dev pkg-config linux-source-6.1 xz-utils clang-format \
	keyutils openssl python3 perl clang-14 libclang-rt-14-dev zstd ovmf \
	kexec-tools libbpf-dev libelf-dev zlib1g-dev libsqlite3-dev libpq-dev libmicrohttpd-dev \
	libcurl4-openssl-dev socat chromium chromium-driver \
	postgresql groff-base \
	debhelper dh-dkms dkms lintian fakeroot \
	mmdebstrap dosfstools mtools fdisk qemu-utils grub-efi-amd64-bin \
	flex bison bc dwarves

# The other kernels vtrust is built and smoke-tested for (Debian 12's cloud
# flavour and 6.12): `make deps` installs them, `make kernels` builds for
# every installed kernel with headers other than the default one.
DEB_PACKAGES += linux-image-cloud-amd64 linux-headers-cloud-amd64 \
	linux-image-6.12-amd64 linux-headers-6.12-amd64
KERNELS ?= $(filter-out $(KVER),$(patsubst /lib/modules/%/build,%,\
	$(wildcard /lib/modules/*/build))) \
	$(shell scripts/debug-kernel --release 2>/dev/null)

KERNEL_SRC = $(filter-out %.mod.c,$(wildcard kernel/*.c kernel/*.h))

.PHONY: all module userspace tests-build deps check unit guest-test demo \
	kunit debug-kernel stress fuzz-long \
	bench style clean install uninstall userspace-product fuzz kernels deb \
	package-check install-module install-files dkms-check install-check

all: module userspace tests-build

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	$(MAKE) -C userspace

tests-build: module
	$(MAKE) -C tests KDIR=$(KDIR)

kernels:
	scripts/build-kernels $(KERNELS)

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "deps: installing$$(echo $$missing | sed 's/^/ /')"; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $$missing; \
	else echo "deps: all $(words $(DEB_PACKAGES)) packages installed"; fi

check: deps
	$(MAKE) all
	$(MAKE) kernels
	$(MAKE) unit
	$(MAKE) package-check
	$(MAKE) guest-test

unit:
	scripts/check-spdx
	scripts/kunit
	tests/scripts/test-ovmf-vars.py
	$(MAKE) -C tests unit
	$(MAKE) -C tests/fuzz check
	$(MAKE) -C userspace check
	$(MAKE) -C userspace fuzz-check

fuzz:
	$(MAKE) -C tests/fuzz fuzz
	$(MAKE) -C userspace fuzz

kunit:
	scripts/kunit

FUZZ_LONG_SECONDS ?= 3600
fuzz-long:
	$(MAKE) -C tests/fuzz all
	$(MAKE) -C userspace fuzz-build
	scripts/fuzz-long $(FUZZ_LONG_SECONDS)

# The debug kernel is not part of `make check`'s build (about 35 minutes on two
# cores): built here once, it is cached outside the tree, and `make check`
# then builds vtrust for it (make kernels) and runs tests/guest/t-debug.sh.
debug-kernel: deps
	scripts/debug-kernel
	$(MAKE) kernels

STRESS_CYCLES ?= 10000
stress: deps
	$(MAKE) all kernels
	VT_STRESS_CYCLES=$(STRESS_CYCLES) VT_DEBUG_ONLY_STRESS=1 tests/guest/t-debug.sh

guest-test:
	tests/guest/run-all

demo: deps
	$(MAKE) all
	scripts/demo

bench: deps
	$(MAKE) all
	bench/run

$(TOOLS_DIR)/checkpatch.pl:
	mkdir -p $(TOOLS_DIR)
	tar -xJf $(LINUX_SRC_TAR) -C $(TOOLS_DIR) --strip-components=1 \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch' '*/.clang-format'
	cp $(TOOLS_DIR)/scripts/* $(TOOLS_DIR)/

# kernel/compat.h is where the version tests and the parameter-list macros
# belong: checkpatch's complaints about those are expected there only.
style: $(TOOLS_DIR)/checkpatch.pl
	$(TOOLS_DIR)/checkpatch.pl --no-tree --strict --terse \
		--ignore SPDX_LICENSE_TAG -f $(filter-out kernel/compat.h,$(KERNEL_SRC))
	$(TOOLS_DIR)/checkpatch.pl --no-tree --strict --terse \
		--ignore SPDX_LICENSE_TAG,LINUX_VERSION_CODE,CONSTANT_COMPARISON,COMPLEX_MACRO \
		-f kernel/compat.h
	for f in $(KERNEL_SRC); do \
		clang-format --style=file:$(TOOLS_DIR)/.clang-format $$f | \
		diff -u $$f - || exit 1; done

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/vtrust
INITRAMFS_DIR ?= /usr/share/initramfs-tools
MODPROBE_DIR ?= /etc/modprobe.d
# The product beside the module and userspace's (DESTDIR-relative).
INSTALLED = $(SBINDIR)/ima-policy-load $(MANDIR)/man8/ima-policy-load.8 \
	    $(MANDIR)/man4/vtrust.4 $(INITRAMFS_DIR)/hooks/vtrust \
	    $(INITRAMFS_DIR)/scripts/init-top/00vtrust \
	    $(MODPROBE_DIR)/vtrust.conf \
	    $(addprefix $(DATADIR)/ima-policy/,$(notdir $(wildcard ima-policy/*)))

# The product only: no test module, tool or guest image is built.
install: install-module install-files

install-module: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=updates $(if $(DESTDIR),DEPMOD=/bin/true) \
		modules_install

# everything but the module (the Debian packages take these; DKMS builds
# the module)
install-files: userspace-product
	$(MAKE) -C userspace install PREFIX=$(PREFIX)
	install -D -m 0755 scripts/ima-policy-load $(DESTDIR)$(SBINDIR)/ima-policy-load
	install -D -m 0644 scripts/ima-policy-load.8 $(DESTDIR)$(MANDIR)/man8/ima-policy-load.8
	install -D -m 0644 kernel/vtrust.4 $(DESTDIR)$(MANDIR)/man4/vtrust.4
	install -d $(DESTDIR)$(INITRAMFS_DIR)/hooks
	sed 's|@SBINDIR@|$(SBINDIR)|g' scripts/initramfs/hook \
		> $(DESTDIR)$(INITRAMFS_DIR)/hooks/vtrust
	chmod 0755 $(DESTDIR)$(INITRAMFS_DIR)/hooks/vtrust
	install -D -m 0755 scripts/initramfs/init-top \
		$(DESTDIR)$(INITRAMFS_DIR)/scripts/init-top/00vtrust
	install -D -m 0644 scripts/vtrust.modprobe.conf $(DESTDIR)$(MODPROBE_DIR)/vtrust.conf
	install -d $(DESTDIR)$(DATADIR)/ima-policy
	install -m 0644 ima-policy/* $(DESTDIR)$(DATADIR)/ima-policy/

userspace-product:
	$(MAKE) -C userspace vtrust vtrustd

uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KVER)/updates/kernel/vtrust.ko*
	$(MAKE) -C userspace uninstall PREFIX=$(PREFIX)
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(DESTDIR)$(DATADIR)/ima-policy $(DESTDIR)$(DATADIR)
	$(if $(DESTDIR),,depmod $(KVER))

# The Debian packages, built from the tree's files (tracked and new, not
# ignored) in build/deb/, their version checked against kernel/version.h,
# then lintian (errors and warnings fail; debian/*.lintian-overrides say
# what is accepted and why).
VERSION := $(shell sed -n 's/^\#define VTRUST_VERSION "\(.*\)"$$/\1/p' kernel/version.h)
DEB_DIR = build/deb
deb:
	@v=$$(dpkg-parsechangelog -S Version); [ "$${v%-*}" = "$(VERSION)" ] || { \
		echo "deb: debian/changelog has $$v, kernel/version.h $(VERSION)" >&2; \
		exit 1; }
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/vtrust-$(VERSION)
	git ls-files -z --cached --others --exclude-standard | \
		xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' sh | \
		tar --null -T - -cf - | tar -xf - -C $(DEB_DIR)/vtrust-$(VERSION)
	cd $(DEB_DIR)/vtrust-$(VERSION) && dpkg-buildpackage -us -uc -b \
		> ../build.log 2>&1 || { tail -40 ../build.log; exit 1; }
	lintian --fail-on error,warning --info $(DEB_DIR)/*.changes
	@ls -l $(DEB_DIR)/*.deb

# `dkms status` and the module DKMS builds, for every kernel with headers
dkms-check:
	scripts/dkms-check

# `make install DESTDIR=` installs exactly the product's files
install-check:
	scripts/install-check

package-check: deb dkms-check install-check

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C userspace clean
	-$(MAKE) -C tests clean
	rm -rf build
