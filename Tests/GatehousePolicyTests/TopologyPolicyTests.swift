import GatehousePolicy
import SIPMessage
import Testing

/// `peers.NAME.topology`: the reference's example, names, wildcards and compact forms, the default, and each
/// mistake located to its line and column.
struct TopologyPolicyTests {
    @Test func withoutTheSectionOnlyTheDefaultPassListApplies() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                peers:
                  pbx: { realm: access, addresses: [127.0.0.2] }
                  empty: { realm: access, addresses: [127.0.0.3], topology: {} }
                """)
        #expect(policy.peer(named: "pbx")?.topology == TopologySettings())
        #expect(policy.peer(named: "pbx")?.topology.passHeaders.isEmpty == true)
        #expect(policy.peer(named: "empty")?.topology == TopologySettings())
    }

    /// The example of policies/README.md, as written there, and a single name instead of a list.
    @Test func theReferenceExampleAndEveryForm() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                peers:
                  lab-carrier:
                    realm: interconnect
                    addresses: [127.0.0.3/32]
                    trust: trusted
                    topology:
                      pass_headers: [P-Asserted-Identity, P-Charging-Vector, "X-Billing-*"]
                  pbx:
                    realm: access
                    addresses: [127.0.0.2]
                    topology: { pass_headers: Server }
                  forms:
                    realm: access
                    addresses: [127.0.0.4]
                    topology: { pass_headers: [user-agent, "P-*", s, WARNING] }
                """)
        let carrier = try #require(policy.peer(named: "lab-carrier")).topology.passHeaders
        #expect(
            carrier == [
                try HeaderPattern(parsing: "P-Asserted-Identity"), try HeaderPattern(parsing: "P-Charging-Vector"),
                try HeaderPattern(parsing: "X-Billing-*"),
            ])
        #expect(carrier[0].matches(.pAssertedIdentity))
        #expect(carrier[2].isWildcard)
        #expect(carrier[2].matches(HeaderName("x-billing-account")))
        #expect(!carrier[2].matches(HeaderName("X-Billing")))
        #expect(policy.peer(named: "pbx")?.topology.passHeaders == [HeaderPattern(name: .server)])

        // Case is ignored, and a compact form names its header.
        let forms = try #require(policy.peer(named: "forms")).topology.passHeaders
        #expect(forms.count == 4)
        #expect(forms[0].matches(.userAgent))
        #expect(forms[1].matches(.pAssertedIdentity) && forms[1].matches(HeaderName("P-Charging-Vector")))
        #expect(forms[2].matches(HeaderName("Subject")))
        #expect(forms[3].matches(HeaderName("Warning")))
    }

    @Test func mistakesAreLocated() {
        let found = PolicyFixtures.diagnostics(
            PolicyFixtures.head + """
                peers:
                  carrier:
                    realm: interconnect
                    addresses: [127.0.0.3]
                    topology:
                      pass_headers: ["*", "X-*-Id", "Bad Header", "", P-Asserted-Identity]
                      hide: [Server]
                  pbx:
                    realm: access
                    addresses: [127.0.0.2]
                    topology: { pass_headers: [] }
                  other:
                    realm: access
                    addresses: [127.0.0.4]
                    topology: { pass_headers: { Server: true } }
                  last:
                    realm: access
                    addresses: [127.0.0.5]
                    topology: [P-Asserted-Identity]
                """)
        #expect(
            found.map(\.located) == [
                "unknown-key@14:7",
                "bad-header-name@13:22",
                "bad-header-name@13:27",
                "bad-header-name@13:37",
                "bad-header-name@13:51",
                "missing-key@18:31",
                "wrong-type@22:31",
                "wrong-type@26:15",
            ])
        #expect(found[0].message == "'hide' is not a key of peer 'carrier' topology (expected: pass_headers)")
        #expect(
            found[1].message
                == "peer 'carrier' topology pass_headers: '*' alone would pass every header of the other side; "
                + "name the headers or their prefixes ('X-*')")
        #expect(found[2].message.hasPrefix("peer 'carrier' topology pass_headers: "))
        #expect(found[5].message == "peer 'pbx' topology pass_headers must not be an empty list")
        #expect(found[6].message == "peer 'other' topology pass_headers must be a string")
        #expect(found[7].message == "peer 'last' topology must be a mapping")
    }
}
