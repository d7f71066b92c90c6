# make bench: kjump against kexec-tools in the same VM run (bench/bench.py).
# Not part of make check.

$(BUILD)/bench/kjbench-run: bench/runner.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -static -Wall -Wextra -Werror -o $@ $<

.PHONY: bench
bench: $(BUILD)/bench/kjbench-run
	tools/deps bench
	$(MAKE) -s STATIC=1
	/usr/bin/python3 bench/bench.py
