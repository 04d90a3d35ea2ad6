# vtrust top-level Makefile.
#
#   make deps    install every Debian package the build and tests need
#   make         build kernel/vtrust.ko, userspace/vtrust and the test tools
#   make kernels build vtrust.ko and the test modules for the other
#                installed kernels, into build/kernels/<release>/
#   make check   deps, build, unit tests, guest tests
#   make demo    the main flow in a UEFI guest: baseline, trusted, a change, accept,
#                judged in the guest and by vtrustd
#   make bench   run the benchmarks (see BENCHMARKS.md)
#   make style   checkpatch --strict and clang-format on kernel/

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
	postgresql

# The other kernels vtrust is built and smoke-tested for (Debian 12's cloud
# flavour and 6.12): `make deps` installs them, `make kernels` builds for
# every installed kernel with headers other than the default one.
DEB_PACKAGES += linux-image-cloud-amd64 linux-headers-cloud-amd64 \
	linux-image-6.12-amd64 linux-headers-6.12-amd64
KERNELS ?= $(filter-out $(KVER),$(patsubst /lib/modules/%/build,%,\
	$(wildcard /lib/modules/*/build)))

KERNEL_SRC = $(filter-out %.mod.c,$(wildcard kernel/*.c kernel/*.h))

.PHONY: all module userspace tests-build deps check unit guest-test demo \
	bench style clean install fuzz kernels

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
	$(MAKE) guest-test

unit:
	$(MAKE) -C tests unit
	$(MAKE) -C tests/fuzz check
	$(MAKE) -C userspace check
	$(MAKE) -C userspace fuzz-check

fuzz:
	$(MAKE) -C tests/fuzz fuzz
	$(MAKE) -C userspace fuzz

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

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	$(MAKE) -C userspace install

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C userspace clean
	-$(MAKE) -C tests clean
	rm -rf build
