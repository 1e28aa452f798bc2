import Testing

@testable import SIPMessage

/// Via (RFC 3261 §20.42, RFC 3581, RFC 5118 §4.5).
@Suite struct ViaTests {
    @Test func rfc3261Example() throws {
        let via = try Via(parsing: "SIP/2.0/UDP erlang.bell-telephone.com:5060;branch=z9hG4bK87asdks7")
        #expect(via.protocolName == "SIP")
        #expect(via.protocolVersion == "2.0")
        #expect(via.transport == "UDP")
        #expect(via.host == .name("erlang.bell-telephone.com"))
        #expect(via.port == 5060)
        #expect(via.branch == "z9hG4bK87asdks7")
        #expect(via.isRFC3261Branch)
        #expect(via.received == nil)
        #expect(via.rport == nil)
    }

    @Test func receivedAndMaddrAndTTL() throws {
        let via = try Via(
            parsing: "SIP/2.0/UDP first.example.com:4000;ttl=16;maddr=224.2.0.1;branch=z9hG4bKa7c6a8dlze.1")
        #expect(via.ttl == 16)
        #expect(via.maddr == .ipv4(IPv4Address(224, 2, 0, 1)))
        let received = try Via(parsing: "SIP/2.0/UDP 192.0.2.1:5060 ;received=192.0.2.207 ;branch=z9hG4bK77asjd")
        #expect(received.received == .ipv4(IPv4Address(192, 0, 2, 207)))
        #expect(received.host == .ipv4(IPv4Address(192, 0, 2, 1)))
    }

    @Test func ipv6SentByAndReceived() throws {
        // RFC 5118 §4.5.
        let via = try Via(parsing: "SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bKas3-111;received=[2001:db8::9:255]")
        #expect(via.host == .ipv6(try IPv6Address(parsing: "2001:db8::9:1")))
        #expect(via.port == 5060)
        #expect(via.received == .ipv6(try IPv6Address(parsing: "2001:db8::9:255")))
        #expect(
            via.serializedString == "SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bKas3-111;received=[2001:db8::9:255]")
        // RFC 3261's grammar writes received as a bare IPv6address.
        let bare = try Via(parsing: "SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3;received=2001:db8::9:255")
        #expect(bare.received == via.received)
        #expect(bare.port == nil)
    }

    @Test func rport() throws {
        // RFC 3581 §4.
        let request = try Via(parsing: "SIP/2.0/UDP 10.1.1.1:4540;rport;branch=z9hG4bKkjshdyff")
        #expect(request.rport == .requested)
        var answered = request
        answered.received = .ipv4(IPv4Address(192, 0, 2, 1))
        answered.rport = .port(9988)
        #expect(
            answered.serializedString
                == "SIP/2.0/UDP 10.1.1.1:4540;rport=9988;branch=z9hG4bKkjshdyff;received=192.0.2.1")
        #expect(try Via(parsing: answered.serializedString).rport == .port(9988))
        answered.rport = nil
        #expect(answered.rport == nil)
    }

    @Test func whiteSpaceAroundSeparators() throws {
        // RFC 4475 wsinv: `SIP  /   2.0 /UDP  192.0.2.2;branch=390skdjuw` after unfolding.
        let via = try Via(parsing: "SIP  /   2.0  /UDP    192.0.2.2;branch=390skdjuw")
        #expect(via.transport == "UDP")
        #expect(via.protocolVersion == "2.0")
        #expect(via.branch == "390skdjuw")
        #expect(!via.isRFC3261Branch)
        let spacedPort = try Via(parsing: "SIP/2.0/TCP host.example.com : 5070 ; branch = z9hG4bK1")
        #expect(spacedPort.port == 5070)
        #expect(spacedPort.branch == "z9hG4bK1")
    }

    @Test func unknownParametersAreKept() throws {
        let via = try Via(parsing: "SIP/2.0/TLS proxy.example.com;branch=z9hG4bKx;alias;keep=30;x=\"q v\"")
        #expect(via.parameters.contains("alias"))
        #expect(via.parameters.value("keep") == "30")
        #expect(via.portOrDefault == 5061)
        #expect(via.serializedString == "SIP/2.0/TLS proxy.example.com;branch=z9hG4bKx;alias;keep=30;x=\"q v\"")
    }

    @Test func builtInCode() {
        var via = Via(transport: "UDP", host: .name("sbc.example.net"), port: 5060, branch: "z9hG4bK-1")
        via.rport = .requested
        #expect(via.description == "SIP/2.0/UDP sbc.example.net:5060;branch=z9hG4bK-1;rport")
    }

    @Test(arguments: [
        "", "SIP/2.0", "SIP/2.0/UDP", "SIP/2.0/UDP ", "SIP 2.0/UDP host", "SIP/2.0/UDPhost",
        "SIP/2.0/UDP host:99999", "SIP/2.0/UDP host:", "SIP/2.0/UDP host:abc", "SIP/2.0/UDP [2001:db8::1",
        "SIP/2.0/UDP 2001:db8::1", "SIP/2.0/UDP [2001:db8::g]", "SIP/2.0/UDP host;branch=",
        "SIP/2.0/UDP host;branch=\"quoted\"", "SIP/2.0/UDP host;received=host.example.com",
        "SIP/2.0/UDP host;rport=70000", "SIP/2.0/UDP host;ttl=256", "SIP/2.0/UDP host;maddr=",
        "SIP/2.0/UDP host;maddr=bad_host", "SIP/2.0/UDP host branch=z9hG4bK", "SIP/2.0/UDP host;;branch=z",
        "SIP/2.0/UDP 1.2.3;branch=z9hG4bK",
    ])
    func rejectsMalformed(_ text: String) {
        #expect(typedHeaderErrorCode(text, as: Via.self) == .badVia, "\(text)")
    }

    @Test(arguments: [
        "SIP/2.0/UDP erlang.bell-telephone.com:5060;branch=z9hG4bK87asdks7",
        "SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bKas3-111;received=[2001:db8::9:255]",
        "SIP/2.0/TCP 192.0.2.1;rport=5060;received=192.0.2.9;branch=z9hG4bK1;ttl=1;maddr=239.0.0.1",
        "SIP  /   2.0  /UDP    192.0.2.2;branch=390skdjuw",
        "SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKasudf;x=\"a\\\"b\"",
    ])
    func roundTrips(_ text: String) throws {
        try typedRoundTrip(text, as: Via.self)
    }
}
