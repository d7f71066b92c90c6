# make bench, arm64: kjump against Debian's arm64 kexec-tools in the same
# VM run (bench/bench_arm64.py), before the x86 one. `make bench-arm64`
# runs it alone. Not part of make check.

$(BUILD)/bench/arm64/kjbench-run: bench/runner.c
	@mkdir -p $(dir $@)
	aarch64-linux-gnu-gcc -O2 -static -Wall -Wextra -Werror -o $@ $<

.PHONY: bench-arm64
bench-arm64: $(BUILD)/bench/arm64/kjbench-run
	tools/deps bench
	$(MAKE) -s ARCH=arm64
	/usr/bin/python3 bench/bench_arm64.py

bench: bench-arm64
