# tests/fuzz/fuzz.mk - libFuzzer harnesses (included by the Makefile).
#
#   make fuzz                    run every harness FUZZ_SECONDS (60) seconds
#   make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS="query snippet"
#   make fuzz-replay             replay the seed corpus and the kept crash
#                                inputs (tests/fuzz/regressions/NAME/) under
#                                ASan+UBSan, without the fuzzing engine
#   make fuzz-build              build both flavours only
#
# Everything is built with clang into build-fuzz/: the project's sources are
# compiled straight from the source lists, once with coverage for libFuzzer
# (build-fuzz/fuzz/) and once without (build-fuzz/replay/). New corpus
# entries go to build-fuzz/corpus/NAME/, crashes to build-fuzz/artifacts/NAME/;
# a crash worth keeping is minimized (fuzz-NAME -minimize_crash=1 ...) and
# copied to tests/fuzz/regressions/NAME/.

FUZZ_CC ?= clang
FUZZ_CXX ?= clang++
FUZZ_SECONDS ?= 60
FUZZ_DIR := build-fuzz
FUZZ_NAMES := extract_text extract_html extract_xml analyze query snippet
FUZZ_TARGETS ?= $(FUZZ_NAMES)

# Seeds used in place: the test fixtures and the sample corpus (the files
# under tests/fuzz/corpus/NAME/ are only those written for the fuzzers).
FUZZ_SEEDS_extract_text := tests/corpora/text corpus/trade corpus/industry
FUZZ_SEEDS_extract_html := tests/corpora/formats corpus/diplomacy
FUZZ_SEEDS_extract_xml := tests/corpora/formats tests/corpora/broken corpus/wires corpus/feeds

# Longest input each harness is given (bytes).
FUZZ_MAXLEN_extract_text := 16384
FUZZ_MAXLEN_extract_html := 32768
FUZZ_MAXLEN_extract_xml := 32768
FUZZ_MAXLEN_analyze := 4096
FUZZ_MAXLEN_query := 17408
FUZZ_MAXLEN_snippet := 4096
FUZZ_DICT_extract_html := tests/fuzz/dict/html.dict
FUZZ_DICT_extract_xml := tests/fuzz/dict/xml.dict
FUZZ_DICT_query := tests/fuzz/dict/query.dict

FUZZ_LIB_SRC := $(COMMON_C) $(COMMON_CXX) $(INDEXER_C) $(SEARCHER_C)
FUZZ_COMMON_FLAGS := -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=all \
	-D_GNU_SOURCE -DTS_VERSION='"$(VERSION)"' -Icommon -Iindexer -Isearcher -Itests/fuzz \
	-MMD -MP
FUZZ_CFLAGS := -std=c11 $(CWARN) $(PKG_CFLAGS) -pthread
FUZZ_CXXFLAGS := -std=c++17 $(WARN) $(XAPIAN_CXXFLAGS)
FUZZ_LIBS := $(LDLIBS) -pthread

# Sanitizers per flavour: coverage for the fuzzer, none for the replay.
FUZZ_SAN_fuzz := -fsanitize=fuzzer-no-link,address,undefined
FUZZ_SAN_replay := -fsanitize=address,undefined
FUZZ_LINK_fuzz := -fsanitize=fuzzer,address,undefined
FUZZ_LINK_replay := -fsanitize=address,undefined

fuzz_obj = $(addprefix $(FUZZ_DIR)/$(1)/,$(patsubst %.cc,%.o,$(patsubst %.c,%.o,$(2))))
FUZZ_LIB_OBJS_fuzz := $(call fuzz_obj,fuzz,$(FUZZ_LIB_SRC))
FUZZ_LIB_OBJS_replay := $(call fuzz_obj,replay,$(FUZZ_LIB_SRC))
FUZZ_BINS := $(addprefix $(FUZZ_DIR)/fuzz-,$(FUZZ_NAMES))
REPLAY_BINS := $(addprefix $(FUZZ_DIR)/replay-,$(FUZZ_NAMES))

FUZZ_HARNESS_OBJS := $(foreach f,fuzz replay,$(foreach n,$(FUZZ_NAMES), \
	$(FUZZ_DIR)/$(f)/tests/fuzz/fuzz_$(n).o)) $(FUZZ_DIR)/replay/tests/fuzz/replay_main.o

.PHONY: fuzz fuzz-build fuzz-replay
.SECONDARY: $(FUZZ_HARNESS_OBJS)

$(FUZZ_DIR)/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_COMMON_FLAGS) $(FUZZ_SAN_fuzz) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_DIR)/fuzz/%.o: %.cc
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(FUZZ_COMMON_FLAGS) $(FUZZ_SAN_fuzz) $(FUZZ_CXXFLAGS) -c -o $@ $<

