# SHA-256 micro-benchmark (not part of the tests): make sha256-bench
$(OUT)/bench/sha256_bench: bench/sha256_bench.c $(LIBKJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIBKJ)

.PHONY: sha256-bench
sha256-bench: $(OUT)/bench/sha256_bench
	$(OUT)/bench/sha256_bench
