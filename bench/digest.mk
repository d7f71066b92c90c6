# Throughput of the purgatory's checks (not part of the tests):
#   make digest-bench   here, then under QEMU TCG with -cpu qemu64 and max
# The benchmark links the purgatory's own freestanding objects (built by
# purgatory/purgatory.mk's rules, which this file is read before).
DIGEST_BENCH := $(BUILD)/bench/digest_bench
DIGEST_PURG := $(BUILD)/purgatory/x86_64/obj
DIGEST_OBJ := $(addprefix $(DIGEST_PURG)/src/core/,sha256.o sha256_x8.o \
		sha256_list.o xxh64.o segment_digest.o) \
	      $(DIGEST_PURG)/bench/xxh3.o

$(DIGEST_BENCH): bench/digest_bench.c bench/xxh3.h $(DIGEST_OBJ)
	@mkdir -p $(dir $@)
	$(CC) -Isrc -Ibench -std=gnu11 $(WARN) -O2 -static -o $@ \
		bench/digest_bench.c $(DIGEST_OBJ)

.PHONY: digest-bench
digest-bench: $(DIGEST_BENCH)
	$(DIGEST_BENCH)
	/usr/bin/python3 bench/digest_tcg.py $(DIGEST_BENCH)
