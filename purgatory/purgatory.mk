# x86_64 purgatory: freestanding, position-independent flat blob.
#
#   make purgatory          build/purgatory/x86_64/purgatory.bin
#   make purgatory-harness  the QEMU harness tests/vm/test_purgatory_harness.py
#                           boots (build/purgatory/tests/)
#
# The blob is embedded into libkjump by src/arch/x86_64/purgatory_blob.S.
# C is built -mgeneral-regs-only; only sha256.c's SHA-NI function and
# sha256_x8.c turn on SSE/SHA/AVX2 through target attributes (XXH64,
# the default check, is plain 64-bit integer code). The link is -pie and must leave no
# run-time relocations (checked below): the loader places the blob anywhere.

PURG_CC     ?= $(CC)
PURG_LD     ?= ld
PURG_DIR    := $(BUILD)/purgatory/x86_64
PURG_BIN    := $(PURG_DIR)/purgatory.bin
PURG_ELF    := $(PURG_DIR)/purgatory.elf
PURG_CFLAGS := -std=gnu11 $(WARN) -O2 -g -ffreestanding -fno-builtin-printf \
	       -fno-stack-protector -fno-stack-check -mno-red-zone \
	       -mgeneral-regs-only -fpie -fvisibility=hidden \
	       -fno-asynchronous-unwind-tables -fno-unwind-tables \
	       -fcf-protection=none -fno-jump-tables -MMD -MP
PURG_CPP    := -Isrc -Ipurgatory/x86_64
PURG_SRC    := purgatory/x86_64/entry.S purgatory/x86_64/purgatory.c \
	       purgatory/x86_64/serial.c purgatory/x86_64/tsc.c \
	       purgatory/x86_64/string.c purgatory/x86_64/xstate.c \
	       purgatory/x86_64/realmode.S purgatory/x86_64/real16.c \
	       purgatory/x86_64/vga.c \
	       src/core/sha256.c src/core/sha256_x8.c src/core/sha256_list.c \
	       src/core/xxh64.c src/core/segment_digest.c
PURG_OBJ    := $(patsubst %,$(PURG_DIR)/obj/%.o,$(basename $(PURG_SRC)))

$(PURG_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(PURG_CC) $(PURG_CPP) $(PURG_CFLAGS) -c -o $@ $<

$(PURG_DIR)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(PURG_CC) $(PURG_CPP) -MMD -MP -c -o $@ $<

$(PURG_ELF): $(PURG_OBJ) purgatory/x86_64/purgatory.ld
	$(PURG_LD) -pie --no-dynamic-linker -z norelro -z noexecstack \
		-z noseparate-code --build-id=none --no-warn-rwx-segments \
		-nostdlib \
		-T purgatory/x86_64/purgatory.ld -o $@ $(PURG_OBJ)
	@if readelf -rW $@ | grep -q R_X86_64; then \
		echo "$@: run-time relocations, not position independent:"; \
		readelf -rW $@; rm -f $@; exit 1; fi

$(PURG_BIN): $(PURG_ELF)
	objcopy -O binary -j .entry -j .params -j .text -j .rodata -j .data \
		$< $@

# libkjump (and the fuzzers' copy of it) embeds the blob: the .S rules do
# the rest.
PURG_BLOB_OBJ := $(OUT)/obj/src/arch/x86_64/purgatory_blob.o \
		 $(BUILD)/fuzz/obj/src/arch/x86_64/purgatory_blob.o
$(PURG_BLOB_OBJ): $(PURG_BIN)
$(PURG_BLOB_OBJ): CPPFLAGS += -DKJ_PURGATORY_X86_64_BIN=\"$(PURG_BIN)\"

.PHONY: purgatory purgatory-harness
purgatory: $(PURG_BIN)

-include $(PURG_OBJ:.o=.d)

# Test harness (tests/purgatory/): never installed.
PURG_T := $(BUILD)/purgatory/tests

$(PURG_T)/mkblob: tests/purgatory/mkblob.c tests/purgatory/harness.h $(LIBKJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/purgatory $(CFLAGS) -o $@ $< $(LIBKJ) \
		$(LDLIBS)

$(PURG_T)/seg0.bin: $(PURG_T)/mkblob
	$(PURG_T)/mkblob segs $(PURG_T)

$(PURG_T)/seg1.bin: $(PURG_T)/seg0.bin

$(PURG_T)/harness.o: tests/purgatory/harness.S tests/purgatory/harness.h \
		$(PURG_T)/seg0.bin $(PURG_T)/seg1.bin
	$(PURG_CC) -Itests/purgatory \
		-DH_SEG0_FILE=\"$(PURG_T)/seg0.bin\" \
		-DH_SEG1_FILE=\"$(PURG_T)/seg1.bin\" -c -o $@ $<

$(PURG_T)/harness.lds: tests/purgatory/harness.ld tests/purgatory/harness.h
	@mkdir -p $(dir $@)
	$(PURG_CC) -E -P -undef -x c -Itests/purgatory -o $@ $<

$(PURG_T)/harness.elf: $(PURG_T)/harness.o $(PURG_T)/harness.lds
	$(PURG_LD) -nostdlib -z max-page-size=0x1000 -z noexecstack \
		--no-warn-rwx-segments -T $(PURG_T)/harness.lds -o $@.64 $<
	objcopy -I elf64-x86-64 -O elf32-i386 $@.64 $@

purgatory-harness: $(PURG_BIN) $(PURG_T)/mkblob $(PURG_T)/harness.elf

# The same targets as a kexec segment, and a static loader that kexecs
# into them from a real kernel (tests/vm/test_purgatory_kexec.py).
$(PURG_T)/target.bin: $(PURG_T)/harness.elf
	objcopy -O binary -j .target32 -j .target64 -j .targetlib \
		$<.64 $@

# The real-mode target as it sits at H_TARGET16 (its page, from offset 0).
$(PURG_T)/target16.bin: $(PURG_T)/harness.elf
	objcopy -O binary -j .target16 $<.64 $@

# Built from source, not from $(LIBKJ): it must link -static even when
# the library is built with sanitizers (SANITIZE=1).
PURG_SMOKE_SRC := tests/purgatory/kexec_smoke.c src/arch/x86_64/purgatory.c \
		  src/arch/purgatory_fill.c \
		  src/core/sha256.c src/core/sha256_x8.c src/core/sha256_list.c \
		  src/core/xxh64.c src/core/segment_digest.c src/core/err.c

$(PURG_T)/kexec_smoke: $(PURG_SMOKE_SRC) tests/purgatory/harness.h \
		$(OUT)/obj/src/arch/x86_64/purgatory_blob.o
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/purgatory -std=gnu11 $(WARN) -O2 -static \
		-o $@ $(PURG_SMOKE_SRC) \
		$(OUT)/obj/src/arch/x86_64/purgatory_blob.o

purgatory-harness: $(PURG_T)/target.bin $(PURG_T)/target16.bin \
	$(PURG_T)/kexec_smoke

# The purgatory's digest objects, run in user space.
$(PURG_T)/digest_check: tests/purgatory/digest_check.c \
		$(PURG_DIR)/obj/src/core/sha256.o \
		$(PURG_DIR)/obj/src/core/sha256_x8.o \
		$(PURG_DIR)/obj/src/core/sha256_list.o \
		$(PURG_DIR)/obj/src/core/xxh64.o \
		$(PURG_DIR)/obj/src/core/segment_digest.o
	@mkdir -p $(dir $@)
	$(CC) -Isrc -O2 -o $@ $^

purgatory-harness: $(PURG_T)/digest_check
