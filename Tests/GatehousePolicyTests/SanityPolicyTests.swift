import GatehousePolicy
import SIPMessage
import Testing

/// The `sanity:` section: defaults, every key, and each mistake located to its line and column.
struct SanityPolicyTests {
    @Test func withoutTheSectionMalformedRequestsAreRejectedAndScannersDropped() throws {
        let sanity = try PolicyFixtures.load(PolicyFixtures.head).sanity
        #expect(sanity == SanitySettings())
        #expect(sanity.action == .reject)
        #expect(sanity.disabled.isEmpty)
        #expect(sanity.scanners.action == .drop)
        #expect(sanity.scanners.builtin)
        #expect(sanity.scanners.userAgents.isEmpty)
        #expect(try PolicyFixtures.load(PolicyFixtures.head + "sanity: {}\n").sanity == SanitySettings())
        #expect(try PolicyFixtures.load(PolicyFixtures.head + "sanity: { scanners: {} }\n").sanity == SanitySettings())
    }

    @Test func everyKey() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                sanity:
                  action: drop
                  disable: [missing-from-tag, loop-detected, missing-max-forwards]
                  scanners:
                    action: reject
                    status: 404
                    builtin: false
                    user_agents: ["my-internal-scanner", "Evil Dialer"]
                """)
        #expect(
            policy.sanity
                == SanitySettings(
                    action: .drop, disabled: [.missingFromTag, .loopDetected, .missingMaxForwards],
                    scanners: .init(
                        action: .reject(SIPStatus(404, "Not Found")), builtin: false,
                        userAgents: ["my-internal-scanner", "Evil Dialer"])))
        #expect(policy.sanity.isDisabled(.loopDetected))
        #expect(!policy.sanity.isDisabled(.badContact))
    }

    @Test func scannersRejectWith403UnlessTold() throws {
        let sanity = try PolicyFixtures.load(PolicyFixtures.head + "sanity: { scanners: { action: reject } }\n").sanity
        #expect(sanity.scanners.action == .reject(.forbidden))
        let teapot = try PolicyFixtures.load(
            PolicyFixtures.head + "sanity: { scanners: { action: reject, status: 603 } }\n")
        #expect(teapot.sanity.scanners.action == .reject(SIPStatus(603, "Decline")))
        let dropped = try PolicyFixtures.load(PolicyFixtures.head + "sanity: { scanners: { action: drop } }\n")
        #expect(dropped.sanity.scanners.action == .drop)
    }

    @Test func everyOptionalCheckCanBeDisabled() throws {
        let names = SanitySettings.Check.optional.map(\.rawValue).joined(separator: ", ")
        let sanity = try PolicyFixtures.load(PolicyFixtures.head + "sanity: { disable: [\(names)] }\n").sanity
        #expect(sanity.disabled == Set(SanitySettings.Check.optional))
    }

    @Test func mistakesAreLocated() {
        let found = PolicyFixtures.diagnostics(
            PolicyFixtures.head + """
                sanity:
                  action: refuse
                  disable: [missing-header, bogus]
                  scanners:
                    action: reject
                    status: 302
                    builtin: yes
                    user_agents: ["", ok, "\\t"]
                    colour: red
                """)
        #expect(
            found.map(\.located) == [
                "bad-value@9:11", "bad-value@10:13", "bad-value@10:29", "unknown-key@16:5", "bad-status@13:13",
                "wrong-type@14:14", "bad-value@15:19", "bad-value@15:27",
            ])
        #expect(found.first?.message == "sanity.action 'refuse' must be reject or drop")
        #expect(
            found[1].message
                == "sanity.disable: 'missing-header' is not a check that can be turned off (expected: "
                + "missing-max-forwards, missing-from-tag, missing-to-tag, bad-contact, missing-content-type, "
                + "loop-detected)")
        #expect(found[3].message.hasPrefix("'colour' is not a key of sanity.scanners (expected: action, status"))
        #expect(found[4].message == "sanity.scanners.status 302 must be 400 to 699")
        #expect(found[6].message == "sanity.scanners.user_agents: '' must be 1 to 128 characters of text")
    }

    @Test func wrongShapes() {
        #expect(
            PolicyFixtures.diagnostics(PolicyFixtures.head + "sanity: [drop]\n").map(\.located) == ["wrong-type@8:9"])
        #expect(
            PolicyFixtures.diagnostics(PolicyFixtures.head + "sanity: { disable: loop-detected }\n").map(\.located)
                == ["wrong-type@8:20"])
        #expect(
            PolicyFixtures.diagnostics(PolicyFixtures.head + "sanity: { scanners: drop }\n").map(\.located)
                == ["wrong-type@8:21"])
        #expect(
            PolicyFixtures.diagnostics(PolicyFixtures.head + "sanity: { scanners: { user_agents: sipcli } }\n")
                .map(\.located) == ["wrong-type@8:36"])
        #expect(
            PolicyFixtures.diagnostics(PolicyFixtures.head + "sanity: { actoin: drop }\n").map(\.located)
                == ["unknown-key@8:11"])
        #expect(
            PolicyFixtures.diagnostics(PolicyFixtures.head + "sanity: { scanners: { status: four } }\n").map(\.located)
                == ["wrong-type@8:31"])
    }

    /// A status only means something when scanners are rejected; with `drop` (or no action) it is a mistake. An
    /// action written wrong is reported once, not again through the status.
    @Test func aStatusNeedsReject() {
        let withDrop = PolicyFixtures.diagnostics(PolicyFixtures.head + "sanity: { scanners: { status: 403 } }\n")
        #expect(withDrop.map(\.located) == ["bad-value@8:31"])
        #expect(withDrop.first?.message == "sanity.scanners.status applies only with action: reject")
        let misspelt = PolicyFixtures.diagnostics(
            PolicyFixtures.head + "sanity: { scanners: { action: rejct, status: 403 } }\n")
        #expect(misspelt.map(\.located) == ["bad-value@8:31"])
    }

    // MARK: A realm's and a peer's own sanity

    @Test func realmsAndPeersOverrideTheActionAndTheTurnedOffChecks() throws {
        let policy = try PolicyFixtures.load(
            """
            version: 1
            node: { name: t }
            realms:
              access:
                listen: ["udp://127.0.0.10:5060"]
                sanity: { action: drop }
              interconnect:
                listen: ["udp://127.0.0.20:5060"]
            peers:
              old-pbx: { realm: access, addresses: ["192.0.2.10"], sanity: { disable: [missing-from-tag, missing-max-forwards] } }
              carrier: { realm: interconnect, addresses: ["198.51.100.1"], sanity: { action: reject, disable: [] } }
              plain: { realm: interconnect, addresses: ["198.51.100.2"] }
            sanity: { disable: [loop-detected] }
            """)
        #expect(policy.realm(named: "access")?.sanity == SanityOverride(action: .drop))
        #expect(policy.realm(named: "interconnect")?.sanity == nil)
        #expect(
            policy.peer(named: "old-pbx")?.sanity == SanityOverride(disabled: [.missingFromTag, .missingMaxForwards]))
        #expect(policy.peer(named: "carrier")?.sanity == SanityOverride(action: .reject, disabled: []))
        #expect(policy.peer(named: "plain")?.sanity == nil)
        // Each key on its own: a peer's list replaces the node's, its action is the realm's unless it says.
        let oldPBX = policy.sanity.overridden(by: policy.realm(named: "access")?.sanity)
            .overridden(by: policy.peer(named: "old-pbx")?.sanity)
        #expect(oldPBX.action == .drop)
        #expect(oldPBX.disabled == [.missingFromTag, .missingMaxForwards])
        let carrier = policy.sanity.overridden(by: policy.peer(named: "carrier")?.sanity)
        #expect(carrier.disabled == [])
    }

    @Test func aRealmOrPeerSanityMistakeIsLocated() {
        let found = PolicyFixtures.diagnostics(
            """
            version: 1
            node: { name: t }
            realms:
              access:
                listen: ["udp://127.0.0.10:5060"]
                sanity: { action: ignore, scanners: { action: reject } }
            peers:
              pbx: { realm: access, addresses: ["192.0.2.10"], sanity: { disable: [too-many-hops] } }
            """)
        #expect(found.map(\.located) == ["unknown-key@6:31", "bad-value@6:23", "bad-value@8:72"])
        #expect(found.contains { $0.message == "realm 'access' sanity.action 'ignore' must be reject or drop" })
        #expect(
            found.contains {
                $0.message.hasPrefix("peer 'pbx' sanity.disable: 'too-many-hops' is not a check that can be turned off")
            })
    }
}
