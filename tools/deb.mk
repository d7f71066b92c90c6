# make deb: the Debian packages kjump and kjump-kexec (debian/), built by
# dpkg-buildpackage and debhelper from a copy of the tree without build/
# and .git, into build/deb/, then checked with lintian at warning level.
# tools/check-deb installs them into a scratch root and runs them.

DEB_OUT     := $(BUILD)/deb
DEB_VERSION := $(shell sed -n '1s/.*(\(.*\)).*/\1/p' debian/changelog)

.PHONY: deb

deb:
	tools/deps deb
	@if [ "$(DEB_VERSION)" != "$(VERSION)" ]; then \
		echo "debian/changelog says $(DEB_VERSION), VERSION $(VERSION)"; \
		exit 1; fi
	rm -rf $(DEB_OUT) && mkdir -p $(DEB_OUT)/kjump-$(VERSION)
	tar --exclude=./build --exclude=./.git --exclude='./*.deb' -cf - . | \
		tar -C $(DEB_OUT)/kjump-$(VERSION) -xf -
	cd $(DEB_OUT)/kjump-$(VERSION) && \
		DEB_BUILD_OPTIONS="nocheck parallel=$${JOBS:-2}" \
		dpkg-buildpackage -b -us -uc >../build.log 2>&1 || \
		{ tail -40 ../build.log; exit 1; }
	lintian --fail-on error,warning --info $(DEB_OUT)/*.changes
	@ls $(DEB_OUT)/*.deb
