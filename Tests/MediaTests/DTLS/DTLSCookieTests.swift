import Media
import SDP
import Testing

/// The HelloVerifyRequest cookie exchange of a Gatehouse DTLS server (RFC 6347 §4.2.1): what a ClientHello from a
/// spoofed source can draw is one small datagram, never the certificate flight.
@Suite("DTLS cookie exchange")
struct DTLSCookieTests {
    /// The handshake type of a datagram's first record (epoch 0 handshake records are in the clear).
    static func handshakeType(_ datagram: [UInt8]) -> UInt8? {
        datagram.count > 13 && datagram[0] == 22 ? datagram[13] : nil
    }

    static let alice = Array("[IPv4]127.0.0.13/127.0.0.13:40000".utf8)
    static let mallory = Array("[IPv4]127.0.0.99/127.0.0.99:40000".utf8)

    @Test("a ClientHello without a cookie gets only a HelloVerifyRequest, smaller than the ClientHello")
    func firstClientHelloGetsAHelloVerifyRequest() throws {
        let pair = try DTLSPair()
        let hello = pair.client.start()
        let reply = hello.flatMap { pair.server.receive($0, from: Self.alice) }
        #expect(reply.count == 1)
        #expect(reply.first.flatMap(Self.handshakeType) == 3, "HelloVerifyRequest")
        let replyBytes = reply.map(\.count).reduce(0, +)
        let helloBytes = hello.map(\.count).reduce(0, +)
        #expect(replyBytes < 100 && replyBytes < helloBytes, "\(replyBytes) bytes for a \(helloBytes)-byte hello")
        #expect(pair.server.retransmissionTimeout == nil, "the server keeps no flight to retransmit")

        // The client answers with its cookie from the same source and the handshake goes on to the keys.
        let withCookie = reply.flatMap { pair.client.receive($0) }
        #expect(withCookie.first.flatMap(Self.handshakeType) == 1)
        let flight = withCookie.flatMap { pair.server.receive($0, from: Self.alice) }
        #expect(flight.first.flatMap(Self.handshakeType) == 2, "ServerHello")
        #expect(flight.map(\.count).reduce(0, +) > 400, "the certificate flight, now that the source proved itself")
        pair.run(from: flight.flatMap { pair.client.receive($0) })
        #expect(pair.client.state.keys != nil && pair.server.state.keys != nil)
    }

    @Test("a cookie made for one source is refused from another")
    func aCookieIsBoundToItsSource() throws {
        let pair = try DTLSPair()
        let reply = pair.client.start().flatMap { pair.server.receive($0, from: Self.alice) }
        let withCookie = reply.flatMap { pair.client.receive($0) }
        // The same ClientHello, cookie and all, replayed from another address draws nothing, and does not end the
        // association (OpenSSL alone would fail it on the mismatch): the real client still gets its flight.
        #expect(withCookie.flatMap { pair.server.receive($0, from: Self.mallory) }.isEmpty)
        #expect(pair.server.state == .handshaking)
        // A forged cookie from the right address draws nothing either. The cookie follows the record and
        // handshake headers (25 bytes), version and random (34), the session id and the cookie's length byte.
        var forged = try #require(withCookie.first)
        let cookieStart = 25 + 34 + 1 + Int(forged[25 + 34]) + 1
        #expect(forged[cookieStart - 1] == 32, "Gatehouse's cookie is an HMAC-SHA256")
        forged[cookieStart] ^= 0xFF
        #expect(pair.server.receive(forged, from: Self.alice).isEmpty)
        #expect(pair.server.state == .handshaking)
        let flight = withCookie.flatMap { pair.server.receive($0, from: Self.alice) }
        #expect(flight.first.flatMap(Self.handshakeType) == 2)
        pair.run(from: flight.flatMap { pair.client.receive($0) })
        #expect(pair.client.state.keys != nil && pair.server.state.keys != nil)
    }

    @Test("without the cookie exchange the first ClientHello draws the whole server flight")
    func withoutCookiesTheFlightIsLarge() throws {
        let pair = try DTLSPair(configuration: DTLSConfiguration(cookieExchange: false))
        let reply = pair.client.start().flatMap { pair.server.receive($0, from: Self.alice) }
        #expect(reply.first.flatMap(Self.handshakeType) == 2)
        #expect(reply.map(\.count).reduce(0, +) > 400)
    }
}
