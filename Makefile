# kjump: one non-recursive Makefile.
#
#   make                 build/kjump
#   make STATIC=1        build/static/kjump (static glibc; what the VM images carry)
#   make SANITIZE=1      build/san/kjump and unit tests with ASan+UBSan
#   make check           unit tests, fuzz smoke runs, VM suite (installs deps)
#   make bootloader      build/bootloader/: kernel + initramfs running kjump menu
#   make demo            boots the boot loader in QEMU; its menu boots a disk's entry
#   make install PREFIX=/usr/local DESTDIR=
#   make doc             man pages and shell completions (tools/doc.mk)
#   make deb             Debian packages kjump and kjump-kexec (tools/deb.mk)
#
# Sources are found by wildcard: a new src/**/*.c file or tests/unit/test_*.c
# needs no edit here. Sub-parts with their own flags (purgatory, probe, fuzz,
# bench) live in their own *.mk fragments, included below.

CC       ?= cc
PREFIX   ?= /usr/local
BUILD    ?= build
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

# The architecture kjump loads kernels for, and so the one src/arch/ARCH/
# built in: the compiler's target unless given. `make ARCH=arm64` on an
# x86_64 machine cross-builds with Debian's aarch64-linux-gnu-gcc (or
# `make CROSS=aarch64-linux-gnu-`), statically, into build/arm64/.
dumparch  = $(patsubst aarch64,arm64,$(shell $(1) -dumpmachine 2>/dev/null | cut -d- -f1))
HOST_ARCH := $(call dumparch,cc)
ifdef CROSS
CC       := $(CROSS)gcc
AR       := $(CROSS)ar
endif
ifeq ($(origin ARCH),undefined)
ARCH     := $(call dumparch,$(CC))
endif
ifneq ($(ARCH),$(call dumparch,$(CC)))
CROSS    := $(if $(filter arm64,$(ARCH)),aarch64,$(ARCH))-linux-gnu-
CC       := $(CROSS)gcc
AR       := $(CROSS)ar
endif

ifneq ($(ARCH),$(HOST_ARCH))
OUT      := $(BUILD)/$(ARCH)
SANFLAGS :=
LDSTATIC := -static
# Headers and libraries Debian cannot install side by side with the
# host's (libfdt-dev), extracted by tools/deps (tools/fetch-deb PKG:ARCH).
CROSS_ROOT ?= $(or $(KJ_CACHE),$(BUILD)/cache)/$(ARCH)/libfdt-dev
CPPFLAGS += $(if $(wildcard $(CROSS_ROOT)/usr/include),-I$(CROSS_ROOT)/usr/include)
LDFLAGS  += $(foreach d,$(wildcard $(CROSS_ROOT)/usr/lib/*-linux-gnu),-L$(d))
else ifeq ($(SANITIZE),1)
OUT      := $(BUILD)/san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	    -fno-omit-frame-pointer
else ifeq ($(STATIC),1)
OUT      := $(BUILD)/static
SANFLAGS :=
LDSTATIC := -static
else
OUT      := $(BUILD)
SANFLAGS :=
endif

WARN     := -Wall -Wextra -Werror -Wno-unused-parameter
CPPFLAGS += -Isrc -D_GNU_SOURCE -DKJ_VERSION=\"$(VERSION)\" \
	    -DKJ_DATADIR=\"$(PREFIX)/share/kjump\"
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 $(WARN) $(SANFLAGS) -MMD -MP
LDLIBS   += -lzstd -llzma -lz -lfdt -lblkid -luuid

# Every src/ file, but of another architecture's src/arch/<arch>/ only its
# own modules: its arch.c and purgatory_segment.c (which define the
# kj_arch_* interface) and its embedded purgatory (.S) are built only for
# that architecture. So every arch's device tree, zero page and memory
# map code builds, and is unit-tested, on any host.
ARCH_ADAPTERS := $(filter-out src/arch/$(ARCH)/%,\
		$(wildcard src/arch/*/arch.c src/arch/*/purgatory_segment.c))
LIB_SRC  := $(sort $(filter-out src/cli/main.c $(ARCH_ADAPTERS),\
		$(shell find src -name '*.c')))
LIB_OBJ  := $(LIB_SRC:%.c=$(OUT)/obj/%.o)
LIB_ASM  := $(sort $(wildcard src/arch/$(ARCH)/*.S))
LIB_OBJ  += $(LIB_ASM:%.S=$(OUT)/obj/%.o)
LIBKJ    := $(OUT)/libkjump.a

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(OUT)/tests/%)

.PHONY: all unit check demo bench fuzz install clean format deps-check \
	deps-demo vm bootloader
.DEFAULT_GOAL := all

all: $(OUT)/kjump

$(OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(OUT)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(SANFLAGS) -c -o $@ $<

$(LIBKJ): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(OUT)/kjump: $(OUT)/obj/src/cli/main.o $(LIBKJ)
	$(CC) $(CFLAGS) $(LDFLAGS) $(LDSTATIC) -o $@ $^ $(LDLIBS)

$(OUT)/tests/%: tests/unit/%.c $(LIBKJ) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) -o $@ $< $(LIBKJ) \
		-lcmocka $(LDLIBS)

unit: $(UNIT_BIN)
	tools/run-unit $(UNIT_BIN)

check:
	tools/deps check
	tools/check

demo:
	tools/deps demo
	tools/demo

# By the FHS: the program in sbin, the probe payloads (x86 kernels, not
# data) in lib/kjump; tools/doc.mk adds the man pages and completions.
install: $(OUT)/kjump probe
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/lib/kjump
	install -m 0755 $(OUT)/kjump $(DESTDIR)$(PREFIX)/sbin/kjump
	install -m 0644 $(BUILD)/probe/probe.elf $(BUILD)/probe/probe64.elf \
		$(BUILD)/probe/probe-aout.bin $(BUILD)/probe/probe.elf.gz \
		$(DESTDIR)$(PREFIX)/lib/kjump/
	ln -sf kjump $(DESTDIR)$(PREFIX)/sbin/kexec

format:
	find src tests purgatory probe -name '*.[ch]' | xargs clang-format -i

clean:
	rm -rf $(BUILD)

-include $(sort $(wildcard purgatory/*.mk probe/*.mk tests/fuzz/*.mk bench/*.mk \
	tools/*.mk))
-include $(LIB_OBJ:.o=.d) $(OUT)/obj/src/cli/main.d
