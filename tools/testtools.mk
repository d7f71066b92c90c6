# Host tools only the test suites use (tests/tools/), never installed.
#
#   make test-tools     build/tests/tools/kj-unwrap

TT_OUT := $(BUILD)/tests/tools

$(TT_OUT)/kj-unwrap: tests/tools/kj_unwrap.c $(LIBKJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIBKJ) $(LDLIBS)

.PHONY: test-tools
test-tools: $(TT_OUT)/kj-unwrap
