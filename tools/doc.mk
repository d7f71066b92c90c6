# Man pages and shell completions, generated at build time from the one
# option table (src/cli/options.c) by tools/mkdoc, a host program linked
# with libkjump, so that --help, the man pages and the completions name
# the same options (tools/check-docs checks it).
#
#   make doc        build/doc/{kjump.8,kexec.8,kjump.conf.5}, build/doc/bash/,
#                   build/doc/zsh/
#   make install    also installs them (see install-doc)

DOC_OUT     := $(BUILD)/doc
MKDOC       := $(OUT)/tools/mkdoc
MAN_PAGES   := $(DOC_OUT)/kjump.8 $(DOC_OUT)/kexec.8 $(DOC_OUT)/kjump.conf.5
COMPLETIONS := $(DOC_OUT)/bash/kjump $(DOC_OUT)/bash/kexec \
	       $(DOC_OUT)/zsh/_kjump $(DOC_OUT)/zsh/_kexec

SBINDIR     ?= $(PREFIX)/sbin
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions

.PHONY: doc install-doc

doc: $(MAN_PAGES) $(COMPLETIONS)

$(MKDOC): tools/mkdoc.c $(LIBKJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBKJ) $(LDLIBS)

$(DOC_OUT)/%: doc/%.in $(MKDOC)
	@mkdir -p $(dir $@)
	$(MKDOC) man $< >$@.tmp && mv $@.tmp $@

$(DOC_OUT)/bash/%: $(MKDOC)
	@mkdir -p $(dir $@)
	$(MKDOC) bash $* >$@.tmp && mv $@.tmp $@

$(DOC_OUT)/zsh/_%: $(MKDOC)
	@mkdir -p $(dir $@)
	$(MKDOC) zsh $* >$@.tmp && mv $@.tmp $@

install: install-doc

install-doc: doc
	install -d $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 0644 $(DOC_OUT)/kjump.8 $(DOC_OUT)/kexec.8 \
		$(DESTDIR)$(MANDIR)/man8/
	install -m 0644 $(DOC_OUT)/kjump.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 $(DOC_OUT)/bash/kjump $(DOC_OUT)/bash/kexec \
		$(DESTDIR)$(BASHCOMPDIR)/
	install -m 0644 $(DOC_OUT)/zsh/_kjump $(DOC_OUT)/zsh/_kexec \
		$(DESTDIR)$(ZSHCOMPDIR)/
