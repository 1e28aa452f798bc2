import Foundation
import GatehouseServer
import SIPMessage
import TestSupport
import Testing

/// A node on loopback answering real peers: sipsak over UDP and TCP, and hand-written requests through a plain
/// socket to check the details (Via stamping, rport routing, tags, error statuses, framing, keep-alives).
@Suite(.serialized)
struct NodeIntegrationTests {
    static func options(
        branch: String, to port: Int, from localPort: Int, transport: String = "UDP", extra: String = ""
    )
        -> String
    {
        """
        OPTIONS sip:ping@127.0.0.111:\(port) SIP/2.0\r
        Via: SIP/2.0/\(transport) 192.0.2.1:\(localPort);branch=z9hG4bK\(branch);rport\r
        Max-Forwards: 70\r
        From: <sip:probe@example.com>;tag=probe1\r
        To: <sip:ping@127.0.0.111>\r
        Call-ID: \(branch)@example.com\r
        CSeq: 1 OPTIONS\r
        \(extra)Content-Length: 0\r
        \r

        """
    }

    @Test func sipsakGets200OverUDPAndTCP() async throws {
        let node = try await TestNode.start(address: "127.0.0.110")
        defer { Task { await node.stop() } }
        let sipsak = try #require(ExternalProcess.find("sipsak"), "sipsak is missing: make test-deps installs it")
        for (transport, port) in [("udp", node.port(.udp)), ("tcp", node.port(.tcp))] {
            let outcome = try await ExternalProcess.run(
                sipsak, ["-s", "sip:ping@127.0.0.110:\(port)", "--transport", transport, "-vv"])
            #expect(!outcome.timedOut)
            #expect(outcome.status == 0, "sipsak over \(transport): \(outcome.output)")
            #expect(outcome.output.contains("200 OK"), "\(outcome.output)")
        }
        #expect(node.node.counters.snapshot.responses[200] == 2)
    }

    @Test func optionsOverUDPStampsViaAndAnswersToTheRport() async throws {
        let node = try await TestNode.start(address: "127.0.0.111")
        defer { Task { await node.stop() } }
        let probe = try SocketProbe(udpFrom: "127.0.0.112")
        probe.send(
            Self.options(branch: "a1", to: node.port(.udp), from: 5999), to: "127.0.0.111", port: node.port(.udp))
        // The Via claims 192.0.2.1:5999, but rport sends the answer back to the real source port.
        let text = try #require(probe.receive())
        let response = try SIPMessage(parsing: text)
        #expect(response.statusCode == 200)
        let via = try #require(try response.headers.first(.via, as: Via.self))
        #expect(via.received?.description == "127.0.0.112")
        #expect(via.rport == .port(UInt16(probe.localPort)))
        let to = try #require(try response.headers.first(.to, as: NameAddress.self))
        #expect(to.tag != nil)
        #expect(
            response.headers.firstString(.allow) == "INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, UPDATE, INFO, REGISTER")
        #expect(response.headers.firstString(.callID) == "a1@example.com")

        // The same request again gets the same To tag (a stateless UAS, RFC 3261 §8.2.7).
        probe.send(
            Self.options(branch: "a1", to: node.port(.udp), from: 5999), to: "127.0.0.111", port: node.port(.udp))
        let again = try SIPMessage(parsing: try #require(probe.receive()))
        #expect(try again.headers.first(.to, as: NameAddress.self)?.tag == to.tag)
    }