$(FUZZ_DIR)/replay/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_COMMON_FLAGS) $(FUZZ_SAN_replay) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_DIR)/replay/%.o: %.cc
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(FUZZ_COMMON_FLAGS) $(FUZZ_SAN_replay) $(FUZZ_CXXFLAGS) -c -o $@ $<

$(FUZZ_DIR)/libtsearch-fuzz.a: $(FUZZ_LIB_OBJS_fuzz)
	@rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_DIR)/libtsearch-replay.a: $(FUZZ_LIB_OBJS_replay)
	@rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_DIR)/fuzz-%: $(FUZZ_DIR)/fuzz/tests/fuzz/fuzz_%.o $(FUZZ_DIR)/libtsearch-fuzz.a
	$(FUZZ_CXX) $(FUZZ_LINK_fuzz) -o $@ $^ $(FUZZ_LIBS)

$(FUZZ_DIR)/replay-%: $(FUZZ_DIR)/replay/tests/fuzz/fuzz_%.o \
		$(FUZZ_DIR)/replay/tests/fuzz/replay_main.o $(FUZZ_DIR)/libtsearch-replay.a
	$(FUZZ_CXX) $(FUZZ_LINK_replay) -o $@ $^ $(FUZZ_LIBS)

fuzz-build: $(FUZZ_BINS) $(REPLAY_BINS)

# Each harness in turn; a crash is reported and the others still run.
fuzz: $(addprefix $(FUZZ_DIR)/fuzz-,$(FUZZ_TARGETS))
	@failed=""; \
	for n in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_DIR)/corpus/$$n $(FUZZ_DIR)/artifacts/$$n; \
		dict=$$(case $$n in \
			extract_html) echo $(FUZZ_DICT_extract_html) ;; \
			extract_xml) echo $(FUZZ_DICT_extract_xml) ;; \
			query) echo $(FUZZ_DICT_query) ;; esac); \
		maxlen=$$(case $$n in \
			extract_text) echo $(FUZZ_MAXLEN_extract_text) ;; \
			extract_html) echo $(FUZZ_MAXLEN_extract_html) ;; \
			extract_xml) echo $(FUZZ_MAXLEN_extract_xml) ;; \
			analyze) echo $(FUZZ_MAXLEN_analyze) ;; \
			query) echo $(FUZZ_MAXLEN_query) ;; \
			snippet) echo $(FUZZ_MAXLEN_snippet) ;; esac); \
		seeds=$$(case $$n in \
			extract_text) echo $(FUZZ_SEEDS_extract_text) ;; \
			extract_html) echo $(FUZZ_SEEDS_extract_html) ;; \
			extract_xml) echo $(FUZZ_SEEDS_extract_xml) ;; esac); \
		echo "fuzz-$$n: $(FUZZ_SECONDS) s"; \
		LSAN_OPTIONS=print_suppressions=0 \
		$(FUZZ_DIR)/fuzz-$$n -max_total_time=$(FUZZ_SECONDS) -max_len=$$maxlen \
			-rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
			$${dict:+-dict=$$dict} \
			-artifact_prefix=$(FUZZ_DIR)/artifacts/$$n/ \
			$(FUZZ_DIR)/corpus/$$n tests/fuzz/corpus/$$n $$seeds \
			|| failed="$$failed $$n"; \
	done; \
	if [ -n "$$failed" ]; then \
		echo "fuzz: crashes in:$$failed (inputs in $(FUZZ_DIR)/artifacts/)"; exit 1; \
	fi

# The seed corpus and the kept regressions, once each, without the engine.
fuzz-replay: $(REPLAY_BINS)
	@failed=""; \
	for n in $(FUZZ_NAMES); do \
		dirs="tests/fuzz/corpus/$$n $$(case $$n in \
			extract_text) echo $(FUZZ_SEEDS_extract_text) ;; \
			extract_html) echo $(FUZZ_SEEDS_extract_html) ;; \
			extract_xml) echo $(FUZZ_SEEDS_extract_xml) ;; esac)"; \
		[ -d tests/fuzz/regressions/$$n ] && dirs="$$dirs tests/fuzz/regressions/$$n"; \
		LSAN_OPTIONS=print_suppressions=0 $(FUZZ_DIR)/replay-$$n $$dirs \
			|| failed="$$failed $$n"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz-replay: failed:$$failed"; exit 1; fi

-include $(shell find $(FUZZ_DIR) -name '*.d' 2>/dev/null)
