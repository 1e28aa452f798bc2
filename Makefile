# Gatehouse: the two commands (make run, make test) and their helpers.
# Both install the Debian packages they need first (apt-get, as root or through sudo).

SWIFT        ?= swift
POLICY       ?= policies/lab.yaml
FUZZ_SECONDS ?= 60
APT_GET      := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)

# Libraries the build links against (module maps in Sources/C*), what the tests drive, what the benchmarks compare.
BUILD_PACKAGES := pkg-config libssl-dev libsrtp2-dev libpcap-dev libnftnl-dev libmnl-dev libsqlite3-dev
TEST_PACKAGES  := sip-tester sipsak iproute2 openssl
BENCH_PACKAGES := sip-tester kamailio

# Installs the Debian packages of $(1) that are missing (one apt-get update, only when something is missing).
define install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(APT_GET) update -qq && DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq $$missing; \
	fi
endef

.PHONY: run test build release lint format fuzz bench bench-cps deps test-deps bench-deps clean

## Build in release and start Gatehouse on the lab policy.
run: deps release
	.build/release/gatehouse serve --policy $(POLICY)

## Install what the tests need and run the whole suite.
test: deps test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product gatehouse

## swift-format in strict lint mode (.swift-format holds the rules).
lint:
	$(SWIFT) format lint --recursive --strict Sources Tests fuzz/Sources

format:
	$(SWIFT) format --in-place --recursive Sources Tests fuzz/Sources

## libFuzzer harnesses, FUZZ_SECONDS each.
fuzz: deps
	fuzz/run.sh $(FUZZ_SECONDS)

## Codec throughput, release build.
bench: release
	.build/release/gatehouse bench parse

## Calls per second through a proxy: SIPp UAC -> element -> SIPp UAS (bench/cps/run.sh). Gatehouse does not
## relay calls yet (the B2BUA of the signalling issue), so only Kamailio's baseline runs.
bench-cps: bench-deps
	bench/cps/run.sh kamailio
	@echo "gatehouse: not measured: the B2BUA that relays calls is not built yet"

deps:
	$(call install_missing,$(BUILD_PACKAGES))

test-deps:
	$(call install_missing,$(TEST_PACKAGES))

bench-deps:
	$(call install_missing,$(BENCH_PACKAGES))

clean:
	rm -rf .build .build-* fuzz/.build-* fuzz/corpus-work fuzz/artifacts
