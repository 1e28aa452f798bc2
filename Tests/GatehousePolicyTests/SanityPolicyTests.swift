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
}
