# Gatehouse: the two commands (make run, make test) and their helpers.
# Both install the Debian packages they need first (apt-get, as root or through sudo).

SWIFT        ?= swift
POLICY       ?= policies/lab.yaml
# The self-signed certificate of the lab's TLS listeners (policies/lab.yaml points here); git ignores .gatehouse/.
LAB_TLS      := .gatehouse/tls
FUZZ_SECONDS ?= 60
BENCH_SECONDS ?= 5
# Seconds per step of the media bench's rate search (and per flood cell); about 30 s a search at 2.
MEDIA_BENCH_SECONDS ?= 2
# Warnings in our own targets are errors here as in CI (Package.swift reads it), so a local `make test` fails
# where CI would; set GATEHOUSE_WERROR=0 to build through them while working.
export GATEHOUSE_WERROR ?= 1
# make install: where things go. DESTDIR stages the whole tree under a directory instead of /.
PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
# systemd looks for units, sysusers.d and tmpfiles.d under /usr/local/lib and /usr/lib as well as /etc.
SYSTEMDDIR   ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR  ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR  ?= $(PREFIX)/lib/tmpfiles.d
DOCDIR       ?= $(PREFIX)/share/doc/gatehouse
# Fixed: the unit's ConfigurationDirectory=gatehouse is /etc/gatehouse whatever the prefix.
CONFDIR      := /etc/gatehouse
# What `make install` installs: the release build (the tests stage the debug build they were built with).
BINARY       ?= .build/release/gatehouse
APT_GET      := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)

# Libraries the build links against (module maps in Sources/C*), what the tests drive, what the benchmarks compare.
BUILD_PACKAGES := pkg-config libssl-dev libsrtp2-dev libpcap-dev libnftnl-dev libmnl-dev libsqlite3-dev openssl
# dnsmasq-base: the dnsmasq binary for the DNS tests, without a system service that would take port 53.
# chromium renders the status page headless; prometheus brings promtool, which checks the /metrics text.
# systemd: systemd-analyze, systemd-sysusers and systemd-tmpfiles check the unit files (make is there already).
# tcpdump captures live traffic for the replay tests; tshark checks the media legs.
# nftables (nft) reads the kernel blocklist back; sipvicious scans a node in the firewall tests.
TEST_PACKAGES  := sip-tester sipsak iproute2 openssl socat dnsmasq-base chromium prometheus systemd nftables sipvicious tcpdump tshark baresip
BENCH_PACKAGES := sip-tester kamailio rtpengine-daemon

# Installs the Debian packages of $(1) that are missing (one apt-get update, only when something is missing).
define install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(APT_GET) update -qq && DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq $$missing; \
	fi
endef

.PHONY: run lab-certs test build release lint format fuzz bench bench-cps bench-media deps test-deps bench-deps clean
.PHONY: install uninstall

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

## Media relay packets/s (bench/media/run.sh): bare loopback, Gatehouse and rtpengine (userspace) for 1, 100 and
## 1000 streams, RTP→RTP and RTP→SRTP, as Markdown tables: the highest paced rate with less than 1 % loss, and
## what a flood delivers.
bench-media: bench-deps release
	bench/media/run.sh $(MEDIA_BENCH_SECONDS)

## Install as a system service: `make release`, then `sudo make install`, then `systemctl enable --now gatehouse`.
## Installs the release binary (not built here: a build as root would leave root-owned files in .build), the
## systemd unit, its user (sysusers.d) and file modes (tmpfiles.d), the documentation and, unless one exists, the
## default policy /etc/gatehouse/gatehouse.yaml. With DESTDIR it only stages the files (packaging, the tests).
install:
	@test -x $(BINARY) || { echo "$(BINARY) is missing: run 'make release' first (as yourself, not as root)"; exit 1; }
	install -D -m 0755 $(BINARY) $(DESTDIR)$(BINDIR)/gatehouse
	install -d $(DESTDIR)$(SYSTEMDDIR)
	sed 's|/usr/local/|$(PREFIX)/|g' systemd/gatehouse.service > $(DESTDIR)$(SYSTEMDDIR)/gatehouse.service
	chmod 0644 $(DESTDIR)$(SYSTEMDDIR)/gatehouse.service
	install -D -m 0644 systemd/gatehouse.sysusers $(DESTDIR)$(SYSUSERSDIR)/gatehouse.conf
	install -D -m 0644 systemd/gatehouse.tmpfiles $(DESTDIR)$(TMPFILESDIR)/gatehouse.conf
	install -D -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md
	install -D -m 0644 -t $(DESTDIR)$(DOCDIR)/policies policies/README.md policies/*.yaml
	install -d -m 0750 $(DESTDIR)$(CONFDIR)
	@if [ -e $(DESTDIR)$(CONFDIR)/gatehouse.yaml ]; then \
	  echo "keeping $(DESTDIR)$(CONFDIR)/gatehouse.yaml (the new default is $(DOCDIR)/policies/gatehouse.yaml)"; \
	else \
	  echo "install -m 0640 policies/gatehouse.yaml $(DESTDIR)$(CONFDIR)/gatehouse.yaml"; \
	  install -m 0640 policies/gatehouse.yaml $(DESTDIR)$(CONFDIR)/gatehouse.yaml; \
	fi
	@if [ -z "$(DESTDIR)" ]; then \
	  if command -v systemd-sysusers >/dev/null; then systemd-sysusers $(SYSUSERSDIR)/gatehouse.conf; fi; \
	  if command -v systemd-tmpfiles >/dev/null; then systemd-tmpfiles --create $(TMPFILESDIR)/gatehouse.conf; fi; \
	  if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi; \
	fi

## Removes what `make install` installed and stops the service; keeps the policy, the state and the logs
## (/etc/gatehouse, /var/lib/gatehouse, /var/log/gatehouse) and the user.
uninstall:
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl disable --now gatehouse.service || true; fi
	rm -f $(DESTDIR)$(BINDIR)/gatehouse $(DESTDIR)$(SYSTEMDDIR)/gatehouse.service
	rm -f $(DESTDIR)$(SYSUSERSDIR)/gatehouse.conf $(DESTDIR)$(TMPFILESDIR)/gatehouse.conf
	rm -rf $(DESTDIR)$(DOCDIR)
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "kept $(CONFDIR), /var/lib/gatehouse, /var/log/gatehouse and the user gatehouse"

deps:
	$(call install_missing,$(BUILD_PACKAGES))

test-deps:
	$(call install_missing,$(TEST_PACKAGES))

bench-deps:
	$(call install_missing,$(BENCH_PACKAGES))

clean:
	rm -rf .build .build-* fuzz/.build-* fuzz/corpus-work fuzz/artifacts
