import NIOCore
import NIOPosix
import SIPMessage
import Testing

@testable import Transport

/// The resolver against a real dnsmasq on 127.0.0.195:5354. Serialized: every test starts its own dnsmasq on the
/// same address and port.
@Suite(.serialized) struct DNSResolverIntegrationTests {
    static let records = [
        "--host-record=sip.example.test,192.0.2.10,2001:db8::10,300",
        "--srv-host=_sip._udp.example.test,sip.example.test,5060,10,60",
        "--srv-host=_sip._tcp.example.test,sip.example.test,5070,10,10",
        "--naptr-record=example.test,10,20,s,SIP+D2U,,_sip._udp.example.test",
        "--naptr-record=example.test,10,10,S,SIP+D2T,,_sip._tcp.example.test",
        "--cname=alias.example.test,sip.example.test",
    ]

    func configuration(timeout: Duration = .milliseconds(500), attempts: Int = 2) -> DNSResolverConfiguration {
        var configuration = DNSResolverConfiguration(servers: [Dnsmasq.server])
        configuration.timeout = timeout
        configuration.attempts = attempts
        return configuration
    }

    @Test func looksUpAddressesServicesAndNAPTRRecords() async throws {
        try await withGroup { group in
            let dnsmasq = try await Dnsmasq.start(Self.records, group: group)
            defer { dnsmasq.process.stop() }
            let resolver = DNSResolver(configuration: configuration(), group: group)
            defer { resolver.shutdown() }

            let a = try await resolver.lookup("SIP.example.test", .a)
            #expect(a.data == [.a(IPv4Address(192, 0, 2, 10))])
            #expect(a.ttl == 300 && !a.isTruncated)
            #expect(
                try await resolver.lookup("sip.example.test.", .aaaa).data == [
                    .aaaa(try IPv6Address(parsing: "2001:db8::10"))
                ])
            #expect(
                try await resolver.lookup("_sip._udp.example.test", .srv).data
                    == [.srv(DNSSRVRecord(priority: 10, weight: 60, port: 5060, target: "sip.example.test"))])
            let naptr = try await resolver.lookup("example.test", .naptr).data.compactMap { data -> String? in
                guard case .naptr(let record) = data else { return nil }
                return
                    "\(record.order) \(record.preference) \(record.flagsText) \(record.servicesText) \(record.replacement)"
            }
            #expect(
                naptr.sorted() == [
                    "10 10 S SIP+D2T _sip._tcp.example.test", "10 20 s SIP+D2U _sip._udp.example.test",
                ])
            try await dnsmasq.stop()
        }
    }

    @Test func followsCNAMEsAndReportsNegativeAnswers() async throws {
        try await withGroup { group in
            let dnsmasq = try await Dnsmasq.start(Self.records, group: group)
            defer { dnsmasq.process.stop() }
            let resolver = DNSResolver(configuration: configuration(), group: group)
            defer { resolver.shutdown() }

            let alias = try await resolver.lookup("alias.example.test", .a)
            #expect(alias.canonicalName == "sip.example.test")
            #expect(alias.question.name == "alias.example.test")
            #expect(alias.data == [.a(IPv4Address(192, 0, 2, 10))])

            let missing = await resolver.failure("nope.example.test", .a)
            #expect(missing?.code == .nxdomain)
            #expect(missing?.question == DNSQuestion(name: "nope.example.test", type: .a))
            #expect(await resolver.failure("sip.example.test", .srv)?.code == .noData)
            #expect(await resolver.failure("bad..name", .a)?.code == .badName)
            try await dnsmasq.stop()
        }
    }

    @Test func locatesASIPServerThroughNAPTRSRVAndAddresses() async throws {
        try await withGroup { group in
            let dnsmasq = try await Dnsmasq.start(Self.records, group: group)
            defer { dnsmasq.process.stop() }
            let resolver = DNSResolver(configuration: configuration(), group: group)
            defer { resolver.shutdown() }

            let endpoints = try await resolver.locateSIPServers(
                for: SIPServerTarget(uri: try SIPURI(parsing: "sip:bob@example.test")), supporting: [.udp, .tcp, .tls])
            #expect(
                endpoints == [
                    SIPEndpoint(transport: .tcp, host: "192.0.2.10", port: 5070),
                    SIPEndpoint(transport: .tcp, host: "2001:db8::10", port: 5070),
                    SIPEndpoint(transport: .udp, host: "192.0.2.10", port: 5060),
                    SIPEndpoint(transport: .udp, host: "2001:db8::10", port: 5060),
                ])
            #expect(
                try await resolver.locateSIPServers(
                    for: SIPServerTarget(host: .name("sip.example.test"), port: 5080), supporting: [.udp])
                    == [
                        SIPEndpoint(transport: .udp, host: "192.0.2.10", port: 5080),
                        SIPEndpoint(transport: .udp, host: "2001:db8::10", port: 5080),
                    ])
            try await dnsmasq.stop()
        }
    }

    @Test func asksATruncatedAnswerAgainOverTCP() async throws {
        let targets = (10..<50).map { "--srv-host=_sip._tcp.big.example.test,target-\($0).example.test,5060,1,1" }
        try await withGroup { group in
            let dnsmasq = try await Dnsmasq.start(targets, group: group)
            defer { dnsmasq.process.stop() }
            var plain = configuration()
            plain.udpPayloadSize = nil  // 512-byte UDP answers
            let resolver = DNSResolver(configuration: plain, group: group)
            defer { resolver.shutdown() }
            let full = try await resolver.lookup("_sip._tcp.big.example.test", .srv)
            #expect(full.records.count == 40)
            #expect(!full.isTruncated)

            plain.tcpFallback = false
            let udpOnly = DNSResolver(configuration: plain, group: group)
            defer { udpOnly.shutdown() }
            let truncated = try await udpOnly.lookup("_sip._tcp.big.example.test", .srv)
            #expect(truncated.isTruncated)
            #expect(truncated.records.count < 40)
            try await dnsmasq.stop()
        }
    }

    @Test func answersFromTheCacheUntilTheTTLRunsOut() async throws {
        try await withGroup { group in
            let dnsmasq = try await Dnsmasq.start(Self.records, group: group)
            defer { dnsmasq.process.stop() }
            let clock = ManualClock()
            let resolver = DNSResolver(
                configuration: configuration(timeout: .milliseconds(200), attempts: 1), group: group, clock: clock)
            defer { resolver.shutdown() }

            let first = try await resolver.lookup("sip.example.test", .a)
            #expect(await resolver.failure("nope.example.test", .a)?.code == .nxdomain)
            try await dnsmasq.stop()

            // The server is gone: the answer comes from the cache, its TTL counted down on the injected clock.
            #expect(try await resolver.lookup("sip.example.test", .a) == first)
            clock.advance(by: .seconds(100))
            #expect(try await resolver.lookup("sip.example.test", .a).ttl == 200)
            // dnsmasq's NXDOMAIN has no SOA, so it was not cached (RFC 2308 §5): asking again times out.
            #expect(await resolver.failure("nope.example.test", .a)?.code == .timeout)
            clock.advance(by: .seconds(200))
            // Expired: asked again, of a server that is gone.
            #expect(await resolver.failure("sip.example.test", .a)?.code == .timeout)
        }
    }
}

