# sankaku: build, test, demo, install.
#
#   make            build/sankakud and build/sankaku-rules
#   make demo       the whole pipeline on a bundled capture
#   make check      every test, plain and under ASan+UBSan
#   make bench      benchmarks (not part of check)
#   make install    PREFIX=/usr/local DESTDIR=
#
# SANITIZER=address,undefined builds with sanitizers into build/san.
# WERROR=1 turns warnings into errors (check sets it).

VERSION   = 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
SANITIZER ?=
WERROR   ?=
CC       ?= cc

ifeq ($(SANITIZER),)
B = build
else
B = build/san
endif

PKGS      = libevent hiredis jansson libsystemd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)
JANSSON_LIBS := $(shell pkg-config --libs jansson 2>/dev/null)
# TLS for the desk's push of sightings to a MISP instance (HTTPS)
TLS_LIBS  := $(shell pkg-config --libs libevent_openssl openssl 2>/dev/null)

WARN = -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wwrite-strings -Wpointer-arith \
       -Wcast-qual -Wsign-compare -Wno-missing-field-initializers
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARN) -Iinclude $(PKG_CFLAGS) \
          -DSANKAKU_VERSION='"$(VERSION)"' -D_FORTIFY_SOURCE=2 \
          -fstack-protector-strong -MMD -MP
ifneq ($(WERROR),)
CFLAGS += -Werror
endif
ifneq ($(SANITIZER),)
CFLAGS  += -fsanitize=$(SANITIZER) -fno-omit-frame-pointer \
           -fno-sanitize-recover=all -U_FORTIFY_SOURCE -O1
LDFLAGS += -fsanitize=$(SANITIZER)
endif

# The house (see README "Layout"):
#   lib/     pure modules shared by every program: no libevent, no hiredis
#   net/     event-loop plumbing shared by the daemons
#   daemon/  sankakud          rules/  sankaku-rules      fetch/  sankaku-fetch
# Each program lists what it links; the unit tests link lib/ and rules/
# through one archive, which pulls in only what each test uses.
MODEL_SRCS  = lib/uuid.c lib/timeparse.c lib/isog.c lib/isog_flow.c lib/config.c lib/cfg_keys.c lib/cfg_check.c lib/cfg_model.c \
              lib/cfg_sources.c lib/cfg_notify.c lib/cfg_org.c \
              lib/cidr.c lib/tlp.c
ENRICH_SRCS = lib/enrich.c lib/deadletter.c lib/sha1.c lib/classify.c lib/indicator.c lib/render.c \
              lib/buf.c lib/evscan.c lib/evdecode.c lib/evfields.c lib/evstr.c lib/index.c \
              lib/b64.c lib/reference.c lib/measured.c
DAEMON_LIB  = lib/log.c lib/xmalloc.c lib/redisurl.c lib/password.c lib/settings.c lib/cmdstat.c \
              lib/ledger.c lib/prom.c net/link.c net/linkio.c net/http.c net/rconn.c \
              net/watchdog.c net/signals.c net/status.c
DAEMON_SRCS = $(MODEL_SRCS) $(ENRICH_SRCS) $(DAEMON_LIB) \
              daemon/pipeline.c daemon/pl_upkeep.c daemon/in_list.c daemon/drain.c daemon/in_stream.c \
              daemon/careful.c \
              daemon/preflight.c daemon/store.c daemon/store_checked.c \
              daemon/subs.c daemon/events.c daemon/measured.c \
              daemon/replay.c daemon/metrics.c daemon/sankakud.c
TAIL_SRCS   = lib/pretty.c lib/buf.c lib/evstr.c lib/redisurl.c lib/password.c lib/settings.c \
              lib/reference.c lib/sha1.c \
              $(MODEL_SRCS) lib/index.c net/rconn.c tools/sankaku-tail.c
HUNT_SRCS   = $(MODEL_SRCS) $(ENRICH_SRCS) lib/pretty.c lib/redisurl.c lib/password.c lib/settings.c \
              lib/hunt.c net/rconn.c tools/sankaku-hunt.c
DESK_CORE   = lib/jdump.c desk/incident.c desk/inc_check.c desk/inc_take.c desk/inc_act.c desk/who.c desk/auth.c \
              desk/sources.c desk/sightings.c desk/stixout.c desk/inc_report.c desk/inc_peers.c desk/inc_notice.c
