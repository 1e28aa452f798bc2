import Border
import GatehousePolicy
import SIPMessage
import Testing

/// NAT judged from one REGISTER: the Contact and the top Via against the address and port the packet came from.
@Suite struct NATDetectionTests {
    /// The evidence for a request from `source` (an IP literal) on `port` over `transport`.
    static func judge(
        contact: String?, via: String?, source: String, port: Int = 5060, transport: SIPTransport = .udp
    ) throws -> NATDetection {
        try NATDetection.judge(
            contact: contact.map { try URI(parsing: $0) }, topVia: via.map { try Via(parsing: $0) },
            source: SIPEndpoint(transport: transport, host: source, port: port))
    }

    // MARK: Private Contacts

    /// Every private or shared block, from a public source (of the same family): the Contact is private and not
    /// the source, which is NAT.
    @Test(arguments: [
        ("10.0.0.1", "203.0.113.7"), ("10.255.255.254", "203.0.113.7"),  // RFC 1918
        ("172.16.0.1", "203.0.113.7"), ("172.31.255.254", "203.0.113.7"),
        ("192.168.0.1", "203.0.113.7"), ("192.168.255.254", "203.0.113.7"),
        ("100.64.0.1", "203.0.113.7"), ("100.127.255.254", "203.0.113.7"),  // RFC 6598
        ("169.254.0.1", "203.0.113.7"), ("169.254.255.254", "203.0.113.7"),  // RFC 3927
        ("[fc00::1]", "2001:db8::7"), ("[fdff:ffff::1]", "2001:db8::7"),  // RFC 4193
        ("[fe80::1]", "2001:db8::7"), ("[febf:ffff::1]", "2001:db8::7"),  // RFC 4291
    ])
    func privateContactFromAPublicSourceIsNAT(_ contactHost: String, _ source: String) throws {
        let nat = try Self.judge(contact: "sip:alice@\(contactHost):5060", via: nil, source: source)
        #expect(nat.evidence == [.contactIsPrivate, .contactIsNotSource], "\(contactHost)")
        #expect(nat.isBehindNAT)
    }

    /// Just outside each block: a public Contact that is not the source is a multi-homed UA, not NAT.
    @Test(arguments: [
        "9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255", "192.169.0.0",
        "100.63.255.255", "100.128.0.0", "169.253.255.255", "169.255.0.0", "[fbff::1]", "[fe00::1]", "[fec0::1]",
        "[2001:db8::20]",
    ])
    func publicContactThatIsNotTheSourceIsNotNAT(_ contactHost: String) throws {
        let source = contactHost.hasPrefix("[") ? "2001:db8::7" : "203.0.113.7"
        let nat = try Self.judge(contact: "sip:alice@\(contactHost):5060", via: nil, source: source)
        #expect(nat.evidence == [.contactIsNotSource], "\(contactHost)")
        #expect(!nat.isBehindNAT)
    }

    /// An IPv4-mapped IPv6 Contact is its IPv4 address, as the source of a dual-stack socket is.
    @Test func anIPv4MappedContactIsItsIPv4Address() throws {
        let same = try Self.judge(contact: "sip:alice@[::ffff:203.0.113.7]:5060", via: nil, source: "203.0.113.7")
        #expect(same.evidence.isEmpty)
        let natted = try Self.judge(contact: "sip:alice@[::ffff:10.0.0.5]:5060", via: nil, source: "203.0.113.7")
        #expect(natted.evidence == [.contactIsPrivate, .contactIsNotSource])
    }

    @Test func aPrivateContactThatIsTheSourceIsTheSameLANNotNAT() throws {
        let nat = try Self.judge(
            contact: "sip:alice@192.168.1.20:5060", via: "SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK-1",
            source: "192.168.1.20")
        #expect(nat.evidence.isEmpty)
        #expect(!nat.isBehindNAT)
        #expect(nat.description == "none")
    }

