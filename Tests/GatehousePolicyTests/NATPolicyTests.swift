import GatehousePolicy
import Testing

/// A realm's `nat:` section: defaults, every key, `keepalive: off`, and each mistake located to its line and
/// column.
struct NATPolicyTests {
    /// A policy whose `access` realm has a `nat:` section of these lines: the first is on line 7, its key at
    /// column 7. The `interconnect` realm after it has none.
    static func policy(nat lines: [String]) -> String {
        let head = [
            "version: 1", "node: { name: t }", "realms:", "  access:", "    listen: [\"udp://127.0.0.10:5060\"]",
            "    nat:",
        ]
        let tail = ["  interconnect:", "    listen: [\"udp://127.0.0.20:5060\"]"]
        return (head + lines.map { "      " + $0 } + tail).joined(separator: "\n") + "\n"
    }

    static func nat(_ lines: [String], realm: String = "access") throws -> NATSettings? {
        try PolicyFixtures.load(policy(nat: lines)).realm(named: realm)?.nat
    }

    @Test func withoutTheSectionUAsAreReachedAtTheirSourceAndNeverPinged() throws {
        let nat = try PolicyFixtures.load(PolicyFixtures.head).realm(named: "access")?.nat
        #expect(nat == NATSettings())
        #expect(nat?.fixContact == true)
        #expect(nat?.forceRport == false)
        #expect(nat?.keepaliveInterval == nil)
        #expect(nat?.keepaliveMethod == .options)
        #expect(nat?.keepaliveTarget == .natted)
        #expect(nat?.keepaliveFailures == 3)
        #expect(try PolicyFixtures.load(PolicyFixtures.head).realm(named: "interconnect")?.nat == NATSettings())
        #expect(try Self.nat(["fix_contact: true", "force_rport: false"]) == NATSettings())
    }

    @Test func anEmptySectionIsTheDefaults() throws {
        let policy = try PolicyFixtures.load(
            """
            version: 1
            node: { name: t }
            realms:
              access:
                listen: ["udp://127.0.0.10:5060"]
                nat: {}
            """)
        #expect(policy.realm(named: "access")?.nat == NATSettings())
    }