DESK_SRCS   = $(MODEL_SRCS) $(DESK_CORE) desk/desk.c desk/dread.c desk/dload.c desk/dstore.c desk/dact.c desk/dmetrics.c desk/dsuppress.c desk/dtick.c desk/dbatch.c \
              desk/api.c desk/api_alert.c desk/api_sources.c desk/api_send.c desk/api_wait.c desk/api_events.c desk/console.c desk/cli.c desk/sankaku-desk.c \
              lib/arena.c lib/evscan.c lib/evfields.c lib/evstr.c lib/buf.c lib/reference.c \
              lib/sha1.c lib/sha256.c lib/pretty.c lib/index.c lib/b64.c \
              lib/log.c lib/xmalloc.c lib/redisurl.c lib/password.c lib/settings.c \
              net/link.c net/linkio.c net/http.c net/rconn.c net/argvb.c \
              net/watchdog.c net/signals.c net/hclient.c desk/dpush.c desk/dnotify.c lib/prom.c lib/keyfile.c \
              lib/afile.c fetch/fpage.c
SHIP_CORE   = ship/tail.c ship/tail_dir.c ship/checkpoint.c ship/shipline.c ship/ship_cfg.c
SHIP_SRCS   = $(SHIP_CORE) ship/shipper.c ship/ship_push.c ship/ship_metrics.c ship/sankaku-ship.c \
              lib/evscan.c lib/evfields.c lib/evstr.c lib/buf.c lib/deadletter.c \
              lib/sha1.c lib/b64.c lib/log.c lib/xmalloc.c lib/redisurl.c \
              lib/password.c lib/prom.c net/link.c net/linkio.c net/http.c net/watchdog.c \
              net/signals.c net/status.c
FEED_SRCS   = lib/arena.c rules/ioc.c rules/ggroup.c rules/feed.c rules/ftype.c rules/jsplit.c \
              rules/stixparse.c rules/stixpat.c rules/stix.c rules/misp.c rules/csv.c \
              rules/csvmap.c rules/policy.c rules/keep.c lib/afile.c \
              rules/merge.c rules/gen.c rules/genrule.c rules/index_out.c \
              rules/report.c rules/cves.c rules/suppress.c rules/second.c rules/recode.c
RULES_SRCS  = $(MODEL_SRCS) lib/b64.c lib/pretty.c lib/buf.c lib/evstr.c \
              $(FEED_SRCS) rules/sankaku-rules.c
FETCH_SRCS  = $(MODEL_SRCS) lib/keyfile.c lib/prom.c lib/buf.c lib/afile.c lib/pretty.c lib/evstr.c \
              fetch/fpage.c fetch/fxfer.c fetch/fjob.c fetch/ftaxii.c fetch/fmfeed.c \
              fetch/fetch.c fetch/sankaku-fetch.c
LIB_SRCS    = $(MODEL_SRCS) $(ENRICH_SRCS) lib/sha256.c lib/pretty.c lib/log.c lib/xmalloc.c \
              lib/redisurl.c lib/password.c lib/settings.c lib/cmdstat.c lib/ledger.c lib/prom.c \
              $(FEED_SRCS) $(SHIP_CORE) $(DESK_CORE) lib/keyfile.c fetch/fpage.c lib/hunt.c
UNIT_TESTS = test_isog test_redisurl test_config test_enrich test_evscan test_index \
             test_feed test_gen test_cmdstat test_ledger test_sha1 test_b64 test_pretty \
             test_stix test_misp test_csv test_reference test_tail test_shipline \
             test_incident test_auth test_sources test_jdump test_deadletter \
             test_enrich_out test_linkio test_prom test_cves test_suppress \
             test_inc_act test_inc_check test_fetch test_hunt test_report test_notice

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))

all: $(B)/sankakud $(B)/sankaku-rules $(B)/sankaku-tail $(B)/sankaku-ship \
    $(B)/sankaku-desk $(B)/sankaku-fetch $(B)/sankaku-hunt

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/sankakud: $(call obj,$(DAEMON_SRCS))
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(B)/sankaku-rules: $(call obj,$(RULES_SRCS))
	$(CC) $(LDFLAGS) -pthread -o $@ $^ $(JANSSON_LIBS)

$(B)/sankaku-fetch: $(call obj,$(FETCH_SRCS))
	$(CC) $(LDFLAGS) -o $@ $^ $(JANSSON_LIBS) -lcurl

