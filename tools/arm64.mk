# The arm64 cross toolchain (tools/deps arm64): Debian's
# gcc-aarch64-linux-gnu, the multiarch arm64 -dev packages of zlib,
# liblzma, libzstd, libblkid and uuid, and libfdt-dev:arm64 from the
# cache (purgatory/arm64.mk fetches it; it is not co-installable with the
# host's libfdt-dev). `make arm64-toolchain` links all of them into one
# static arm64 binary. The cross build of kjump itself waits for the load
# pipeline (issue 10); these are the flags it needs:
#
#   CC=aarch64-linux-gnu-gcc CPPFLAGS+=-I$(LIBFDT64)/usr/include
#   LIBFDT.a: $(LIBFDT64)/usr/lib/aarch64-linux-gnu/libfdt.a

.PHONY: arm64-toolchain
arm64-toolchain: $(BUILD)/arm64/libs-check
	@file $< | grep -q "ARM aarch64.*statically linked" && \
		echo "arm64 toolchain: ok ($<)"

$(BUILD)/arm64/libs-check: tools/arm64-libs.c $(LIBFDT64)/.done
	@mkdir -p $(dir $@)
	$(PURG64_CC) -std=gnu11 $(WARN) -O2 -static \
		-I$(LIBFDT64)/usr/include -o $@ $< \
		$(LIBFDT64)/usr/lib/aarch64-linux-gnu/libfdt.a \
		-lzstd -llzma -lz -lblkid -luuid
