# kjump: one non-recursive Makefile.
#
#   make                 build/kjump
#   make STATIC=1        build/static/kjump (static glibc; what the VM images carry)
#   make SANITIZE=1      build/san/kjump and unit tests with ASan+UBSan
#   make check           unit tests, fuzz smoke runs, VM suite (installs deps)
#   make bootloader      build/bootloader/: kernel + initramfs running kjump menu
#   make demo            boots the boot loader in QEMU; its menu boots a disk's entry
#   make install PREFIX=/usr/local DESTDIR=
#
# Sources are found by wildcard: a new src/**/*.c file or tests/unit/test_*.c
# needs no edit here. Sub-parts with their own flags (purgatory, probe, fuzz,
# bench) live in their own *.mk fragments, included below.

CC       ?= cc
PREFIX   ?= /usr/local
# The architecture kjump loads kernels for: the compiler's target unless
# given (make ARCH=arm64 cross-builds with CROSS, default
# aarch64-linux-gnu-). One src/arch/$(ARCH)/ is built in.
HOST_ARCH := $(shell $(CC) -dumpmachine 2>/dev/null | cut -d- -f1)
ARCH     ?= $(patsubst aarch64,arm64,$(HOST_ARCH))
BUILD    ?= build
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

ifeq ($(SANITIZE),1)
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

# Every src/ file except the other architectures' src/arch/<arch>/.
LIB_SRC  := $(sort $(filter-out src/cli/main.c src/arch/%,\
		$(shell find src -name '*.c')) \
	    $(wildcard src/arch/*.c src/arch/$(ARCH)/*.c))
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
	$(CC) $(CFLAGS) $(LDSTATIC) -o $@ $^ $(LDLIBS)

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

install: $(OUT)/kjump probe
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/kjump
	install -m 0755 $(OUT)/kjump $(DESTDIR)$(PREFIX)/sbin/kjump
	install -m 0644 $(BUILD)/probe/probe.elf \
		$(DESTDIR)$(PREFIX)/share/kjump/probe.elf
	ln -sf kjump $(DESTDIR)$(PREFIX)/sbin/kexec

format:
	find src tests purgatory probe -name '*.[ch]' | xargs clang-format -i

clean:
	rm -rf $(BUILD)

-include $(sort $(wildcard purgatory/*.mk probe/*.mk tests/fuzz/*.mk bench/*.mk \
	tools/*.mk))
-include $(LIB_OBJ:.o=.d) $(OUT)/obj/src/cli/main.d
