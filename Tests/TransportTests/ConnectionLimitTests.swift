import NIOCore
import NIOPosix
import SIPMessage
import TestSupport
import Testing
import Transport

@Suite("Connection limits and idle reaping")
struct ConnectionLimitTests {
    @Test("an idle connection is closed after the idle timeout and counted as reaped")
    func idleReaping() async throws {
        try await withGroup { group in
            let endpoint = SIPEndpoint(transport: .tcp, host: "127.0.0.160", port: 0)
            let listeners = try await SIPListeners.bind(
                [endpoint], group: group, handler: Recorder(answers: true), limits: SIPLimits(),
                connectionLimits: ConnectionLimits(idleTimeout: .milliseconds(1_000)), logger: testLogger)
            let collector = ByteCollector()
            // Pings from the moment the connection is up keep it busy until the test has seen it open: a test
            // task can wait for a cooperative thread far longer than the idle timeout when the whole suite runs on
            // two cores, and the connection must not be reaped before it is looked at.
            let pinger = CRLFPinger(every: .milliseconds(100))
            let client = try await connectClient(
                to: listeners.address(.tcp), from: "127.0.0.161", group: group, pinger: pinger, collector: collector)
            try await client.send(options())
            #expect(await collector.waitFor("SIP/2.0 200 OK"))
            #expect(listeners.counters.openConnections == 1)
            #expect(listeners.counters.reapedConnections == 0)
            // Silence from now on: the idle timeout closes the connection.
            pinger.stop()
            #expect(await eventually(.seconds(30)) { !client.isActive })
            #expect(await eventually { listeners.counters.openConnections == 0 })
            #expect(listeners.counters.reapedConnections == 1)
            await listeners.close()
        }
    }

    @Test("traffic keeps a connection alive past the idle timeout, and a CRLF ping is answered")
    func keepAlive() async throws {
        try await withGroup { group in
            let endpoint = SIPEndpoint(transport: .tcp, host: "127.0.0.162", port: 0)
            let listeners = try await SIPListeners.bind(
                [endpoint], group: group, handler: Recorder(), limits: SIPLimits(),
                connectionLimits: ConnectionLimits(idleTimeout: .milliseconds(1_000)), logger: testLogger)
            let collector = ByteCollector()
            // A ping every 100 ms for at least 1.5 s, ten times more often than the idle timeout. The pings come
            // from the connection's own event loop from the moment it is up: a test task's waits can stretch past
            // a second when other tests hold the cooperative threads, but a NIO scheduled task keeps its pace.
            let pinger = CRLFPinger(every: .milliseconds(100))
            let client = try await connectClient(
                to: listeners.address(.tcp), from: "127.0.0.163", group: group, pinger: pinger, collector: collector)
            try await Task.sleep(for: .milliseconds(1_500))
            pinger.stop()
            #expect(client.isActive)
            #expect(collector.bytes.count >= 2 && collector.bytes.allSatisfy { $0 == 13 || $0 == 10 })
            #expect(listeners.counters.reapedConnections == 0)
            try? await client.close()
            await listeners.close()
        }
    }

    @Test("the connection beyond the per-address limit is closed on accept; other addresses still get in")
    func perAddressLimit() async throws {
        try await withGroup { group in
            let endpoint = SIPEndpoint(transport: .tcp, host: "127.0.0.164", port: 0)
            let recorder = Recorder(answers: true)
            let listeners = try await SIPListeners.bind(
                [endpoint], group: group, handler: recorder, limits: SIPLimits(),
                connectionLimits: ConnectionLimits(maxConnectionsPerAddress: 2), logger: testLogger)
            let address = try listeners.address(.tcp)
            var admitted: [any Channel] = []
            for index in 1...2 {
                let collector = ByteCollector()
                let client = try await connectClient(
                    to: address, from: "127.0.0.165", group: group, collector: collector)
                try await client.send(options(branch: "z9hG4bK-\(index)"))
                #expect(await collector.waitFor("SIP/2.0 200 OK"))
                admitted.append(client)
            }
            let third = try await connectClient(
                to: address, from: "127.0.0.165", group: group, collector: ByteCollector())
            #expect(await eventually { !third.isActive })
            #expect(listeners.counters.refusedConnections == 1)
            #expect(admitted.allSatisfy { $0.isActive })

            let otherCollector = ByteCollector()
            let other = try await connectClient(
                to: address, from: "127.0.0.166", group: group, collector: otherCollector)
            try await other.send(options())
            #expect(await otherCollector.waitFor("SIP/2.0 200 OK"))
            #expect(listeners.counters.openConnections == 3)

            // A closed connection frees its slot.
            try await admitted[0].close()
            #expect(await eventually { listeners.counters.openConnections == 2 })
            let again = ByteCollector()
            let fourth = try await connectClient(to: address, from: "127.0.0.165", group: group, collector: again)
            try await fourth.send(options())
            #expect(await again.waitFor("SIP/2.0 200 OK"))
            for channel in admitted + [other, fourth] { try? await channel.close() }
            await listeners.close()
        }
    }

    @Test("the total limit refuses connections from any address")
    func totalLimit() async throws {
        try await withGroup { group in
            let endpoint = SIPEndpoint(transport: .tcp, host: "127.0.0.167", port: 0)
            let listeners = try await SIPListeners.bind(
                [endpoint], group: group, handler: Recorder(answers: true), limits: SIPLimits(),
                connectionLimits: ConnectionLimits(maxConnections: 1), logger: testLogger)
            let address = try listeners.address(.tcp)
            let collector = ByteCollector()
            let first = try await connectClient(to: address, from: "127.0.0.168", group: group, collector: collector)
            try await first.send(options())
            #expect(await collector.waitFor("SIP/2.0 200 OK"))
            let second = try await connectClient(
                to: address, from: "127.0.0.169", group: group, collector: ByteCollector())
            #expect(await eventually { !second.isActive })
            #expect(listeners.counters.snapshot.refusedConnections == 1)
            #expect(first.isActive)
            try? await first.close()
            await listeners.close()
        }
    }

    @Test("closing the listeners closes accepted connections too")
    func closeClosesConnections() async throws {
        try await withGroup { group in
            let endpoint = SIPEndpoint(transport: .tcp, host: "127.0.0.170", port: 0)
            let listeners = try await SIPListeners.bind(
                [endpoint], group: group, handler: Recorder(answers: true), limits: SIPLimits(), logger: testLogger)
            let collector = ByteCollector()
            let client = try await connectClient(
                to: listeners.address(.tcp), from: "127.0.0.171", group: group, collector: collector)
            try await client.send(options())
            #expect(await collector.waitFor("SIP/2.0 200 OK"))
            await listeners.close()
            #expect(await eventually { !client.isActive })
            #expect(listeners.counters.openConnections == 0)
        }
    }
}
