import GatehousePolicy
import SIPMessage
import Testing

/// Peers: their keys and defaults, the address blocks that identify them, and the longest-prefix lookup.
struct PeerTests {
    @Test func peerKeysAndDefaults() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                peers:
                  pbx:
                    realm: access
                    addresses: [127.0.0.2]
                  trunk:
                    realm: access
                    addresses: ["10.1.0.0/16", "2001:db8::/64", "10.2.0.5:5070", "[2001:db8:1::5]:5080"]
                    port: 5062
                    transport: tcp
                    trust: trusted
                    credentials: { username: acme, password: secret, realm: gatehouse.test }
                    next_hop: "sip:proxy.acme.example:5070;transport=tcp"
                  hashed:
                    realm: interconnect
                    addresses: [127.0.0.3]
                    credentials: { username: carrier, ha1: 0123456789ABCDEF0123456789abcdef, realm: c.example }
                """)
        let pbx = try #require(policy.peer(named: "pbx"))
        #expect(pbx.realm == "access")
        #expect(pbx.port == 5060)
        #expect(pbx.transport == .udp)
        #expect(pbx.trust == .untrusted)
        #expect(pbx.credentials == nil && pbx.nextHop == nil)
        #expect(pbx.signallingEndpoints == [SIPEndpoint(transport: .udp, host: "127.0.0.2", port: 5060)])

        let trunk = try #require(policy.peer(named: "trunk"))
        #expect(
            trunk.addresses.map(\.description) == [
                "10.1.0.0/16", "2001:db8::/64", "10.2.0.5:5070", "[2001:db8:1::5]:5080",
            ])
        #expect(trunk.port == 5062 && trunk.transport == .tcp && trunk.trust == .trusted)
        #expect(
            trunk.signallingEndpoints == [
                SIPEndpoint(transport: .tcp, host: "10.2.0.5", port: 5070),
                SIPEndpoint(transport: .tcp, host: "2001:db8:1::5", port: 5080),
            ])
        #expect(
            trunk.credentials
                == PeerCredentials(username: "acme", secret: .password("secret"), realm: "gatehouse.test"))
        #expect(trunk.credentials?.description.contains("secret") == false)
        #expect(trunk.nextHop == (try SIPURI(parsing: "sip:proxy.acme.example:5070;transport=tcp")))

        let hashed = try #require(policy.peer(named: "hashed"))
        #expect(hashed.credentials?.secret == .ha1("0123456789abcdef0123456789abcdef"))
        #expect(policy.peers(inRealm: "access").map(\.name) == ["pbx", "trunk"])
    }

    @Test func tlsPeersDefaultToPort5061AndRegisteringTrunksNeedNoAddress() throws {
        let policy = try PolicyFixtures.load(
            """
            version: 1
            node: { name: t }
            realms:
              access:
                listen: ["tls://[::1]:5061"]
                tls: { certificate: a.crt, key: a.key }
            peers:
              roaming-pbx:
                realm: access
                transport: tls
                credentials: { username: pbx, password: pw }
            """)
        let peer = try #require(policy.peer(named: "roaming-pbx"))
        #expect(peer.port == 5061 && peer.addresses.isEmpty)
    }

    /// Where calls to a peer go: its first single address (a block is not an address to send to), else its next
    /// hop when that is an IP; a named next hop or no address at all gives none.
    @Test func destinations() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                peers:
                  direct: { realm: interconnect, addresses: ["198.51.100.0/24", "198.51.100.7:5070"] }
                  relayed: { realm: interconnect, addresses: ["203.0.113.0/24"], next_hop: "sip:192.0.2.9;transport=tcp" }
                  secure: { realm: interconnect, addresses: ["203.0.114.0/24"], next_hop: "sips:[2001:db8::9]" }
                  named: { realm: interconnect, addresses: ["203.0.115.0/24"], next_hop: "sip:sbc.example.net" }
                """)
        #expect(
            policy.peer(named: "direct")?.destination == SIPEndpoint(transport: .udp, host: "198.51.100.7", port: 5070))
        #expect(
            policy.peer(named: "relayed")?.destination == SIPEndpoint(transport: .tcp, host: "192.0.2.9", port: 5060))
        #expect(
            policy.peer(named: "secure")?.destination == SIPEndpoint(transport: .tls, host: "2001:db8::9", port: 5061))
        #expect(policy.peer(named: "named") != nil)
        #expect(policy.peer(named: "named")?.destination == nil)
    }

    /// In-dialog requests follow the callee's Contact only to another address of the same peer, over the call's
    /// transport, and never around a next hop.
    @Test func inDialogDestinations() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                peers:
                  cluster: { realm: interconnect, addresses: ["198.51.100.0/24", "198.51.100.7:5070"] }
                  proxied: { realm: interconnect, addresses: ["203.0.113.0/24"], next_hop: "sip:192.0.2.9" }
                """)
        let cluster = try #require(policy.peer(named: "cluster"))
        let called = SIPEndpoint(transport: .udp, host: "198.51.100.7", port: 5070)
        func next(_ uri: String, _ peer: Peer = cluster) throws -> SIPEndpoint {
            peer.inDialogDestination(nextHop: try URI(parsing: uri), callDestination: called)
        }
        #expect(try next("sip:b@198.51.100.8:5080") == SIPEndpoint(transport: .udp, host: "198.51.100.8", port: 5080))
        #expect(try next("sip:b@198.51.100.9") == SIPEndpoint(transport: .udp, host: "198.51.100.9", port: 5060))
        #expect(try next("sip:b@203.0.113.1") == called, "not the peer's address")
        #expect(try next("sip:b@198.51.100.8;transport=tcp") == called, "another transport")
        #expect(try next("sip:b@node.example.net") == called, "a name")
        #expect(try next("tel:+15551230000") == called)
        let proxied = try #require(policy.peer(named: "proxied"))
        #expect(try next("sip:b@203.0.113.1", proxied) == called, "around the next hop")
    }

    @Test func longestPrefixWins() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                peers:
                  wide: { realm: access, addresses: [127.0.0.0/8, "2001:db8::/32"] }
                  narrow: { realm: access, addresses: [127.0.0.0/24] }
                  host: { realm: access, addresses: [127.0.0.2] }
                  v6host: { realm: access, addresses: ["2001:db8::7"] }
                  elsewhere: { realm: interconnect, addresses: [127.0.0.2] }
                """)
        #expect(policy.peer(for: "127.0.0.2", realm: "access")?.name == "host")
        #expect(policy.peer(for: "127.0.0.3", realm: "access")?.name == "narrow")
        #expect(policy.peer(for: "127.9.9.9", realm: "access")?.name == "wide")
        #expect(policy.peer(for: "::ffff:127.0.0.2", realm: "access")?.name == "host")
        #expect(policy.peer(for: "[2001:db8::7]", realm: "access")?.name == "v6host")
        #expect(policy.peer(for: "2001:db8:0:0:0:0:0:8", realm: "access")?.name == "wide")
        #expect(policy.peer(for: "2001:db9::1", realm: "access") == nil)
        #expect(policy.peer(for: "10.0.0.1", realm: "access") == nil)
        #expect(policy.peer(for: "127.0.0.2", realm: "interconnect")?.name == "elsewhere")
        #expect(policy.peer(for: "not an address", realm: "access") == nil)
    }

    @Test func prefixArithmetic() throws {
        func ip(_ text: String) throws -> IPAddress { try #require(IPAddress(parsing: text)) }
        func block(_ text: String, _ length: Int) throws -> IPPrefix {
            try #require(IPPrefix(network: try ip(text), length: length))
        }
        let v4 = try block("192.0.2.0", 24)
        #expect(v4.contains(try ip("192.0.2.255")))
        #expect(!v4.contains(try ip("192.0.3.0")))
        #expect(!v4.contains(try ip("::1")))
        #expect(IPPrefix(network: try ip("192.0.2.0"), length: 33) == nil)
        #expect(IPPrefix(network: try ip("192.0.2.1"), length: 24) == nil)
        #expect(try block("0.0.0.0", 0).contains(try ip("203.0.113.9")))
        let v6 = try block("2001:db8:8000::", 33)
        #expect(v6.contains(try ip("2001:db8:ffff::1")))
        #expect(!v6.contains(try ip("2001:db8:7fff::1")))
        let deep = try block("2001:db8::1:0", 112)
        #expect(deep.contains(try ip("2001:db8::1:ffff")))
        #expect(!deep.contains(try ip("2001:db8::2:0")))
        #expect(IPPrefix(address: try ip("192.0.2.1")).isSingleAddress)
        #expect(try ip("::ffff:192.0.2.1") == .v4(IPv4Address(192, 0, 2, 1)))
    }

    @Test func peerErrorsAreLocated() {
        let found = PolicyFixtures.diagnostics(
            PolicyFixtures.head + """
                peers:
                  a:
                    realm: nowhere
                    addresses: [127.0.0.2]
                  b:
                    realm: access
                    addresses: [127.0.0.0/33, 10.0.0.1/8, "2001:db8::/129", example.com, "127.0.0.2:0"]
                    transport: sctp
                    trust: maybe
                    next_hop: "http://x"
                    colour: blue
                  c:
                    realm: access
                    addresses: [127.0.0.5, 127.0.0.5/32]
                  d:
                    realm: access
                    addresses: [127.0.0.5]
                    credentials: { username: d, password: x, ha1: 0123456789abcdef0123456789abcdef }
                  e:
                    realm: access
                    credentials: { username: e, ha1: "0123" }
                  f:
                    realm: access
                  g:
                    realm: interconnect
                    addresses: [127.0.0.9]
                    transport: tcp
                  "bad name":
                    realm: access
                """)
        #expect(
            found.map(\.located) == [
                "unknown-realm@10:12",
                "unknown-key@18:5",
                "bad-prefix-length@14:17",
                "bad-prefix-length@14:31",
                "bad-prefix-length@14:43",
                "bad-address@14:61",
                "bad-address@14:74",
                "bad-value@15:16",
                "bad-value@16:12",
                "bad-uri@17:15",
                "bad-credentials@25:51",
                "bad-credentials@28:38",
                "missing-key@28:18",
                "missing-key@30:5",
                "transport-not-served@34:16",
                "bad-name@35:3",
                "duplicate-peer-address@21:28",
                "duplicate-peer-address@24:17",
            ])
        #expect(found[3].message.contains("did you mean 10.0.0.0/8?"))
        #expect(found[6].message.contains("port '0'"))
        #expect(found[10].message.contains("'password' or 'ha1', not both"))
        #expect(found[12].message.contains("'realm' is required"))
        #expect(found[14].message.contains("realm 'interconnect' listens only on udp"))
        #expect(found[16].message.contains("127.0.0.5/32 already belongs to this peer in realm 'access'"))
        #expect(found[17].message.contains("already belongs to peer 'c'"))
    }
}
