# The probe payload: a tiny Multiboot 1 kernel that reports on COM1 what
# a loader handed over (see probe/README.md). Always built with gcc for
# i386, whatever $(CC) is.
#
#   build/probe/probe.elf       ELF32 i386, linked at 1 MiB
#   build/probe/probe64.elf     the same image in an ELF64 x86-64 container
#   build/probe/probe-aout.bin  flat binary, Multiboot a.out kludge, low load
#   build/probe/probe.elf.gz    probe.elf, gzip -9n
#   build/probe/probe-mb2.elf   ELF32 i386 with a Multiboot 2 header
#   build/probe/probe-selftest.elf  probe.elf plus reports over hostile
#                               Multiboot 1 and 2 information (tests only)

PROBE_OUT       := $(BUILD)/probe
PROBE_CC        := gcc
PROBE_AOUT_LOAD := 0x20100
PROBE_CFLAGS    := -m32 -march=i686 -std=gnu11 -O2 $(WARN) -ffreestanding \
		   -fno-pic -fno-pie -fno-stack-protector -fno-builtin \
		   -mgeneral-regs-only -fno-asynchronous-unwind-tables \
		   -fcf-protection=none -nostdlib
PROBE_LDFLAGS   := -m32 -nostdlib -static -no-pie -Wl,--build-id=none \
		   -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack \
		   -Wl,--no-warn-rwx-segments -Wl,-T,probe/probe.ld
PROBE_ALL       := $(PROBE_OUT)/probe.elf $(PROBE_OUT)/probe64.elf \
		   $(PROBE_OUT)/probe-aout.bin $(PROBE_OUT)/probe.elf.gz \
		   $(PROBE_OUT)/probe-selftest.elf $(PROBE_OUT)/probe-mb2.elf
PROBE_OBJ       := $(PROBE_OUT)/probe.o $(PROBE_OUT)/mb2.o

.PHONY: probe
probe: $(PROBE_ALL)

$(PROBE_OUT)/%.o: probe/%.c probe/probe.h probe/probe.mk
	@mkdir -p $(dir $@)
	$(PROBE_CC) $(PROBE_CFLAGS) -c -o $@ $<

$(PROBE_OUT)/head.o: probe/head.S probe/probe.mk
	@mkdir -p $(dir $@)
	$(PROBE_CC) $(PROBE_CFLAGS) -c -o $@ $<

$(PROBE_OUT)/head-aout.o: probe/head.S probe/probe.mk
	@mkdir -p $(dir $@)
	$(PROBE_CC) $(PROBE_CFLAGS) -DPROBE_AOUT -c -o $@ $<

$(PROBE_OUT)/head-mb2.o: probe/head.S probe/probe.mk
	@mkdir -p $(dir $@)
	$(PROBE_CC) $(PROBE_CFLAGS) -DPROBE_MB2 -c -o $@ $<

$(PROBE_OUT)/probe.elf: $(PROBE_OUT)/head.o $(PROBE_OBJ) probe/probe.ld
	$(PROBE_CC) $(PROBE_LDFLAGS) -Wl,--defsym=PROBE_LOAD=0x100000 \
		-o $@ $(PROBE_OUT)/head.o $(PROBE_OBJ)

$(PROBE_OUT)/probe-mb2.elf: $(PROBE_OUT)/head-mb2.o $(PROBE_OBJ) probe/probe.ld
	$(PROBE_CC) $(PROBE_LDFLAGS) -Wl,--defsym=PROBE_LOAD=0x100000 \
		-o $@ $(PROBE_OUT)/head-mb2.o $(PROBE_OBJ)

$(PROBE_OUT)/probe-selftest.elf: $(PROBE_OUT)/head.o $(PROBE_OBJ) \
		$(PROBE_OUT)/selftest.o probe/probe.ld
	$(PROBE_CC) $(PROBE_LDFLAGS) -Wl,--defsym=PROBE_LOAD=0x100000 \
		-o $@ $(PROBE_OUT)/head.o $(PROBE_OBJ) \
		$(PROBE_OUT)/selftest.o

$(PROBE_OUT)/probe-aout.elf: $(PROBE_OUT)/head-aout.o $(PROBE_OBJ) \
		probe/probe.ld
	$(PROBE_CC) $(PROBE_LDFLAGS) -Wl,--defsym=PROBE_LOAD=$(PROBE_AOUT_LOAD) \
		-o $@ $(PROBE_OUT)/head-aout.o $(PROBE_OBJ)

$(PROBE_OUT)/probe-aout.bin: $(PROBE_OUT)/probe-aout.elf
	objcopy -O binary $< $@

$(PROBE_OUT)/probe64.elf: $(PROBE_OUT)/probe.elf
	objcopy -O elf64-x86-64 $< $@

$(PROBE_OUT)/probe.elf.gz: $(PROBE_OUT)/probe.elf
	gzip -9nc $< >$@.tmp && mv $@.tmp $@