    @Test func aTypicalHandsetBehindNATShowsEverything() throws {
        let nat = try Self.judge(
            contact: "sip:alice@10.0.0.5:5060;transport=udp", via: "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-1;rport",
            source: "203.0.113.7", port: 40312)
        #expect(nat.evidence == [.contactIsPrivate, .contactIsNotSource, .viaHostIsNotSource])
        #expect(nat.isBehindNAT)
        #expect(nat.description == "contact-not-source,contact-private,via-host-not-source")
    }

    // MARK: Ports

    /// A UA that knows its public address (STUN) but not the port its NAT maps: over UDP the rewritten port shows.
    @Test func viaPortRewrittenOverUDPIsNAT() throws {
        let nat = try Self.judge(
            contact: "sip:alice@203.0.113.7:5060", via: "SIP/2.0/UDP 203.0.113.7:5060;branch=z9hG4bK-1",
            source: "203.0.113.7", port: 40312)
        #expect(nat.evidence == [.contactIsNotSource, .viaPortIsNotSource])
        #expect(nat.isBehindNAT)
    }

    /// Over TCP and TLS the source port is the connection's ephemeral port: it says nothing.
    @Test(arguments: [SIPTransport.tcp, .tls])
    func portsSayNothingOverStreams(_ transport: SIPTransport) throws {
        let nat = try Self.judge(
            contact: "sip:alice@203.0.113.7:5060;transport=\(transport)",
            via: "SIP/2.0/\(transport.viaToken) 203.0.113.7:5060;branch=z9hG4bK-1", source: "203.0.113.7",
            port: 40312, transport: transport)
        #expect(nat.evidence.isEmpty)
        #expect(!nat.isBehindNAT)
    }

    /// Hosts still count over streams: a private Contact and a Via that names another address.
    @Test func hostsCountOverTCP() throws {
        let nat = try Self.judge(
            contact: "sip:alice@10.0.0.5:5060;transport=tcp", via: "SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bK-1",
            source: "203.0.113.7", port: 40312, transport: .tcp)
        #expect(nat.evidence == [.contactIsPrivate, .contactIsNotSource, .viaHostIsNotSource])
        #expect(nat.isBehindNAT)
    }

    /// No port written means 5060 (the Via's transport default, the Contact's scheme default).
    @Test func missingPortsAreTheDefaults() throws {
        let same = try Self.judge(
            contact: "sip:alice@203.0.113.7", via: "SIP/2.0/UDP 203.0.113.7;branch=z9hG4bK-1", source: "203.0.113.7")
        #expect(same.evidence.isEmpty)
        let rewritten = try Self.judge(
            contact: "sip:alice@203.0.113.7", via: "SIP/2.0/UDP 203.0.113.7;branch=z9hG4bK-1", source: "203.0.113.7",
            port: 1024)
        #expect(rewritten.evidence == [.contactIsNotSource, .viaPortIsNotSource])
    }

    // MARK: Via host, names, multi-homing

    @Test func viaHostThatIsNotTheSourceIsNAT() throws {
        let nat = try Self.judge(
            contact: "sip:alice@203.0.113.7:5060", via: "SIP/2.0/UDP 198.51.100.99:5060;branch=z9hG4bK-1",
            source: "203.0.113.7")
        #expect(nat.evidence == [.viaHostIsNotSource])
        #expect(nat.isBehindNAT)
        #expect(nat.description == "via-host-not-source")
    }

    /// A name is no evidence either way: Gatehouse does not resolve a UA's names to judge it.
    @Test func hostNamesAreNoEvidence() throws {
        let names = try Self.judge(
            contact: "sip:alice@phone.example.com:5070", via: "SIP/2.0/UDP phone.example.com:5070;branch=z9hG4bK-1",
            source: "203.0.113.7")
        #expect(names.evidence.isEmpty)
        #expect(!names.isBehindNAT)
        // A named Via does not hide a private Contact.
        let privateContact = try Self.judge(
            contact: "sip:alice@10.0.0.5:5060", via: "SIP/2.0/UDP phone.example.com;branch=z9hG4bK-1",
            source: "203.0.113.7")
        #expect(privateContact.evidence == [.contactIsPrivate, .contactIsNotSource])
    }

