# The arm64 probe payload: an arm64 Linux Image (booting.rst header,
# text_offset 0, position independent) that reports on the PL011 what a
# loader handed over (probe/README.md, "arm64"). Built with the cross
# compiler on any host.
#
#   build/probe/arm64/probe.Image      the Image (QEMU -kernel, kexec)
#   build/probe/arm64/probe.Image.gz   the same, gzip -9n

PROBE64_OUT    := $(BUILD)/probe/arm64
PROBE64_CFLAGS := -std=gnu11 -O2 $(WARN) -ffreestanding -fno-builtin \
		  -fno-stack-protector -mgeneral-regs-only -mstrict-align \
		  -mbranch-protection=none -fpie -fvisibility=hidden \
		  -fno-asynchronous-unwind-tables -fno-unwind-tables \
		  -fno-jump-tables -fno-tree-loop-distribute-patterns \
		  -Isrc -Iprobe/arm64
PROBE64_SRC    := probe/arm64/head.S probe/arm64/probe.c probe/arm64/dt.c \
		  src/core/fdt_check.c purgatory/arm64/string.c
PROBE64_OBJ    := $(patsubst %,$(PROBE64_OUT)/obj/%.o,$(basename $(PROBE64_SRC)))

.PHONY: probe-arm64
probe-arm64: $(PROBE64_OUT)/probe.Image $(PROBE64_OUT)/probe.Image.gz

$(PROBE64_OUT)/obj/%.o: %.c probe/arm64/probe.h probe/arm64/dt.h \
		probe/arm64.mk
	@mkdir -p $(dir $@)
	$(PURG64_CC) $(PROBE64_CFLAGS) -c -o $@ $<

$(PROBE64_OUT)/obj/%.o: %.S probe/arm64/probe.h probe/arm64.mk
	@mkdir -p $(dir $@)
	$(PURG64_CC) -Iprobe/arm64 -c -o $@ $<

$(PROBE64_OUT)/probe.elf: $(PROBE64_OBJ) probe/arm64/probe.ld
	$(PURG64_LD) -pie --no-dynamic-linker -z norelro -z noexecstack \
		-z noseparate-code --build-id=none --no-warn-rwx-segments \
		-nostdlib -T probe/arm64/probe.ld -o $@ $(PROBE64_OBJ)
	@# R_AARCH64_NONE: ld's leftover slot for image_size, a no-op.
	@if $(PURG64_READELF) -rW $@ | grep R_AARCH64 | grep -vq R_AARCH64_NONE; then \
		echo "$@: run-time relocations, not position independent:"; \
		$(PURG64_READELF) -rW $@; rm -f $@; exit 1; fi

$(PROBE64_OUT)/probe.Image: $(PROBE64_OUT)/probe.elf
	$(PURG64_OBJCOPY) -O binary -j .head -j .text -j .rodata -j .data \
		$< $@

$(PROBE64_OUT)/probe.Image.gz: $(PROBE64_OUT)/probe.Image
	gzip -9nc $< >$@.tmp && mv $@.tmp $@
