import NIOCore
import NIOPosix
import SIPMessage
import Testing

@testable import Transport

/// The resolver against a scripted server on 127.0.0.197: spoofed and stray packets, SOA-based negative caching,
/// failing servers, malformed answers, CNAMEs the server did not chase.
@Suite struct DNSResolverFakeServerTests {
    func a(_ last: UInt8, ttl: UInt32 = 300, owner: String? = nil) -> [UInt8] {
        DNSPacket.record(owner.map(DNSPacket.name) ?? DNSPacket.pointer(12), .a, ttl: ttl, data: [192, 0, 2, last])
    }

    func resolver(
        _ servers: [FakeDNSServer], group: any EventLoopGroup, clock: ManualClock = ManualClock(),
        configure: (inout DNSResolverConfiguration) -> Void = { _ in }
    ) -> DNSResolver {
        var configuration = DNSResolverConfiguration(servers: servers.map(\.server))
        configuration.timeout = .milliseconds(300)
        configuration.attempts = 1
        configure(&configuration)
        return DNSResolver(configuration: configuration, group: group, clock: clock)
    }

    @Test func ignoresSpoofedAndStrayPacketsUntilTheRealAnswer() async throws {
        try await withGroup { group in
            let server = try await FakeDNSServer.start(group: group) { query, _ in
                var otherName = query
                otherName.question.name = "evil.example.test"
                var otherType = query
                otherType.question.type = .aaaa
                return [
                    .fromElsewhere(DNSPacket.response(to: query, answers: [a(66)])),
                    .fromServer(DNSPacket.response(to: query, id: query.id &+ 1, answers: [a(67)])),
                    .fromServer(DNSPacket.response(to: otherName, answers: [a(68)])),
                    .fromServer(DNSPacket.response(to: otherType, answers: [a(69)])),
                    .fromServer(Array(query.bytes)),  // our own query echoed: QR clear
                    .fromServer(DNSPacket.response(to: query, answers: [a(1)])),
                ]
            }
            let resolver = resolver([server], group: group)
            defer { resolver.shutdown() }
            #expect(try await resolver.lookup("sip.example.test", .a).data == [.a(IPv4Address(192, 0, 2, 1))])
            await server.stop()
        }
    }

    @Test func aSpoofedAnswerAloneIsATimeout() async throws {
        try await withGroup { group in
            let server = try await FakeDNSServer.start(group: group) { query, _ in
                [.fromElsewhere(DNSPacket.response(to: query, answers: [a(66)]))]
            }
            let resolver = resolver([server], group: group)
            defer { resolver.shutdown() }
            let error = await resolver.failure("sip.example.test", .a)
            #expect(error?.code == .timeout)
            await server.stop()
        }
    }

    @Test func cachesAnNXDOMAINForTheSOAMinimum() async throws {
        try await withGroup { group in
            let server = try await FakeDNSServer.start(group: group) { query, _ in
                let soa = DNSPacket.record(
                    DNSPacket.name("example.test"), .soa, ttl: 3600, data: DNSPacket.soaData(minimum: 30))
                return [.fromServer(DNSPacket.response(to: query, rcode: .nameError, authorities: [soa]))]
            }
            let clock = ManualClock()
            let resolver = resolver([server], group: group, clock: clock)
            defer { resolver.shutdown() }
            let lookup = { (type: DNSRecordType) async -> DNSError? in
                await resolver.failure("gone.example.test", type)
            }
            #expect(await lookup(.a)?.code == .nxdomain)
            // The NXDOMAIN covers every type at the name (RFC 2308 §5): no second query.
            #expect(await lookup(.srv)?.code == .nxdomain)
            clock.advance(by: .seconds(29))
            #expect(await lookup(.a)?.code == .nxdomain)
            #expect(server.questions.count == 1)
            clock.advance(by: .seconds(1))
            #expect(await lookup(.a)?.code == .nxdomain)
            #expect(server.questions.count == 2)
            await server.stop()
        }
    }

    @Test func capsTheTTLOfAnAnswer() async throws {
        try await withGroup { group in
            let server = try await FakeDNSServer.start(group: group) { query, _ in
                [.fromServer(DNSPacket.response(to: query, answers: [a(1, ttl: 86_400)]))]
            }
            let resolver = resolver([server], group: group) { $0.maximumTTL = 60 }
            defer { resolver.shutdown() }
            #expect(try await resolver.lookup("sip.example.test", .a).ttl == 60)
            await server.stop()
        }
    }

    @Test func aFailingServerHandsOverToTheNextOne() async throws {
        try await withGroup { group in
            let failing = try await FakeDNSServer.start(group: group) { query, _ in
                [.fromServer(DNSPacket.response(to: query, rcode: .serverFailure))]
            }
            let working = try await FakeDNSServer.start(group: group) { query, _ in
                [.fromServer(DNSPacket.response(to: query, answers: [a(2)]))]
            }
            let both = resolver([failing, working], group: group)
            defer { both.shutdown() }
            #expect(try await both.lookup("sip.example.test", .a).data == [.a(IPv4Address(192, 0, 2, 2))])
            #expect(failing.questions.count == 1 && working.questions.count == 1)

            let alone = resolver([failing], group: group) { $0.attempts = 2 }
            defer { alone.shutdown() }
            let error = await alone.failure("sip.example.test", .a)
            #expect(error?.code == .serverFailure)
            #expect(error?.responseCode == .serverFailure)
            #expect(failing.questions.count == 3)
            await failing.stop()
            await working.stop()
        }
    }

    @Test func aMalformedAnswerIsReportedAsSuch() async throws {
        try await withGroup { group in
            let server = try await FakeDNSServer.start(group: group) { query, _ in
                var bytes = DNSPacket.response(to: query, answers: [a(1)])
                bytes.removeLast(2)
                return [.fromServer(bytes)]
            }
            let resolver = resolver([server], group: group)
            defer { resolver.shutdown() }
            let error = await resolver.failure("sip.example.test", .a)
            #expect(error?.code == .malformed)
            await server.stop()
        }
    }

    @Test func chasesACNAMETheServerDidNotFollow() async throws {
        try await withGroup { group in
            let server = try await FakeDNSServer.start(group: group) { query, _ in
                guard query.question.name == "alias.example.test" else {
                    return [.fromServer(DNSPacket.response(to: query, answers: [a(3, ttl: 300)]))]
                }
                let cname = DNSPacket.record(
                    DNSPacket.pointer(12), .cname, ttl: 20, data: DNSPacket.name("real.example.test"))
                return [.fromServer(DNSPacket.response(to: query, answers: [cname]))]
            }
            let resolver = resolver([server], group: group)
            defer { resolver.shutdown() }
            let answer = try await resolver.lookup("alias.example.test", .a)
            #expect(answer.canonicalName == "real.example.test")
            #expect(answer.data == [.a(IPv4Address(192, 0, 2, 3))])
            #expect(answer.ttl == 20)
            #expect(server.questions.map(\.name) == ["alias.example.test", "real.example.test"])
            await server.stop()
        }
    }
}