    /// A multi-homed UA with a public address: its Contact differs from the source (host, or port over UDP), which
    /// alone is not NAT.
    @Test func aContactThatOnlyDiffersIsNotNAT() throws {
        let otherHost = try Self.judge(
            contact: "sip:alice@198.51.100.20:5060", via: "SIP/2.0/UDP 203.0.113.7:5060;branch=z9hG4bK-1",
            source: "203.0.113.7")
        #expect(otherHost.evidence == [.contactIsNotSource])
        #expect(!otherHost.isBehindNAT)
        #expect(otherHost.description == "contact-not-source")
        let otherPort = try Self.judge(
            contact: "sip:alice@203.0.113.7:5070", via: "SIP/2.0/UDP 203.0.113.7:5060;branch=z9hG4bK-1",
            source: "203.0.113.7")
        #expect(otherPort.evidence == [.contactIsNotSource])
        #expect(!otherPort.isBehindNAT)
    }

    /// No Contact (a fetch of bindings, `*`) or a tel: Contact: only the Via counts.
    @Test func withoutASIPContactOnlyTheViaCounts() throws {
        let none = try Self.judge(
            contact: nil, via: "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-1", source: "203.0.113.7", port: 40312)
        #expect(none.evidence == [.viaHostIsNotSource])
        let tel = try Self.judge(
            contact: "tel:+15550100", via: "SIP/2.0/UDP 203.0.113.7:5060;branch=z9hG4bK-1", source: "203.0.113.7")
        #expect(tel.evidence.isEmpty)
        let nothing = try Self.judge(contact: nil, via: nil, source: "203.0.113.7")
        #expect(nothing.evidence.isEmpty && !nothing.isBehindNAT)
    }

    // MARK: IPv6

    @Test func ipv6() throws {
        // Addresses compare as values, however the source is written.
        let direct = try Self.judge(
            contact: "sip:alice@[2001:db8::20]:5060", via: "SIP/2.0/UDP [2001:db8::20]:5060;branch=z9hG4bK-1",
            source: "2001:0db8:0:0:0:0:0:20")
        #expect(direct.evidence.isEmpty)
        let rewritten = try Self.judge(
            contact: "sip:alice@[2001:db8::20]:5060", via: "SIP/2.0/UDP [2001:db8::20]:5060;branch=z9hG4bK-1",
            source: "2001:db8::20", port: 40312)
        #expect(rewritten.evidence == [.contactIsNotSource, .viaPortIsNotSource])
        // NAT66 (or NPTv6) in front of a ULA.
        let ula = try Self.judge(
            contact: "sip:alice@[fd00:1::5]:5060", via: "SIP/2.0/UDP [fd00:1::5]:5060;branch=z9hG4bK-1",
            source: "2001:db8::20")
        #expect(ula.evidence == [.contactIsPrivate, .contactIsNotSource, .viaHostIsNotSource])
        #expect(ula.isBehindNAT)
        // A dual-stack socket reports an IPv4 peer as IPv4-mapped: it is still the IPv4 source.
        let mapped = try Self.judge(
            contact: "sip:alice@203.0.113.7:5060", via: "SIP/2.0/UDP 203.0.113.7:5060;branch=z9hG4bK-1",
            source: "::ffff:203.0.113.7")
        #expect(mapped.evidence.isEmpty)
    }

    // MARK: The verdict and its description

    @Test func everyEvidenceButContactIsNotSourceIsNATOnItsOwn() {
        for evidence in NATDetection.Evidence.allCases {
            #expect(NATDetection(evidence: [evidence]).isBehindNAT == (evidence != .contactIsNotSource), "\(evidence)")
        }
        #expect(!NATDetection().isBehindNAT)
    }

    @Test func descriptionsAreSortedRawValues() {
        #expect(NATDetection().description == "none")
        #expect(
            NATDetection(evidence: Set(NATDetection.Evidence.allCases)).description
                == "contact-not-source,contact-private,via-host-not-source,via-port-not-source")
        #expect(
            NATDetection(evidence: [.viaPortIsNotSource, .contactIsPrivate]).description
                == "contact-private,via-port-not-source")
        #expect("\(NATDetection(evidence: [.viaHostIsNotSource]))" == "via-host-not-source")
    }
}
