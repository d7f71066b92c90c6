# libFuzzer targets: tests/fuzz/fuzz_NAME.c -> build/fuzz/fuzz_NAME.
# The library is rebuilt with clang, ASan+UBSan and fuzzer coverage.
# `make fuzz-smoke` runs each briefly (part of make check); `make fuzz`
# runs each for FUZZ_SECONDS (default 300).

FUZZ_CC      := clang
FUZZ_OUT     := $(BUILD)/fuzz
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
		-fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN     := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_OUT)/%)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_OUT)/obj/%.o) \
		$(LIB_ASM:%.S=$(FUZZ_OUT)/obj/%.o)
FUZZ_SECONDS ?= 300

$(FUZZ_OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -std=gnu11 $(WARN) $(FUZZ_FLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_OUT)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -c -o $@ $<

$(FUZZ_OUT)/libkjump.a: $(FUZZ_LIB_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

$(FUZZ_OUT)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OUT)/libkjump.a
	$(FUZZ_CC) $(CPPFLAGS) -std=gnu11 $(WARN) $(FUZZ_FLAGS) \
		-fsanitize=fuzzer -o $@ $< $(FUZZ_OUT)/libkjump.a $(LDLIBS)

.PHONY: fuzz-build fuzz-smoke
fuzz-build: $(FUZZ_BIN)

fuzz-smoke: $(FUZZ_BIN)
	tools/run-fuzz 20 $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	tools/run-fuzz $(FUZZ_SECONDS) $(FUZZ_BIN)

-include $(FUZZ_LIB_OBJ:.o=.d)
