import GatehousePolicy
import Testing

/// `realms.NAME.media` (`timeout`, `latching`) and `peers.NAME.codecs`: defaults, values and mistakes.
struct MediaPolicyTests {
    static func realms(_ media: String) -> String {
        """
        version: 1
        node: { name: t }
        realms:
          access:
            listen: ["udp://127.0.0.10:5060"]
            media: \(media)

        """
    }

    @Test func defaultsAreOneMinuteAndAnySource() throws {
        let policy = try PolicyFixtures.load(Self.realms("{ address: 127.0.0.10, ports: 20000-29999 }"))
        let media = try #require(policy.realm(named: "access")?.media)
        #expect(media.timeout == .seconds(60))
        #expect(media.latching == .any)
    }

    @Test func timeoutAndLatchingAreRead() throws {
        let policy = try PolicyFixtures.load(
            Self.realms("{ address: 127.0.0.10, ports: 20000-29999, timeout: 20s, latching: signalled }"))
        let media = try #require(policy.realm(named: "access")?.media)
        #expect(media.timeout == .seconds(20))
        #expect(media.latching == .signalled)
    }

    @Test func badValuesAreLocated() {
        let found = PolicyFixtures.diagnostics(
            Self.realms("{ address: 127.0.0.10, ports: 20000-29999, timeout: 2h, latching: nat }"))
        #expect(found.map(\.code) == [.badValue])
        #expect(found.first?.line == 6)
        let latching = PolicyFixtures.diagnostics(
            Self.realms("{ address: 127.0.0.10, ports: 20000-29999, latching: nat }"))
        #expect(latching.map(\.code) == [.badValue])
    }

    @Test func peerCodecsAreUpperCasedNames() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                peers:
                  pbx: { realm: access, addresses: [127.0.0.2], codecs: [PCMA, telephone-event] }
                  carrier: { realm: interconnect, addresses: [127.0.0.3], codecs: pcmu }
                  open: { realm: interconnect, addresses: [127.0.0.4] }
                """)
        #expect(policy.peer(named: "pbx")?.codecs == ["PCMA", "TELEPHONE-EVENT"])
        #expect(policy.peer(named: "carrier")?.codecs == ["PCMU"])
        #expect(policy.peer(named: "open")?.codecs == nil)
    }
}
