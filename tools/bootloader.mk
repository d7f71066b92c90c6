# make bootloader: build/bootloader/{vmlinuz,initrd.img}, the kernel and
# initramfs that run `kjump menu` (tools/mkbootloader.py). The kernel is
# Debian's generic amd64 one (apt-get download, never installed).
.PHONY: bootloader

bootloader:
	$(MAKE) -s STATIC=1 $(BUILD)/static/kjump
	/usr/bin/python3 tools/mkbootloader.py \
		"$$(tools/fetch-deb linux-image-amd64 | tail -1)" \
		$(BUILD)/static/kjump $(BUILD)/bootloader