/// Timeouts and shutdown against 127.0.0.196:5354, where nothing listens.
@Suite struct DNSResolverTimeoutTests {
    static let silent = DNSResolverConfiguration.Server(host: "127.0.0.196", port: 5354)

    @Test func givesUpAfterEveryAttemptTimedOut() async throws {
        try await withGroup { group in
            var configuration = DNSResolverConfiguration(servers: [Self.silent])
            configuration.timeout = .milliseconds(200)
            configuration.attempts = 2
            let resolver = DNSResolver(configuration: configuration, group: group)
            defer { resolver.shutdown() }
            let start = ContinuousClock.now
            let error = await resolver.failure("sip.example.test", .a)
            #expect(error?.code == .timeout)
            #expect(error?.question == DNSQuestion(name: "sip.example.test", type: .a))
            let elapsed = ContinuousClock.now - start
            // Both attempts waited their time out (a lower bound only: tests do not assert how fast anything is).
            #expect(elapsed >= .milliseconds(400), "\(elapsed)")
        }
    }

    @Test func shutdownEndsLookupsUnderWayAndRefusesNewOnes() async throws {
        try await withGroup { group in
            var configuration = DNSResolverConfiguration(servers: [Self.silent])
            configuration.timeout = .seconds(60)  // longer than any stall of a loaded test machine
            let resolver = DNSResolver(configuration: configuration, group: group)
            async let pending = resolver.failure("sip.example.test", .a)
            try await Task.sleep(for: .milliseconds(200))
            resolver.shutdown()
            // `.shutdown`, not `.timeout`: the lookup ended when the resolver did, not when its time ran out.
            #expect(await pending?.code == .shutdown)
            #expect(await resolver.failure("sip.example.test", .a)?.code == .shutdown)
        }
    }

    @Test func cancellingTheTaskEndsTheLookup() async throws {
        try await withGroup { group in
            var configuration = DNSResolverConfiguration(servers: [Self.silent])
            configuration.timeout = .seconds(60)  // longer than any stall of a loaded test machine
            let resolver = DNSResolver(configuration: configuration, group: group)
            defer { resolver.shutdown() }
            let task = Task {
                await resolver.failure("sip.example.test", .a)
            }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            // `.cancelled`, not `.timeout`: the lookup ended with its task.
            #expect(await task.value?.code == .cancelled)
        }
    }

    @Test func aResolverWithoutServersSaysSo() async throws {
        try await withGroup { group in
            let resolver = DNSResolver(configuration: DNSResolverConfiguration(servers: []), group: group)
            #expect(await resolver.failure("sip.example.test", .a)?.code == .noServers)
        }
    }
}
