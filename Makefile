# Gatehouse: the two commands (make run, make test) and their helpers.
# Both install the Debian packages they need first (apt-get, as root or through sudo).

SWIFT        ?= swift
POLICY       ?= policies/lab.yaml
# The self-signed certificate of the lab's TLS listeners (policies/lab.yaml points here); git ignores .gatehouse/.
LAB_TLS      := .gatehouse/tls
FUZZ_SECONDS ?= 60
# Warnings in our own targets are errors here as in CI (Package.swift reads it), so a local `make test` fails
# where CI would; set GATEHOUSE_WERROR=0 to build through them while working.
export GATEHOUSE_WERROR ?= 1
APT_GET      := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)

# Libraries the build links against (module maps in Sources/C*), what the tests drive, what the benchmarks compare.
BUILD_PACKAGES := pkg-config libssl-dev libsrtp2-dev libpcap-dev libnftnl-dev libmnl-dev libsqlite3-dev openssl
# dnsmasq-base: the dnsmasq binary for the DNS tests, without a system service that would take port 53.
TEST_PACKAGES  := sip-tester sipsak iproute2 openssl socat dnsmasq-base tcpdump
BENCH_PACKAGES := sip-tester kamailio

# Installs the Debian packages of $(1) that are missing (one apt-get update, only when something is missing).
define install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(APT_GET) update -qq && DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq $$missing; \
	fi
endef

.PHONY: run lab-certs test build release lint format fuzz bench bench-cps deps test-deps bench-deps clean

## Build in release and start Gatehouse on the lab policy (TLS on 5061 with a generated self-signed certificate).
run: deps release lab-certs
	.build/release/gatehouse serve --policy $(POLICY) --pid-file .gatehouse/gatehouse.pid

## The lab certificate for 127.0.0.10 and 127.0.0.20 (CN gatehouse.lab), made once; delete $(LAB_TLS) to renew.
lab-certs: $(LAB_TLS)/lab.crt

$(LAB_TLS)/lab.crt:
	mkdir -p $(LAB_TLS)
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=gatehouse.lab" \
	  -addext "subjectAltName=IP:127.0.0.10,IP:127.0.0.20,DNS:gatehouse.lab" \
	  -keyout $(LAB_TLS)/lab.key -out $(LAB_TLS)/lab.crt 2>/dev/null
	chmod 600 $(LAB_TLS)/lab.key

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

## Calls per second through a SIP element: SIPp UAC -> element -> SIPp UAS (bench/cps/run.sh), Gatehouse and
## Kamailio 5.6 (stateful record-routing proxy, no topology hiding) in the same run.
bench-cps: bench-deps release lab-certs
	bench/cps/run.sh gatehouse
	bench/cps/run.sh kamailio

deps:
	$(call install_missing,$(BUILD_PACKAGES))

test-deps:
	$(call install_missing,$(TEST_PACKAGES))

bench-deps:
	$(call install_missing,$(BENCH_PACKAGES))

clean:
	rm -rf .build .build-* fuzz/.build-* fuzz/corpus-work fuzz/artifacts
