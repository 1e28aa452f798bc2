import Testing

@testable import SIPMessage

/// Hosts: hostnames (RFC 3261 §25.1), IPv4 dotted quads, and IPv6 references (RFC 5118).
@Suite struct HostTests {
    // MARK: IPv6 references, RFC 5118

    @Test func ipv6Reference() throws {
        let uri = try sipURI("sip:[2001:db8::10]")
        guard case .ipv6(let address) = uri.host else {
            Issue.record("expected an IPv6 host")
            return
        }
        #expect(address.groups == [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10])
        #expect(uri.port == nil)
        #expect(uri.description == "sip:[2001:db8::10]")
    }

    @Test func ipv6ReferenceWithPort() throws {
        let uri = try sipURI("sip:[2001:db8::10]:5070")
        #expect(uri.port == 5070)
        #expect(uri.host == .ipv6(try IPv6Address(parsing: "2001:db8::10")))
        #expect(uri.description == "sip:[2001:db8::10]:5070")
    }

    @Test func ipv4MappedIPv6() throws {
        let uri = try sipURI("sip:[::ffff:192.0.2.1]")
        guard case .ipv6(let address) = uri.host else {
            Issue.record("expected an IPv6 host")
            return
        }
        #expect(address.isIPv4Mapped)
        #expect(address.groups == [0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201])
        #expect(address.canonicalText == "::ffff:192.0.2.1")
        #expect(uri.description == "sip:[::ffff:192.0.2.1]")
    }

    @Test func rfc5118Section4Examples() throws {
        // RFC 5118 §4.1/§4.2: these spellings of one address are valid and equal.
        let a = try sipURI("sip:[2001:db8::9:1]")
        let b = try sipURI("sip:[2001:db8::9:01]")
        let c = try sipURI("sip:[0:0:0:0:0:FFFF:129.144.52.38]")
        let d = try sipURI("sip:[::FFFF:129.144.52.38]")
        #expect(a.host == b.host)
        #expect(c.host == d.host)
        #expect(a.isEquivalent(to: b))
        #expect(c.isEquivalent(to: d))
        // Written as received.
        #expect(b.description == "sip:[2001:db8::9:01]")
    }

    @Test(arguments: [
        "::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6::8",
        "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "fe80::1:2.3.4.5", "ABCD:ef01:2345:6789:abcd:EF01:2345:6789",
    ])
    func validIPv6(_ text: String) throws {
        let address = try IPv6Address(parsing: text)
        #expect(address.description == text)
        // The canonical text parses back to the same value.
        #expect(try IPv6Address(parsing: address.canonicalText) == address)
        #expect(try Host(parsing: "[\(text)]") == .ipv6(address))
    }

    @Test(arguments: [
        "sip:[2001:db8:::10]",  // triple colon without an IPv4 tail (only RFC 5118 §4.10's form is tolerated)
        "sip:[2001:db8::::192.0.2.1]",  // four colons
        "sip:[2001:db8:::192.0.2]",  // triple colon before a bad IPv4 address
        "sip:[2001:db8::10",  // no closing bracket
        "sip:2001:db8::10]",  // no opening bracket
        "sip:2001:db8::10",  // no brackets at all
        "sip:[2001:db8::10]x",  // junk after the bracket
        "sip:[]",
        "sip:[1:2:3:4:5:6:7:8:9]",  // nine groups
        "sip:[1:2:3:4:5:6:7]",  // seven groups, no "::"
        "sip:[1:2:3:4:5:6:7:8::]",  // "::" standing for nothing
        "sip:[1::2::3]",  // two "::"
        "sip:[:1::2]",  // single leading colon
        "sip:[1::2:]",  // single trailing colon
        "sip:[12345::1]",  // five hex digits
        "sip:[::ffff:192.0.2.256]",  // embedded IPv4 out of range
        "sip:[::192.0.2]",  // embedded IPv4 too short
        "sip:[::1.2.3.4:5]",  // embedded IPv4 not last
        "sip:[1:2:3:4:5:6:7:1.2.3.4]",  // IPv4 counts as two groups
        "sip:[fe80::1%25eth0]",  // zone identifiers are not SIP
        "sip:[g::1]",
    ])
    func invalidIPv6(_ text: String) {
        #expect(uriErrorCode { _ = try SIPURI(parsing: text) } == .badURIHost, "\(text)")
    }

    /// RFC 5118 §4.10: the third colon RFC 3261's ABNF admits before an embedded IPv4 address is ignored.
    @Test func tripleColonBeforeIPv4IsTolerated() throws {
        let host = try SIPURI(parsing: "sip:user@[2001:db8:::192.0.2.1]").host
        #expect(host == .ipv6(try IPv6Address(parsing: "2001:db8::192.0.2.1")))
        #expect(host.description == "[2001:db8:::192.0.2.1]")  // written back as received
        #expect(try IPv6Address(parsing: ":::192.0.2.1") == IPv6Address(parsing: "::192.0.2.1"))
    }

