# arm64 purgatory: freestanding, position-independent flat blob, built
# with the cross compiler on any host (purgatory/arm64/README.md).
#
#   make purgatory-arm64          build/purgatory/arm64/purgatory.bin
#   make purgatory-arm64-harness  what tests/vm/test_purgatory_arm64.py
#                                 boots (build/purgatory/arm64-tests/)
#
# C is -mgeneral-regs-only -mstrict-align (before its identity map is up,
# and when it falls back, it runs with the MMU off, where all memory is
# Device memory and an unaligned access faults). The link is -pie and
# must leave no run-time relocations (checked below). An arm64 build of
# libkjump embeds the blob through src/arch/arm64/purgatory_blob.S; other
# builds do not need the cross compiler at all.

PURG64_CROSS   ?= aarch64-linux-gnu-
PURG64_CC      ?= $(PURG64_CROSS)gcc
PURG64_LD      ?= $(PURG64_CROSS)ld
PURG64_OBJCOPY ?= $(PURG64_CROSS)objcopy
PURG64_READELF ?= $(PURG64_CROSS)readelf
PURG64_DIR     := $(BUILD)/purgatory/arm64
PURG64_BIN     := $(PURG64_DIR)/purgatory.bin
PURG64_ELF     := $(PURG64_DIR)/purgatory.elf
PURG64_CFLAGS  := -std=gnu11 $(WARN) -O2 -g -ffreestanding -fno-builtin \
		  -fno-stack-protector -mgeneral-regs-only -mstrict-align \
		  -mbranch-protection=none -fpie -fvisibility=hidden \
		  -fno-asynchronous-unwind-tables -fno-unwind-tables \
		  -fno-jump-tables -fno-tree-loop-distribute-patterns -MMD -MP
PURG64_CPP     := -Isrc -Ipurgatory/arm64
PURG64_SRC     := purgatory/arm64/entry.S purgatory/arm64/purgatory.c \
		  purgatory/arm64/mmu.c purgatory/arm64/serial.c \
		  purgatory/arm64/string.c src/core/sha256.c \
		  src/core/sha256_x8.c src/core/sha256_list.c \
		  src/core/xxh64.c src/core/segment_digest.c
PURG64_OBJ     := $(patsubst %,$(PURG64_DIR)/obj/%.o,$(basename $(PURG64_SRC)))

$(PURG64_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(PURG64_CC) $(PURG64_CPP) $(PURG64_CFLAGS) -c -o $@ $<

# Digest code reads only segment memory, which is page-aligned, so its
# 8-byte loads are aligned even with the MMU off; with -mstrict-align the
# compiler splits each into eight byte loads. Measured in the purgatory
# under TCG: XXH64 (issue 14's default, src/core/xxh64.c) 0.25 GB/s with,
# 3.9 GB/s without; SHA-256 is compute-bound (0.15 GB/s either way).
$(PURG64_DIR)/obj/src/core/xxh64.o: \
	PURG64_CFLAGS := $(filter-out -mstrict-align,$(PURG64_CFLAGS))

$(PURG64_DIR)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(PURG64_CC) $(PURG64_CPP) -MMD -MP -c -o $@ $<

$(PURG64_DIR)/purgatory.lds: purgatory/arm64/purgatory.ld \
		src/arch/arm64/purgatory_abi.h
	@mkdir -p $(dir $@)
	$(PURG64_CC) -E -P -undef -D__ASSEMBLER__ -x c -Isrc -o $@ $<

$(PURG64_ELF): $(PURG64_OBJ) $(PURG64_DIR)/purgatory.lds
	$(PURG64_LD) -pie --no-dynamic-linker -z norelro -z noexecstack \
		-z noseparate-code --build-id=none --no-warn-rwx-segments \
		-nostdlib -T $(PURG64_DIR)/purgatory.lds -o $@ $(PURG64_OBJ)
	@if $(PURG64_READELF) -rW $@ | grep -q R_AARCH64; then \
		echo "$@: run-time relocations, not position independent:"; \
		$(PURG64_READELF) -rW $@; rm -f $@; exit 1; fi

$(PURG64_BIN): $(PURG64_ELF)
	$(PURG64_OBJCOPY) -O binary -j .entry -j .params -j .text -j .rodata \
		-j .data $< $@

.PHONY: purgatory-arm64 purgatory-arm64-harness
purgatory-arm64: $(PURG64_BIN)

-include $(PURG64_OBJ:.o=.d)

# An arm64 libkjump embeds the blob (the .S rule in the Makefile does the
# rest); elsewhere purgatory_blob.S assembles to nothing.
ifneq ($(filter aarch64%,$(shell $(CC) -dumpmachine 2>/dev/null)),)
$(OUT)/obj/src/arch/arm64/purgatory_blob.o: $(PURG64_BIN)
$(OUT)/obj/src/arch/arm64/purgatory_blob.o: \
	CPPFLAGS += -DKJ_PURGATORY_ARM64_BIN=\"$(PURG64_BIN)\"
endif

# Test harness (tests/purgatory/arm64/): never installed.
PURG64_T := $(BUILD)/purgatory/arm64-tests

$(PURG64_T)/mkblob64: tests/purgatory/arm64/mkblob.c \
		tests/purgatory/arm64/harness.h $(LIBKJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/purgatory/arm64 $(CFLAGS) -o $@ $< \
		$(LIBKJ) $(LDLIBS)

$(PURG64_T)/seg0.bin: $(PURG64_T)/mkblob64
	$(PURG64_T)/mkblob64 segs $(PURG64_T) big=$$((64 << 20))

$(PURG64_T)/harness.lds: tests/purgatory/arm64/harness.ld \
		tests/purgatory/arm64/harness.h
	@mkdir -p $(dir $@)
	$(PURG64_CC) -E -P -undef -D__ASSEMBLER__ -x c \
		-Itests/purgatory/arm64 -o $@ $<

$(PURG64_T)/harness.o: tests/purgatory/arm64/harness.S \
		tests/purgatory/arm64/harness.h
	@mkdir -p $(dir $@)
	$(PURG64_CC) -Itests/purgatory/arm64 -c -o $@ $<

$(PURG64_T)/harness.elf: $(PURG64_T)/harness.o $(PURG64_T)/harness.lds
	$(PURG64_LD) -nostdlib -z max-page-size=0x1000 -z noexecstack \
		--no-warn-rwx-segments --build-id=none \
		-T $(PURG64_T)/harness.lds -o $@ $<

purgatory-arm64-harness: $(PURG64_BIN) $(PURG64_T)/mkblob64 \
	$(PURG64_T)/seg0.bin $(PURG64_T)/harness.elf

# libfdt-dev:arm64, fetched into the cache (not co-installable with the
# host's libfdt-dev): the cross build of kjump (the Makefile's CROSS_ROOT)
# and tools/arm64.mk link it.
ARM64_CACHE ?= $(or $(KJ_CACHE),$(CURDIR)/build/cache)/arm64
LIBFDT64    := $(ARM64_CACHE)/libfdt-dev

$(LIBFDT64)/.done:
	tools/fetch-deb libfdt-dev:arm64 >/dev/null