$(B)/sankaku-tail: $(call obj,$(TAIL_SRCS))
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(B)/sankaku-hunt: $(call obj,$(HUNT_SRCS))
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(B)/sankaku-ship: $(call obj,$(SHIP_SRCS))
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# The console's files, embedded in sankaku-desk.
$(B)/gen/console_files.c: $(wildcard desk/console/*) scripts/embed.py
	@mkdir -p $(dir $@)
	/usr/bin/python3 scripts/embed.py $@ desk/console

$(B)/obj/gen/console_files.o: $(B)/gen/console_files.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/sankaku-desk: $(call obj,$(DESK_SRCS)) $(B)/obj/gen/console_files.o
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TLS_LIBS)

$(B)/libsankaku.a: $(call obj,$(LIB_SRCS))
	rm -f $@
	ar rcs $@ $^

$(B)/tests/%: tests/unit/%.c $(B)/libsankaku.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(B)/libsankaku.a $(PKG_LIBS) $(CMOCKA_LIBS) $(LDFLAGS)

# test_linkio drives the adapter on a real socket (it is not in the archive)
$(B)/tests/test_linkio: tests/unit/test_linkio.c $(call obj,net/linkio.c)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(CMOCKA_LIBS) $(LDFLAGS)

# test_enrich_out fails each allocation in turn
$(B)/tests/test_enrich_out: LDFLAGS += -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc

$(B)/tests/golden: tests/golden.c $(B)/libsankaku.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(B)/libsankaku.a $(PKG_LIBS) $(LDFLAGS)

# libFuzzer harnesses (clang): the EVE enrichment path, each feed parser,
# the config, Redis URL and index parsers, the fetcher's pure parts, the
# desk's incidents as read back from Redis.  `make fuzz` runs each for
# FUZZ_SECONDS; check runs each briefly, and every input that once crashed
# (tests/fuzz/regress/NAME/) as a regression test.
FUZZERS = fuzz_enrich fuzz_stix fuzz_misp fuzz_csv fuzz_config fuzz_fetch \
    fuzz_desk
FUZZ_SECONDS ?= 300
FUZZ_CHECK_RUNS ?= 150000
FUZZ_CFLAGS = -g -O1 -std=gnu11 -Iinclude $(PKG_CFLAGS) \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_LIB = $(MODEL_SRCS) $(ENRICH_SRCS) lib/redisurl.c lib/hunt.c

build/fuzz/fuzz_enrich: tests/fuzz/fuzz_enrich.c $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $^ $(PKG_LIBS)
build/fuzz/fuzz_config: tests/fuzz/fuzz_config.c $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $^ $(PKG_LIBS)
build/fuzz/fuzz_fetch: tests/fuzz/fuzz_fetch.c fetch/fpage.c lib/afile.c lib/uuid.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $^ $(PKG_LIBS)
build/fuzz/fuzz_desk: tests/fuzz/fuzz_desk.c $(FUZZ_LIB) $(DESK_CORE) lib/arena.c lib/log.c lib/xmalloc.c \
    lib/sha256.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $^ $(PKG_LIBS)
build/fuzz/fuzz_%: tests/fuzz/fuzz_feed.c $(FUZZ_LIB) lib/pretty.c $(FEED_SRCS)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -DFEED_PARSER=feed_$* -o $@ $^ $(PKG_LIBS)

# run each fuzzer ($(1): -max_total_time=S, or -seed=1 -runs=N for a
# repeatable check) on a scratch copy of its seed corpus
define run_fuzzers
	@printf '%s\n' $(FUZZERS) | xargs -P 2 -I NAME sh scripts/fuzz-one.sh NAME $(1)
endef

# fuzz_desk does a desk's whole work on each input (about a thousand a
# second under the sanitizers, where the parsers do tens of thousands):
# fewer runs in check, first, beside the others
FUZZ_SLOW = fuzz_desk
FUZZ_SLOW_CHECK_RUNS ?= 15000
check-fuzz: $(addprefix build/fuzz/,$(FUZZERS))
	@{ printf '%s -seed=1 -runs=$(FUZZ_SLOW_CHECK_RUNS)\n' $(FUZZ_SLOW); \
	   printf '%s -seed=1 -runs=$(FUZZ_CHECK_RUNS)\n' \
	    $(filter-out $(FUZZ_SLOW),$(FUZZERS)); } | \
	    xargs -P 2 -L 1 sh scripts/fuzz-one.sh

fuzz: deps $(addprefix build/fuzz/,$(FUZZERS))
	$(call run_fuzzers,-max_total_time=$(FUZZ_SECONDS))

deps:
	@sh scripts/deps.sh

# Unit tests (cmocka) and golden enrichment files.
check-unit: $(addprefix $(B)/tests/,$(UNIT_TESTS)) $(B)/tests/golden
	@set -e; for t in $(UNIT_TESTS); do \
	    (cd tests/unit && ../../$(B)/tests/$$t); done
	@$(B)/tests/golden tests/fixtures/enrich

# End-to-end: real redis-server and real Suricata on loopback.
check-e2e: $(B)/sankakud $(B)/sankaku-rules
	@BUILD=$(B) sh tests/e2e/run.sh

check-static:
	@sh scripts/lint.sh

check: deps
	@$(MAKE) --no-print-directory WERROR=1 all check-unit check-e2e
	@$(MAKE) --no-print-directory WERROR=1 SANITIZER=address,undefined \
	    all check-unit check-e2e
	@$(MAKE) --no-print-directory check-fuzz
	@$(MAKE) --no-print-directory check-static

demo: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh

# A longer fault run on demand: a million alerts, fifty SIGKILLs.
soak: deps all
	@SOAK_N=$${SOAK_N:-1000000} SOAK_KILLS=$${SOAK_KILLS:-50} \
	    E2E_ONLY="t_sigkill t_stream t_multi" sh tests/e2e/run.sh

bench: deps
	@$(MAKE) --no-print-directory all $(B)/libsankaku.a
	@sh bench/run.sh

# Unit and golden tests, then the end-to-end tests whose daemons run under
# valgrind (a wrapper in build/valgrind stands in for the binaries).
VALGRIND_E2E = t_config t_deadletter t_signals t_redis_restart \
    t_suricata_pipeline t_ops t_checked t_redis_frozen
valgrind: deps all $(addprefix $(B)/tests/,$(UNIT_TESTS)) $(B)/tests/golden
	@set -e; for t in $(UNIT_TESTS); do (cd tests/unit && \
	    valgrind -q --error-exitcode=1 --leak-check=full \
	    ../../$(B)/tests/$$t); done
	@valgrind -q --error-exitcode=1 --leak-check=full \
	    $(B)/tests/golden tests/fixtures/enrich
	@mkdir -p build/valgrind
	@for p in sankakud sankaku-rules; do \
	    printf '#!/bin/sh\nexec valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 %s "$$@"\n' \
	        "$(CURDIR)/build/$$p" >build/valgrind/$$p; \
	    chmod +x build/valgrind/$$p; done
	@BUILD=build/valgrind E2E_ONLY="$(VALGRIND_E2E)" sh tests/e2e/run.sh

pcaps:
	/usr/bin/python3 scripts/mkpcap.py tests/pcap

format:
	clang-format -i lib/*.c net/*.c daemon/*.c daemon/*.h desk/*.c rules/*.c fetch/*.c ship/*.c tools/*.c include/*.h \
	    tests/unit/*.c tests/*.c tests/fuzz/*.c bench/*.c

SBINDIR = $(PREFIX)/sbin
BINDIR  = $(PREFIX)/bin
SHAREDIR = $(PREFIX)/share/sankaku
UNITDIR ?= $(PREFIX)/lib/systemd/system
MANDIR  = $(PREFIX)/share/man
DOCDIR  = $(PREFIX)/share/doc/sankaku

# Everything an operator needs; /etc/sankaku/sankaku.json is written only
# if there is none (an upgrade keeps the operator's), the example always.
install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(SHAREDIR)/rules $(DESTDIR)$(SHAREDIR)/redis \
	    $(DESTDIR)/etc/sankaku $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DOCDIR)
	install -m 755 build/sankakud $(DESTDIR)$(SBINDIR)/sankakud
	install -m 755 build/sankaku-rules $(DESTDIR)$(BINDIR)/sankaku-rules
	install -m 755 build/sankaku-fetch $(DESTDIR)$(BINDIR)/sankaku-fetch
	install -m 755 build/sankaku-tail $(DESTDIR)$(BINDIR)/sankaku-tail
	install -m 755 build/sankaku-hunt $(DESTDIR)$(BINDIR)/sankaku-hunt
	install -m 755 build/sankaku-ship $(DESTDIR)$(BINDIR)/sankaku-ship
	install -m 755 build/sankaku-desk $(DESTDIR)$(BINDIR)/sankaku-desk
	install -m 755 scripts/sankaku-refresh.sh $(DESTDIR)$(SBINDIR)/sankaku-refresh
	sed 's|@SBINDIR@|$(SBINDIR)|g' scripts/sankaku-replay-deadletter.sh \
	    >$(DESTDIR)$(BINDIR)/sankaku-replay-deadletter
	chmod 755 $(DESTDIR)$(BINDIR)/sankaku-replay-deadletter
	sed 's|^default_tmpl=.*|default_tmpl=$(SHAREDIR)/redis/sankaku-users.acl.in|' \
	    scripts/sankaku-acl.sh >$(DESTDIR)$(BINDIR)/sankaku-acl
	chmod 755 $(DESTDIR)$(BINDIR)/sankaku-acl
	install -m 644 suricata-rules/drupalgeddon2.rules \
	    suricata-rules/sankaku-eve-redis.yaml suricata-rules/sankaku-eve-file.yaml \
	    suricata-rules/sankaku-file-hashes.yaml $(DESTDIR)$(SHAREDIR)/rules/
	install -m 644 etc/redis/sankaku-users.acl.in $(DESTDIR)$(SHAREDIR)/redis/
	install -m 644 etc/sankaku.json $(DESTDIR)/etc/sankaku/sankaku.json.example
	[ -e $(DESTDIR)/etc/sankaku/sankaku.json ] || \
	    install -m 644 etc/sankaku.json $(DESTDIR)/etc/sankaku/sankaku.json
	install -m 644 etc/ship.json $(DESTDIR)/etc/sankaku/ship.json.example
	[ -e $(DESTDIR)/etc/sankaku/ship.json ] || \
	    install -m 644 etc/ship.json $(DESTDIR)/etc/sankaku/ship.json
	[ -e $(DESTDIR)/etc/sankaku/desk-users.json ] || \
	    install -m 600 /dev/null $(DESTDIR)/etc/sankaku/desk-users.json
	for u in sankakud.service sankaku-rules.service sankaku-rules.timer \
	    sankaku-fetch.service sankaku-ship.service sankaku-desk.service; do \
	    sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@BINDIR@|$(BINDIR)|g' \
	        systemd/$$u >$(DESTDIR)$(UNITDIR)/$$u; \
	    chmod 644 $(DESTDIR)$(UNITDIR)/$$u; done
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 man/*.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 644 README.md README.ja.md docs/OPERATIONS.md docs/DESIGN.md \
	    docs/PERFORMANCE.md $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/sankakud $(DESTDIR)$(BINDIR)/sankaku-rules \
	    $(DESTDIR)$(BINDIR)/sankaku-fetch \
	    $(DESTDIR)$(UNITDIR)/sankaku-fetch.service \
	    $(DESTDIR)$(MANDIR)/man1/sankaku-fetch.1 \
	    $(DESTDIR)$(BINDIR)/sankaku-tail \
	    $(DESTDIR)$(BINDIR)/sankaku-hunt \
	    $(DESTDIR)$(MANDIR)/man1/sankaku-hunt.1 \
	    $(DESTDIR)$(SBINDIR)/sankaku-refresh \
	    $(DESTDIR)$(BINDIR)/sankaku-replay-deadletter \
	    $(DESTDIR)$(BINDIR)/sankaku-acl \
	    $(DESTDIR)$(BINDIR)/sankaku-ship $(DESTDIR)$(BINDIR)/sankaku-desk \
	    $(DESTDIR)$(UNITDIR)/sankaku-ship.service \
	    $(DESTDIR)$(UNITDIR)/sankaku-desk.service \
	    $(DESTDIR)$(MANDIR)/man8/sankaku-ship.8 \
	    $(DESTDIR)$(MANDIR)/man8/sankaku-desk.8 \
	    $(DESTDIR)$(UNITDIR)/sankakud.service \
	    $(DESTDIR)$(UNITDIR)/sankaku-rules.service \
	    $(DESTDIR)$(UNITDIR)/sankaku-rules.timer \
	    $(DESTDIR)$(MANDIR)/man1/sankaku-rules.1 \
	    $(DESTDIR)$(MANDIR)/man1/sankaku-tail.1 \
	    $(DESTDIR)$(MANDIR)/man5/sankaku.json.5 \
	    $(DESTDIR)$(MANDIR)/man8/sankakud.8 \
	    $(DESTDIR)$(MANDIR)/man8/sankaku-acl.8 \
	    $(DESTDIR)$(MANDIR)/man8/sankaku-refresh.8 \
	    $(DESTDIR)$(MANDIR)/man8/sankaku-replay-deadletter.8
	rm -rf $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(DOCDIR)

clean:
	rm -rf build

.PHONY: all deps check check-unit check-e2e check-static check-fuzz fuzz soak demo bench uninstall \
        valgrind pcaps format install clean

-include $(shell find build -name '*.d' 2>/dev/null)
