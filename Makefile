# Tongxin build. GNU make; every src/<part>/*.c is compiled, so adding a file needs no edit here.
#   make            build build/tongxin
#   make run        install what is missing, build, create the demo database if none, serve
#   make check      install what is missing, build, lint the OpenAPI document, run every test on
#                   SQLite and PostgreSQL
#   make check NO_E2E=1   the same without the browser tests (the sanitizer pass of .ci/run)
#   make SAN=1 ...  the same with AddressSanitizer + UndefinedBehaviorSanitizer (in build-asan/)

SAN ?=
ifeq ($(SAN),1)
BUILD ?= build-asan
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT = -O1
else
BUILD ?= build
SANFLAGS =
OPT = -O2
endif

CC ?= cc
PKGS = libmicrohttpd jansson sqlite3 libpq libsodium icu-uc icu-i18n xlsxwriter liboath libqrencode libical libcmark libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes \
       -Wvla -Wno-missing-field-initializers -Wpointer-arith -Wundef -Wno-format-truncation
CFLAGS = -std=c11 -D_DEFAULT_SOURCE $(OPT) -g $(WARN) $(SANFLAGS) -Isrc -I$(BUILD)/gen $(PKG_CFLAGS)
LDFLAGS = $(SANFLAGS)
LIBS = $(PKG_LIBS) -lpthread -lm