    @Test func everyKey() throws {
        let nat = try Self.nat([
            "fix_contact: false",
            "force_rport: true",
            "keepalive: 25s",
            "keepalive_method: crlf",
            "keepalive_for: all",
            "keepalive_failures: 5",
        ])
        #expect(
            nat
                == NATSettings(
                    fixContact: false, forceRport: true, keepaliveInterval: .seconds(25), keepaliveMethod: .crlf,
                    keepaliveTarget: .all, keepaliveFailures: 5))
        // Only the realm that says so.
        #expect(try Self.nat(["force_rport: true"], realm: "interconnect") == NATSettings())
    }

    @Test func keepalivesWithTheirDefaults() throws {
        let nat = try Self.nat(["keepalive: 30s"])
        #expect(nat == NATSettings(keepaliveInterval: .seconds(30)))
        #expect(nat?.keepaliveMethod == .options && nat?.keepaliveTarget == .natted && nat?.keepaliveFailures == 3)
    }

    /// The interval's bounds, 1s and 1h, in any unit; failures from 1 to 100.
    @Test func boundsAreAccepted() throws {
        #expect(try Self.nat(["keepalive: 1s"])?.keepaliveInterval == .seconds(1))
        #expect(try Self.nat(["keepalive: 1_000ms"])?.keepaliveInterval == .seconds(1))
        #expect(try Self.nat(["keepalive: 1h"])?.keepaliveInterval == .seconds(3600))
        #expect(try Self.nat(["keepalive: 60m"])?.keepaliveInterval == .seconds(3600))
        #expect(try Self.nat(["keepalive: 1m", "keepalive_failures: 1"])?.keepaliveFailures == 1)
        #expect(try Self.nat(["keepalive: 1m", "keepalive_failures: 100"])?.keepaliveFailures == 100)
    }

    @Test func keepaliveOffSendsNone() throws {
        let nat = try Self.nat(["keepalive: off", "force_rport: true"])
        #expect(nat == NATSettings(forceRport: true))
        #expect(nat?.keepaliveInterval == nil)
        #expect(try Self.nat(["keepalive: \"off\""])?.keepaliveInterval == nil)
    }

    /// One mistake in a `nat:` section, where it is reported and what it says.
    struct Mistake: Sendable, CustomTestStringConvertible {
        var lines: [String]
        var located: String
        var message: String

        var testDescription: String { lines.joined(separator: "; ") }
    }

    static let mistakes = [
        Mistake(
            lines: ["keepalive_interval: 30s"], located: "unknown-key@7:7",
            message: "'keepalive_interval' is not a key of realm 'access' nat (expected: fix_contact, force_rport, "
                + "keepalive, keepalive_method, keepalive_for, keepalive_failures)"),
        Mistake(
            lines: ["fix_contact: yes"], located: "wrong-type@7:20",
            message: "realm 'access' nat.fix_contact must be true or false, not 'yes'"),
        Mistake(
            lines: ["force_rport: 1"], located: "wrong-type@7:20",
            message: "realm 'access' nat.force_rport must be true or false, not '1'"),
        Mistake(
            lines: ["keepalive: 30"], located: "bad-duration@7:18",
            message: "realm 'access' nat.keepalive '30' is not a duration: write a whole number and ms, s, m or h"),
        Mistake(
            lines: ["keepalive: 1.5s"], located: "bad-duration@7:18",
            message: "realm 'access' nat.keepalive '1.5s' is not a duration: write a whole number and ms, s, m or h"),
        Mistake(
            lines: ["keepalive: [30s]"], located: "wrong-type@7:18",
            message: "realm 'access' nat.keepalive must be a duration such as 500ms, 4s, 3m or 1h"),
        Mistake(
            lines: ["keepalive: 999ms"], located: "bad-value@7:18",
            message: "realm 'access' nat.keepalive must be between 1s and 1h, not 999ms"),
        Mistake(
            lines: ["keepalive: 0s"], located: "bad-value@7:18",
            message: "realm 'access' nat.keepalive must be between 1s and 1h, not 0s"),
        Mistake(
            lines: ["keepalive: 61m"], located: "bad-value@7:18",
            message: "realm 'access' nat.keepalive must be between 1s and 1h, not 61m"),
        Mistake(
            lines: ["keepalive: 30s", "keepalive_method: ping"], located: "bad-value@8:25",
            message: "realm 'access' nat.keepalive_method 'ping' must be options or crlf"),
        Mistake(
            lines: ["keepalive: 30s", "keepalive_method: [crlf]"], located: "wrong-type@8:25",
            message: "realm 'access' nat.keepalive_method must be a string"),
        Mistake(
            lines: ["keepalive: 30s", "keepalive_for: everyone"], located: "bad-value@8:22",
            message: "realm 'access' nat.keepalive_for 'everyone' must be natted or all"),
        Mistake(
            lines: ["keepalive: 30s", "keepalive_failures: 0"], located: "bad-value@8:27",
            message: "realm 'access' nat.keepalive_failures must be between 1 and 100, not 0"),
        Mistake(
            lines: ["keepalive: 30s", "keepalive_failures: 101"], located: "bad-value@8:27",
            message: "realm 'access' nat.keepalive_failures must be between 1 and 100, not 101"),
        Mistake(
            lines: ["keepalive: 30s", "keepalive_failures: three"], located: "wrong-type@8:27",
            message: "realm 'access' nat.keepalive_failures must be a whole number"),
        // What only a keepalive makes meaningful, without one.
        Mistake(
            lines: ["keepalive_method: crlf"], located: "bad-value@7:25",
            message: "realm 'access' nat.keepalive_method needs a keepalive interval (keepalive: 30s)"),
        Mistake(
            lines: ["keepalive: off", "keepalive_for: all"], located: "bad-value@8:22",
            message: "realm 'access' nat.keepalive_for needs a keepalive interval (keepalive: 30s)"),
        Mistake(
            lines: ["fix_contact: true", "keepalive_failures: 5"], located: "bad-value@8:27",
            message: "realm 'access' nat.keepalive_failures needs a keepalive interval (keepalive: 30s)"),
        // A keepalive written wrong is reported once, not again through the keys that need it.
        Mistake(
            lines: ["keepalive: 2h", "keepalive_method: crlf", "keepalive_failures: 5"], located: "bad-value@7:18",
            message: "realm 'access' nat.keepalive must be between 1s and 1h, not 2h"),
        Mistake(
            lines: ["keepalive: soon", "keepalive_for: all"], located: "bad-duration@7:18",
            message: "realm 'access' nat.keepalive 'soon' is not a duration: write a whole number and ms, s, m or h"),
    ]

    @Test(arguments: mistakes)
    func eachMistakeIsLocated(_ mistake: Mistake) {
        let found = PolicyFixtures.diagnostics(Self.policy(nat: mistake.lines))
        #expect(found.map(\.located) == [mistake.located])
        #expect(found.first?.message == mistake.message)
        let (code, position) = (mistake.located.prefix { $0 != "@" }, mistake.located.drop { $0 != "@" }.dropFirst())
        #expect(found.first?.description == "test.yaml:\(position): \(code): \(mistake.message)")
    }

    @Test func allMistakesAtOnce() {
        let found = PolicyFixtures.diagnostics(
            Self.policy(nat: [
                "fix_contact: no",
                "keepalive: 10",
                "keepalive_method: ping",
                "keepalive_failures: 0",
                "keepalive_every: 30s",
            ]))
        #expect(
            found.map(\.located) == [
                "unknown-key@11:7", "wrong-type@7:20", "bad-duration@8:18", "bad-value@9:25", "bad-value@10:27",
            ])
        #expect(found.first?.description.hasPrefix("test.yaml:11:7: unknown-key: 'keepalive_every'") == true)
    }

    @Test func theSectionMustBeAMapping() {
        let found = PolicyFixtures.diagnostics(
            """
            version: 1
            node: { name: t }
            realms:
              access:
                listen: ["udp://127.0.0.10:5060"]
                nat: true
            """)
        #expect(found.map(\.located) == ["wrong-type@6:10"])
        #expect(found.first?.message == "realm 'access' nat must be a mapping")
    }
}