    @Test func otherRequestsGetTheirStatus() async throws {
        let node = try await TestNode.start(address: "127.0.0.113")
        defer { Task { await node.stop() } }
        let probe = try SocketProbe(udpFrom: "127.0.0.114")
        let port = node.port(.udp)
        /// Sends a request and returns the answer to it (a retransmitted answer to an earlier request is skipped).
        func exchange(_ text: String) throws -> SIPMessage? {
            probe.send(text, to: "127.0.0.113", port: port)
            let request = try? SIPMessage(parsing: text)
            while let answer = probe.receive(timeoutMilliseconds: 700) {
                let response = try SIPMessage(parsing: answer)
                if request == nil
                    || response.headers.firstString(.cseq) == request?.headers.firstString(.cseq)
                        && response.headers.firstString(.callID) == request?.headers.firstString(.callID)
                {
                    return response
                }
            }
            return nil
        }
        // An INVITE is the B2BUA's: this node's policy has no routes, so it is answered 404 (and ACKed). It
        // carries the Contact an INVITE must have (RFC 3261 §8.1.1.8), or the sanity checks would answer 400.
        let invite = Self.options(
            branch: "b1", to: port, from: 5060, extra: "Contact: <sip:probe@127.0.0.1:5060>\r\n"
        ).replacingOccurrences(of: "OPTIONS", with: "INVITE")
        let notFound = try #require(try exchange(invite))
        #expect(notFound.statusCode == 404)
        let toTag = try #require(try notFound.to.tag)
        let ackFor404 = Self.options(branch: "b1", to: port, from: 5060)
            .replacingOccurrences(of: "OPTIONS", with: "ACK")
            .replacingOccurrences(of: "To: <sip:ping@127.0.0.111>", with: "To: <sip:ping@127.0.0.111>;tag=\(toTag)")
        #expect(try exchange(ackFor404) == nil)
        // Other out-of-dialog methods are not implemented yet.
        let message = Self.options(branch: "b6", to: port, from: 5060).replacingOccurrences(
            of: "OPTIONS", with: "MESSAGE")
        #expect(try exchange(message)?.statusCode == 501)
        let cancel = Self.options(branch: "b2", to: port, from: 5060).replacingOccurrences(
            of: "OPTIONS", with: "CANCEL")
        #expect(try exchange(cancel)?.statusCode == 481)
        let ack = Self.options(branch: "b3", to: port, from: 5060).replacingOccurrences(of: "OPTIONS", with: "ACK")
        #expect(try exchange(ack) == nil)  // ACK is never answered

        let require = try #require(
            try exchange(Self.options(branch: "b4", to: port, from: 5060, extra: "Require: foo\r\n")))
        #expect(require.statusCode == 420)
        #expect(require.headers.firstString(.unsupported) == "foo")

        let noCallID = Self.options(branch: "b5", to: port, from: 5060).replacingOccurrences(
            of: "Call-ID: b5@example.com\r\n", with: "")
        let missing = try #require(try exchange(noCallID))
        #expect(missing.statusCode == 400)
        #expect(missing.statusLine?.reason == "Missing Call-ID")

        #expect(try exchange("this is not SIP\r\n\r\n") == nil)
        let counters = node.node.counters.snapshot
        #expect(counters.dropped["unparseable"] == 1)
        #expect(counters.responses[404] == 1 && counters.responses[501] == 1)
        #expect(counters.responses[481] == 1 && counters.responses[420] == 1)
    }

    @Test func tcpFramingKeepAliveAndErrors() async throws {
        let node = try await TestNode.start(address: "127.0.0.115")
        defer { Task { await node.stop() } }
        let port = node.port(.tcp)

        // Two requests in one write, then a keep-alive ping.
        let connection = try SocketProbe(tcpTo: "127.0.0.115", port: port)
        connection.send(
            Self.options(branch: "c1", to: port, from: connection.localPort, transport: "TCP")
                + Self.options(branch: "c2", to: port, from: connection.localPort, transport: "TCP") + "\r\n\r\n")
        // The pong is the transport's own answer, the 200s the engine's: it may come first.
        func hasPong(_ text: String) -> Bool { text.hasPrefix("\r\nSIP/2.0") || text.hasSuffix("\r\n\r\n\r\n") }
        var received = ""
        while received.components(separatedBy: "SIP/2.0 200 OK").count < 3 || !hasPong(received) {
            guard let chunk = connection.receive(), !chunk.isEmpty else { break }
            received += chunk
        }
        #expect(received.components(separatedBy: "SIP/2.0 200 OK").count == 3, "\(received)")
        #expect(hasPong(received), "the CRLFCRLF ping is answered with a CRLF pong")

        // A message without Content-Length cannot be framed on a stream: the connection is closed.
        let broken = try SocketProbe(tcpTo: "127.0.0.115", port: port)
        broken.send("OPTIONS sip:ping@127.0.0.115 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKx\r\n\r\n")
        #expect(broken.receive() == "")
        #expect(node.node.counters.snapshot.rejected["missing-content-length"] == 1)
    }
}