    @Test func ipv6EqualityIsByValue() throws {
        let a = try Host(parsing: "[2001:db8::10]")
        let b = try Host(parsing: "[2001:DB8:0000:0:0:0:0:0010]")
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(b.description == "[2001:DB8:0000:0:0:0:0:0010]")
    }

    @Test func ipv6CanonicalForm() throws {
        #expect(IPv6Address(groups: [0x2001, 0xdb8, 0, 0, 1, 0, 0, 1])?.description == "2001:db8::1:0:0:1")
        #expect(IPv6Address(groups: [0x2001, 0xdb8, 0, 1, 1, 1, 1, 1])?.description == "2001:db8:0:1:1:1:1:1")
        #expect(IPv6Address(groups: [0, 0, 0, 0, 0, 0, 0, 0])?.description == "::")
        #expect(IPv6Address(groups: [1, 0, 0, 2, 0, 0, 0, 3])?.description == "1:0:0:2::3")
        #expect(IPv6Address(groups: [1, 2]) == nil)
        let built = SIPURI(host: .ipv6(IPv6Address(high: 0x2001_0db8_0000_0000, low: 0x10)), port: 5060)
        #expect(built.description == "sip:[2001:db8::10]:5060")
    }

    // MARK: IPv4

    @Test func ipv4() throws {
        let host = try Host(parsing: "192.0.2.1")
        #expect(host == .ipv4(IPv4Address(192, 0, 2, 1)))
        guard case .ipv4(let address) = host else { return }
        #expect(address.value == 0xC000_0201)
        #expect(address.octets == [192, 0, 2, 1])
        // Leading zeros are valid (1*3DIGIT), kept as written, and equal by value.
        let padded = try Host(parsing: "192.000.002.001")
        #expect(padded == host)
        #expect(padded.description == "192.000.002.001")
    }

    /// Parsed without leading zeros, an address keeps no copy of its text: what it writes back must still be the
    /// same bytes, for one-, two- and three-digit numbers alike.
    @Test(arguments: ["0.9.10.99", "100.199.200.255", "127.0.0.1", "10.0.0.0"])
    func canonicalIPv4IsWrittenBackAsParsed(_ text: String) throws {
        let host = try Host(parsing: text)
        #expect(host.description == text)
        var written: [UInt8] = []
        host.serialize(into: &written)
        #expect(String(decoding: written, as: UTF8.self) == text)
        let padded = try Host(parsing: "010.000.000.001")
        written = []
        padded.serialize(into: &written)
        #expect(String(decoding: written, as: UTF8.self) == "010.000.000.001")
    }

    /// Digits and dots next to any other byte make a hostname, however the numbers would read as an address.
    @Test(arguments: ["1234.example.com", "256.1.1.1.example", "1.2.3.a4"])
    func digitsAndDotsWithLettersAreAHostname(_ text: String) throws {
        #expect(try Host(parsing: text) == .name(text))
    }

    @Test(arguments: ["256.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.4.", "1234.1.1.1", ".1.2.3"])
    func invalidIPv4(_ text: String) {
        #expect(uriErrorCode { _ = try Host(parsing: text) } == .badURIHost, "\(text)")
        #expect(uriErrorCode { _ = try SIPURI(parsing: "sip:alice@\(text)") } == .badURIHost, "\(text)")
    }

    // MARK: Hostnames

    @Test(arguments: [
        "atlanta.com", "a", "a.b.c.d.example", "x-1.example.com", "example.com.", "1.2.3.4.example.net",
        "EXAMPLE.COM", "a1", "9a.b9",
    ])
    func validHostname(_ text: String) throws {
        #expect(try Host(parsing: text) == .name(text))
        #expect(try Host(parsing: text).description == text)
    }

    @Test(arguments: [
        "", "-a.com", "a-.com", "a..com", ".com", "a.1com", "a.com-", "a_b.com", "ex ample.com", "a.123",
        "a.b..",
    ])
    func invalidHostname(_ text: String) {
        let code = uriErrorCode { _ = try Host(parsing: text) }
        #expect(code == .badURIHost || code == .malformedURI, "\(text)")
    }

    @Test func hostnameEqualityIgnoresCase() throws {
        #expect(Host.name("AtLanTa.CoM") == .name("atlanta.com"))
        #expect(Host.name("AtLanTa.CoM").hashValue == Host.name("atlanta.com").hashValue)
        #expect(Host.name("atlanta.com") != .name("atlanta.co"))
        #expect(try Host(parsing: "192.0.2.4") != Host.name("phone21.boxesbybob.com"))
        #expect(!Host.name("x.example").isIPAddress)
        #expect(Host.ipv4(IPv4Address(value: 1)).isIPAddress)
    }
}
