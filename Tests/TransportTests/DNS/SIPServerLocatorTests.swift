import SIPMessage
import TestSupport
import Testing

@testable import Transport

/// Each branch of RFC 3263 §4.1 and §4.2 on a fake lookup table.
@Suite struct SIPServerLocatorTests {
    let all: Set<SIPTransport> = [.udp, .tcp, .tls]

    func locate(
        _ uri: String, _ dns: FakeDNS, supporting transports: Set<SIPTransport>? = nil, seed: UInt64 = 1
    ) async throws -> [SIPEndpoint] {
        var generator = SeededGenerator(seed: seed)
        let locator = SIPServerLocator(lookup: dns.lookup)
        return try await locator.locate(
            SIPServerTarget(uri: try SIPURI(parsing: uri)), supporting: transports ?? all, using: &generator)
    }

    func failure(
        _ uri: String, _ dns: FakeDNS, supporting transports: Set<SIPTransport>? = nil
    ) async -> SIPLocationError? {
        do {
            let endpoints = try await locate(uri, dns, supporting: transports)
            Issue.record("\(uri) was located at \(endpoints)")
            return nil
        } catch let error as SIPLocationError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    // MARK: §4.1, §4.2: numeric hosts

    @Test func aNumericHostIsUsedAsItIs() async throws {
        let dns = FakeDNS([])
        #expect(try await locate("sip:192.0.2.1", dns) == [SIPEndpoint(transport: .udp, host: "192.0.2.1", port: 5060)])
        #expect(
            try await locate("sip:192.0.2.1:5070;transport=TCP", dns)
                == [SIPEndpoint(transport: .tcp, host: "192.0.2.1", port: 5070)])
        #expect(
            try await locate("sips:[2001:DB8::1]", dns) == [
                SIPEndpoint(transport: .tls, host: "2001:db8::1", port: 5061)
            ])
        #expect(
            try await locate("sip:192.0.2.1", dns, supporting: [.tcp])
                == [SIPEndpoint(transport: .tcp, host: "192.0.2.1", port: 5060)])
        #expect(dns.asked.isEmpty)
    }

    // MARK: §4.2: a port given

    @Test func aPortMeansAddressRecordsOnly() async throws {
        let dns = FakeDNS([
            ("example.test", .a, [.a("192.0.2.1")]), ("example.test", .aaaa, [.aaaa("2001:db8::1")]),
            ("_sip._udp.example.test", .srv, [.srv(1, 1, 5999, "other.test")]),
        ])
        #expect(
            try await locate("sip:example.test:5070", dns) == [
                SIPEndpoint(transport: .udp, host: "192.0.2.1", port: 5070),
                SIPEndpoint(transport: .udp, host: "2001:db8::1", port: 5070),
            ])
        #expect(dns.asked == ["A example.test", "AAAA example.test"])
    }

    // MARK: §4.2: a transport parameter

    @Test func aTransportParameterMeansSRVOfThatTransport() async throws {
        let dns = FakeDNS([
            (
                "_sip._tcp.example.test", .srv,
                [.srv(10, 1, 5080, "b.example.test"), .srv(5, 1, 5070, "a.example.test")]
            ),
            ("a.example.test", .a, [.a("192.0.2.1")]), ("b.example.test", .a, [.a("192.0.2.2")]),
        ])
        #expect(
            try await locate("sip:example.test;transport=tcp", dns) == [
                SIPEndpoint(transport: .tcp, host: "192.0.2.1", port: 5070),
                SIPEndpoint(transport: .tcp, host: "192.0.2.2", port: 5080),
            ])
        #expect(dns.asked.first == "SRV _sip._tcp.example.test")
        #expect(!dns.asked.contains("NAPTR example.test"))
    }

    @Test func aTransportParameterWithoutSRVFallsBackToAddressRecords() async throws {
        let dns = FakeDNS([("example.test", .a, [.a("192.0.2.1")])])
        #expect(
            try await locate("sips:example.test;transport=tcp", dns)
                == [SIPEndpoint(transport: .tls, host: "192.0.2.1", port: 5061)])
        #expect(dns.asked == ["SRV _sips._tcp.example.test", "A example.test", "AAAA example.test"])
    }

    // MARK: §4.1: NAPTR

    @Test func naptrRecordsGoByOrderThenPreferenceForSupportedServices() async throws {
        let dns = FakeDNS([
            (
                "example.test", .naptr,
                [
                    .naptr(10, 50, "s", "SIP+D2U", "_sip._udp.example.test"),
                    .naptr(10, 10, "S", "sip+d2t", "_sip._tcp.example.test"),
                    .naptr(5, 10, "s", "SIPS+D2T", "_sips._tcp.example.test"),  // TLS not supported here
                    .naptr(1, 10, "a", "SIP+D2U", "ignored.example.test"),  // not an "s" record
                    .naptr(1, 10, "u", "E2U+sip", "."),  // ENUM, not for SIP location
                ]
            ),
            ("_sip._udp.example.test", .srv, [.srv(1, 1, 5060, "udp.example.test")]),
            ("_sip._tcp.example.test", .srv, [.srv(1, 1, 5060, "tcp.example.test")]),
            ("_sips._tcp.example.test", .srv, [.srv(1, 1, 5061, "tls.example.test")]),
            ("udp.example.test", .a, [.a("192.0.2.1")]), ("tcp.example.test", .a, [.a("192.0.2.2")]),
            ("tls.example.test", .a, [.a("192.0.2.3")]),
        ])
        #expect(
            try await locate("sip:example.test", dns, supporting: [.udp, .tcp]) == [
                SIPEndpoint(transport: .tcp, host: "192.0.2.2", port: 5060),
                SIPEndpoint(transport: .udp, host: "192.0.2.1", port: 5060),
            ])
        #expect(!dns.asked.contains("SRV _sips._tcp.example.test"))
        #expect(!dns.asked.contains { $0.contains("ignored") })
    }

    @Test func aSIPSTargetDiscardsInsecureNAPTRServices() async throws {
        let dns = FakeDNS([
            (
                "example.test", .naptr,
                [
                    .naptr(10, 10, "s", "SIP+D2U", "_sip._udp.example.test"),
                    .naptr(20, 10, "s", "SIPS+D2T", "_sips._tcp.example.test"),
                ]
            ),
            ("_sip._udp.example.test", .srv, [.srv(1, 1, 5060, "udp.example.test")]),
            ("_sips._tcp.example.test", .srv, [.srv(1, 1, 5061, "tls.example.test")]),
            ("udp.example.test", .a, [.a("192.0.2.1")]), ("tls.example.test", .aaaa, [.aaaa("2001:db8::3")]),
        ])
        #expect(
            try await locate("sips:example.test", dns) == [
                SIPEndpoint(transport: .tls, host: "2001:db8::3", port: 5061)
            ])
        #expect(!dns.asked.contains("SRV _sip._udp.example.test"))
    }

    @Test func aNAPTRTimeoutStillLeavesSRV() async throws {
        let dns = FakeDNS(
            [
                ("_sip._udp.example.test", .srv, [.srv(1, 1, 5062, "sip.example.test")]),
                ("sip.example.test", .a, [.a("192.0.2.1")]),
            ],
            failing: [("example.test", .naptr, .timeout)])
        #expect(
            try await locate("sip:example.test", dns) == [SIPEndpoint(transport: .udp, host: "192.0.2.1", port: 5062)])
    }

    // MARK: §4.1: SRV without NAPTR, then A/AAAA

    @Test func withoutNAPTRItAsksSRVForEachSupportedTransportMostSecureFirst() async throws {
        let dns = FakeDNS([
            ("_sips._tcp.example.test", .srv, [.srv(1, 1, 5061, "sip.example.test")]),
            ("_sip._tcp.example.test", .srv, [.srv(1, 1, 5060, "sip.example.test")]),
            ("_sip._udp.example.test", .srv, [.srv(1, 1, 5060, "sip.example.test")]),
            ("sip.example.test", .a, [.a("192.0.2.1")]),
        ])
        #expect(
            try await locate("sip:example.test", dns) == [
                SIPEndpoint(transport: .tls, host: "192.0.2.1", port: 5061),
                SIPEndpoint(transport: .tcp, host: "192.0.2.1", port: 5060),
                SIPEndpoint(transport: .udp, host: "192.0.2.1", port: 5060),
            ])
        #expect(
            try await locate("sip:example.test", dns, supporting: [.udp])
                == [SIPEndpoint(transport: .udp, host: "192.0.2.1", port: 5060)])
        #expect(
            try await locate("sips:example.test", dns) == [SIPEndpoint(transport: .tls, host: "192.0.2.1", port: 5061)])
    }

    @Test func withoutNAPTROrSRVItUsesAddressRecordsAndTheDefaultTransport() async throws {
        let dns = FakeDNS([("example.test", .a, [.a("192.0.2.1")]), ("example.test", .aaaa, [.aaaa("2001:db8::1")])])
        #expect(
            try await locate("sip:example.test", dns) == [
                SIPEndpoint(transport: .udp, host: "192.0.2.1", port: 5060),
                SIPEndpoint(transport: .udp, host: "2001:db8::1", port: 5060),
            ])
        #expect(
            dns.asked == [
                "NAPTR example.test", "SRV _sips._tcp.example.test", "SRV _sip._tcp.example.test",
                "SRV _sip._udp.example.test", "A example.test", "AAAA example.test",
            ])
        #expect(
            try await locate("sips:example.test", dns).first
                == SIPEndpoint(transport: .tls, host: "192.0.2.1", port: 5061))
        #expect(
            try await locate("sip:example.test", dns, supporting: [.tcp]).first
                == SIPEndpoint(transport: .tcp, host: "192.0.2.1", port: 5060))
    }

    @Test func anSRVTargetOfRootMeansNoServiceAndNoAddressFallback() async {
        let dns = FakeDNS([
            ("_sip._udp.example.test", .srv, [.srv(0, 0, 0, ".")]), ("example.test", .a, [.a("192.0.2.1")]),
        ])
        let error = await failure("sip:example.test;transport=udp", dns)
        #expect(error?.code == .notFound)
        #expect(error?.status == .notFound)
        #expect(!dns.asked.contains("A example.test"))
    }

    @Test func srvTargetsAreWeightedWithTheInjectedGenerator() async throws {
        let dns = FakeDNS([
            (
                "_sip._udp.example.test", .srv,
                [.srv(10, 1, 5060, "light.example.test"), .srv(10, 99, 5060, "heavy.example.test")]
            ),
            ("light.example.test", .a, [.a("192.0.2.1")]), ("heavy.example.test", .a, [.a("192.0.2.2")]),
        ])
        var heavyFirst = 0
        for seed in UInt64(0)..<200 {
            let endpoints = try await locate("sip:example.test;transport=udp", dns, seed: seed)
            #expect(endpoints.count == 2)
            if endpoints.first?.host == "192.0.2.2" { heavyFirst += 1 }
        }
        #expect(heavyFirst > 180)
        #expect(
            try await locate("sip:example.test;transport=udp", dns, seed: 5)
                == locate("sip:example.test;transport=udp", dns, seed: 5))
    }

    @Test func duplicateEndpointsAreListedOnce() async throws {
        let dns = FakeDNS([
            ("_sip._udp.example.test", .srv, [.srv(1, 1, 5060, "a.example.test"), .srv(2, 1, 5060, "b.example.test")]),
            ("a.example.test", .a, [.a("192.0.2.1")]), ("b.example.test", .a, [.a("192.0.2.1")]),
        ])
        #expect(
            try await locate("sip:example.test;transport=udp", dns)
                == [SIPEndpoint(transport: .udp, host: "192.0.2.1", port: 5060)])
    }

    // MARK: Errors

    @Test func unsupportedTransportsAreRefusedBeforeAnyLookup() async {
        let dns = FakeDNS([])
        for (uri, supported) in [
            ("sip:example.test;transport=sctp", all), ("sips:example.test;transport=udp", all),
            ("sip:example.test;transport=tls", [.udp, .tcp]), ("sips:example.test", [.udp, .tcp]),
            ("sip:192.0.2.1", [.tls]),
        ] as [(String, Set<SIPTransport>)] {
            #expect(await failure(uri, dns, supporting: supported)?.code == .unsupportedTransport, "\(uri)")
        }
        #expect(dns.asked.isEmpty)
    }

    @Test func nothingFoundIsA404AndFailedLookupsA503() async {
        let missing = await failure("sip:example.test", FakeDNS([]))
        #expect(missing?.code == .notFound)
        #expect(missing?.status == .notFound)
        #expect(missing?.dnsError?.code == .nxdomain)

        let down = FakeDNS([], failing: [("example.test", .a, .timeout), ("example.test", .aaaa, .serverFailure)])
        let failed = await failure("sip:example.test", down)
        #expect(failed?.code == .dnsFailure)
        #expect(failed?.status == .serviceUnavailable)
        #expect(failed?.dnsError?.code == .timeout)
    }

    @Test func aTargetTakesTheMaddrOfItsURI() throws {
        let target = SIPServerTarget(
            uri: try SIPURI(parsing: "sips:alice@example.test:5099;maddr=192.0.2.9;transport=tcp"))
        #expect(target.host == .ipv4(IPv4Address(192, 0, 2, 9)))
        #expect(target.port == 5099 && target.transport == "tcp" && target.isSecure)
    }
}
