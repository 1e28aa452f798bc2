import GatehousePolicy
import SIPMessage
import Testing

/// `ims.emergency`: where the embedded core's P-CSCF sends `urn:service:sos…` calls.
struct EmergencyPolicyTests {
    /// `IMSPolicyTests.embeddedHead`, `emergency: TARGET` on line 11, and a peer `psap` after it.
    static func policy(_ target: String) -> String {
        IMSPolicyTests.embeddedHead + """
              emergency: \(target)
            peers:
              psap: { realm: interconnect, addresses: ["192.0.2.91"], port: 5060, transport: udp }
              nowhere: { realm: interconnect, addresses: ["192.0.2.0/24"] }

            """
    }

    @Test func noRouteByDefault() throws {
        #expect(try PolicyFixtures.load(IMSPolicyTests.embeddedHead).ims?.embedded?.emergency == nil)
    }

    @Test func aPeerOrARejection() throws {
        #expect(try PolicyFixtures.load(Self.policy("peer:psap")).ims?.embedded?.emergency == .peer("psap"))
        #expect(
            try PolicyFixtures.load(Self.policy("\"reject:503 No PSAP here\"")).ims?.embedded?.emergency
                == .reject(SIPStatus(503, "No PSAP here")))
    }

    @Test func mistakesAreLocated() {
        let unknown = PolicyFixtures.diagnostics(Self.policy("peer:fire-brigade"))
        #expect(unknown.map(\.located) == ["unknown-peer@11:14"])
        let addressless = PolicyFixtures.diagnostics(Self.policy("peer:nowhere"))
        #expect(addressless.map(\.located) == ["no-destination@11:14"])
        let enumTarget = PolicyFixtures.diagnostics(Self.policy("enum"))
        #expect(enumTarget.map(\.located) == ["bad-target@11:14"])
        #expect(enumTarget.first?.message == "ims.emergency must be peer:NAME or reject:STATUS, not enum")
    }
}