LIB_SRCS := $(filter-out src/main.c,$(wildcard src/*/*.c))
LIB_OBJS := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS)) $(BUILD)/obj/gen/embedded.o
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
EMBED_FILES := $(sort $(wildcard src/db/migrations/*/*.sql) $(wildcard docs/openapi/*.json)) \
               $(shell test -d web/dist && find web/dist -type f | sort)

.PHONY: all run check unit api e2e deps clean demo-db format matching-check openapi-lint
all: $(BUILD)/tongxin

# ---- web UI (web/) ------------------------------------------------------------------------
# The browser application is built by Vite into web/dist/ and embedded into the binary (see
# EMBED_FILES above: every file under web/dist/ once it exists). The build's stamp is an
# included makefile, so make builds the UI before anything else and then re-reads this file:
# EMBED_FILES then names the files of this very build, with no second make pass to race.
# The UI's API types are generated from the OpenAPI document (web/scripts/openapi-types.mjs), so
# a change to docs/openapi/ rebuilds it. The generated file itself is left out.
WEB_SRCS := $(filter-out web/src/api/openapi.gen.ts,$(shell find web/src web/public web/scripts -type f 2>/dev/null)) \
            web/index.html web/vite.config.ts web/tsconfig.json web/package.json \
            $(wildcard docs/openapi/*.json)
.PHONY: web
web: web/.dist-stamp.mk
web/node_modules/.package-lock.json: web/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make: npm not found. The web UI needs Node.js 20+" \
	  "and npm: run 'sh scripts/install-deps.sh' (or apt-get install nodejs npm)." >&2; exit 1; }
	cd web && npm ci --no-audit --no-fund --loglevel=error
web/.dist-stamp.mk: web/node_modules/.package-lock.json $(WEB_SRCS)
	cd web && npm run build
	@echo "# web/dist built $$(date -u +%FT%TZ); see the Makefile's web UI block" > $@
ifeq ($(filter clean format deps fuzz fuzz-names fuzz-clean,$(MAKECMDGOALS)),)
include web/.dist-stamp.mk
endif
# ---- end of web UI ------------------------------------------------------------------------

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror $< -o $@

$(BUILD)/gen/embedded.c: $(BUILD)/tools/embed $(EMBED_FILES)
	@mkdir -p $(dir $@)
	@$(BUILD)/tools/embed $@ $(EMBED_FILES)

$(BUILD)/obj/gen/embedded.o: $(BUILD)/gen/embedded.c
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libtongxin.a: $(LIB_OBJS)
	@rm -f $@ && ar rcs $@ $^

$(BUILD)/tongxin: $(BUILD)/obj/main.o $(BUILD)/libtongxin.a
	@echo "  LD $@"
	@$(CC) $(LDFLAGS) $^ $(LIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libtongxin.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< $(BUILD)/libtongxin.a $(LIBS) $(shell pkg-config --libs cmocka) -o $@

deps:
	@scripts/install-deps.sh

unit: $(UNIT_BINS)
	@scripts/run-unit.sh $(UNIT_BINS)

api: $(BUILD)/tongxin
	@scripts/run-api.sh $(BUILD)/tongxin

# the global allocation against an independent solver (networkx), on random instances
matching-check: $(BUILD)/tongxin
	@python3 tests/matching/check_optimal.py --bin $(BUILD)/tongxin

e2e: $(BUILD)/tongxin
	@scripts/run-e2e-engines.sh $(BUILD)/tongxin

# the OpenAPI document the binary serves, linted with Redocly's CLI and our rules (redocly.yaml:
# every operation has an operationId, a summary, its error replies and its roles)
openapi-lint: $(BUILD)/tongxin
	@sh scripts/npm-deps.sh tests/api
	@$(BUILD)/tongxin openapi > $(BUILD)/openapi.json
	@echo "==> OpenAPI lint ($(BUILD)/openapi.json, redocly.yaml)"
	@REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
	  tests/api/node_modules/.bin/redocly lint --config redocly.yaml --format=stylish $(BUILD)/openapi.json

check: deps
	@$(MAKE) --no-print-directory all unit matching-check openapi-lint
	@scripts/run-api.sh $(BUILD)/tongxin
	@if [ -z "$(NO_E2E)" ]; then scripts/run-e2e-engines.sh $(BUILD)/tongxin; fi

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run.sh $(BUILD)/tongxin

format:
	clang-format -i $(wildcard src/*.c src/*/*.c src/*/*.h tests/unit/*.c)

clean:
	rm -rf build build-asan

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/obj/*/*.d)

# ---- fuzz: libFuzzer harnesses (tests/fuzz/fuzz_<name>.c) -------------------------------------
#   make fuzz                 builds build-fuzz/fuzz_<name> with clang + ASan + UBSan
#   scripts/run-fuzz.sh [S]   runs each for S seconds (default 30) on a copy of its corpus
# The sources a harness tests are compiled into it directly (never the gcc objects), so the
# fuzzer's coverage instrumentation and the sanitizers see them.
FUZZ_CC ?= clang
FUZZ_BUILD = build-fuzz
FUZZ_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -O1 -g -fno-omit-frame-pointer $(filter-out -Wno-format-truncation,$(WARN)) \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Isrc $(PKG_CFLAGS)
# every tests/fuzz/fuzz_<name>.c is a harness (a new one is built and run by CI without an edit
# here; it fails to link until FUZZ_SRCS_<name> names what it tests), plus variants
FUZZ_NAMES = $(sort $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)) csv_small)
FUZZ_SRCS_csv = src/lib/csv.c src/lib/text.c
FUZZ_SRCS_csv_small = $(FUZZ_SRCS_csv)
FUZZ_MAIN_csv_small = tests/fuzz/fuzz_csv.c
FUZZ_DEFS_csv_small = -DCSV_RAW_CAP=64
FUZZ_SRCS_creditcode = src/lib/creditcode.c
FUZZ_SRCS_text = src/lib/text.c
FUZZ_SRCS_division = src/lib/division.c
FUZZ_SRCS_http = src/core/msg.c src/http/router.c src/lib/mem.c
FUZZ_SRCS_validate = src/core/validate.c src/core/error.c src/lib/mem.c

define FUZZ_RULE
$(FUZZ_BUILD)/fuzz_$(1): $(or $(FUZZ_MAIN_$(1)),tests/fuzz/fuzz_$(1).c) tests/fuzz/fuzz.h $(FUZZ_SRCS_$(1))
	@mkdir -p $(FUZZ_BUILD)
	@echo "  FUZZ $$@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_DEFS_$(1)) $$< $(FUZZ_SRCS_$(1)) $(PKG_LIBS) -o $$@
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call FUZZ_RULE,$(n))))

.PHONY: fuzz fuzz-clean fuzz-names
fuzz: $(foreach n,$(FUZZ_NAMES),$(FUZZ_BUILD)/fuzz_$(n))
fuzz-names:
	@echo $(FUZZ_NAMES)
fuzz-clean:
	rm -rf $(FUZZ_BUILD)
