import GatehousePolicy
import Testing

/// The `enum:` section: the reference's example, every key, the defaults, and each mistake located to its line
/// and column.
struct ENUMPolicyTests {
    static let carrier = """
        peers:
          lab-carrier:
            realm: interconnect
            addresses: [127.0.0.3]

        """

    @Test func withoutTheSectionEveryKeyHasItsDocumentedDefault() throws {
        let settings = try PolicyFixtures.load(PolicyFixtures.head).enumSettings
        #expect(settings == ENUMSettings())
        #expect(settings.servers.isEmpty)
        #expect(settings.suffix == "e164.arpa")
        #expect(settings.timeout == .seconds(1))
        #expect(settings.attempts == 1)
        #expect(settings.useDNS)
        #expect(settings.onFailure == .useStatic)
        #expect(settings.notFound == 404)
        #expect(settings.staticEntries.isEmpty)
        #expect(try PolicyFixtures.load(PolicyFixtures.head + "enum: {}\n").enumSettings == ENUMSettings())
    }

    /// Every key has a default, so a `to: enum` route needs no `enum` section: DNS alone decides.
    @Test func anENUMRouteNeedsNoSection() throws {
        let policy = try PolicyFixtures.load(PolicyFixtures.head + "routes:\n  - { match: {}, to: enum }\n")
        #expect(policy.routes.routes.map(\.target) == [.enumLookup])
        #expect(policy.enumSettings == ENUMSettings())
    }

    /// The example of policies/README.md, as written there.
    @Test func theReferenceExample() throws {
        let settings = try PolicyFixtures.load(
            PolicyFixtures.head + Self.carrier + """
                enum:
                  servers: ["127.0.0.1:5353"]         # default: dns.servers
                  suffix: e164.arpa
                  timeout: 500ms
                  attempts: 1
                  use_dns: true
                  on_failure: static                  # static | reject (503)
                  not_found: 404
                  static:
                    "+1555123xxxx": peer:lab-carrier
                    "+1900": reject:403
                """
        ).enumSettings
        #expect(
            settings
                == ENUMSettings(
                    servers: [DNSSettings.Server(host: "127.0.0.1", port: 5353)], suffix: "e164.arpa",
                    timeout: .milliseconds(500), attempts: 1, useDNS: true, onFailure: .useStatic, notFound: 404,
                    staticEntries: [
                        ENUMSettings.StaticEntry(pattern: "+1555123xxxx", target: .peer("lab-carrier")),
                        ENUMSettings.StaticEntry(pattern: "+1900", target: .reject(403)),
                    ]))
    }

    @Test func everyKey() throws {
        let settings = try PolicyFixtures.load(
            PolicyFixtures.head + Self.carrier + """
                enum:
                  servers: ["192.0.2.53", "[2001:db8::53]:5300", "2001:db8::54"]
                  suffix: e164.example.
                  timeout: 30s
                  attempts: 10
                  use_dns: false
                  on_failure: reject
                  not_found: 604
                  static:
                    "+": reject:404
                    "+44XXXXXXXXXX": peer:lab-carrier
                    "+44": reject:699
                    "+123456789012345": reject:400
                """
        ).enumSettings
        #expect(
            settings.servers == [
                DNSSettings.Server(host: "192.0.2.53", port: 53), DNSSettings.Server(host: "2001:db8::53", port: 5300),
                DNSSettings.Server(host: "2001:db8::54", port: 53),
            ])
        // A trailing dot is the root; the suffix is kept without it.
        #expect(settings.suffix == "e164.example")
        #expect(settings.timeout == .seconds(30))
        #expect(settings.attempts == 10)
        #expect(!settings.useDNS)
        #expect(settings.onFailure == .reject)
        #expect(settings.notFound == 604)
        #expect(
            settings.staticEntries == [
                ENUMSettings.StaticEntry(pattern: "+", target: .reject(404)),
                ENUMSettings.StaticEntry(pattern: "+44XXXXXXXXXX", target: .peer("lab-carrier")),
                ENUMSettings.StaticEntry(pattern: "+44", target: .reject(699)),
                ENUMSettings.StaticEntry(pattern: "+123456789012345", target: .reject(400)),
            ])
    }

    /// ENUM's queries use its own servers, timeout and attempts, and the general cache limit; `dns.servers` when
    /// it names none.
    @Test func dnsSettingsComeFromBothSections() throws {
        let general = DNSSettings(
            servers: [DNSSettings.Server(host: "192.0.2.1")], timeout: .seconds(2), attempts: 2,
            maximumTTL: .seconds(60))
        let own = ENUMSettings(servers: [DNSSettings.Server(host: "192.0.2.2", port: 5353)])
        #expect(
            own.dnsSettings(general: general)
                == DNSSettings(
                    servers: [DNSSettings.Server(host: "192.0.2.2", port: 5353)], timeout: .seconds(1), attempts: 1,
                    maximumTTL: .seconds(60)))
        #expect(ENUMSettings().dnsSettings(general: general).servers == general.servers)
    }

    @Test func mistakesAreLocated() {
        let found = PolicyFixtures.diagnostics(
            PolicyFixtures.head + """
                peers:
                  lab-carrier: { realm: interconnect, addresses: [127.0.0.3] }
                  blocks: { realm: interconnect, addresses: [198.51.100.0/24] }
                enum:
                  servers: ["127.0.0.1:99999", enum.example.net, "127.0.0.1:"]
                  suffix: "not a domain"
                  timeout: 1.5s
                  attempts: 11
                  use_dns: yes
                  on_failure: retry
                  not_found: 200
                  static:
                    "1555": peer:lab-carrier
                    "+1555x1": peer:lab-carrier
                    "+1234567890123456": reject:404
                    "+1555xx": peer:lab-carrier
                    "+1555XX": reject:404
                    "+1556": peer:ghost
                    "+1557": "reject:403 Forbidden"
                    "+1558": reject:0404
                    "+1559": peer:blocks
                    "+1560": sip:carrier.example
                  cache: 1h
                """)
        #expect(
            found.map(\.located) == [
                "unknown-key@30:3",
                "bad-address@12:13",
                "bad-address@12:32",
                "bad-address@12:50",
                "bad-value@13:11",
                "bad-duration@14:12",
                "bad-value@15:13",
                "wrong-type@16:12",
                "bad-value@17:15",
                "bad-value@18:14",
                "bad-number-prefix@20:5",
                "bad-number-prefix@21:5",
                "bad-number-prefix@22:5",
                "duplicate-key@24:5",
                "unknown-peer@25:14",
                "bad-target@26:14",
                "bad-target@27:14",
                "no-destination@28:14",
                "bad-target@29:14",
            ])
        #expect(found[0].message.hasPrefix("'cache' is not a key of enum (expected: servers, suffix, timeout"))
        #expect(found[1].message.hasPrefix("enum.servers '127.0.0.1:99999': port '99999'"))
        #expect(found[2].message.hasPrefix("enum.servers 'enum.example.net': 'enum.example.net' is not an IP address"))
        #expect(found[4].message == "enum.suffix 'not a domain' must be a domain name (e164.arpa)")
        #expect(found[8].message == "enum.on_failure 'retry' is not one of static, reject")
        #expect(found[9].message == "enum.not_found must be between 400 and 699, not 200")
        #expect(
            found[10].message == "enum.static '1555' must be '+', digits, then optional 'x's (at most 15 in all)")
        #expect(found[13].message == "enum.static '+1555XX' is given twice")
        #expect(found[14].message == "enum.static '+1556': peer 'ghost' is not defined")
        #expect(found[15].message == "enum.static '+1557' 'reject:403 Forbidden' is not peer:NAME or reject:STATUS")
        #expect(found[17].message.hasPrefix("enum.static '+1559': peer 'blocks' has no single address, next_hop"))
    }

    @Test func wrongShapes() {
        func located(_ section: String) -> [String] {
            PolicyFixtures.diagnostics(PolicyFixtures.head + "enum: \(section)\n").map(\.located)
        }
        #expect(located("[static]") == ["wrong-type@8:7"])
        #expect(located("{ servers: 127.0.0.1 }") == ["wrong-type@8:18"])
        #expect(located("{ static: \"+1\" }") == ["wrong-type@8:17"])
        #expect(located("{ suffix: 192.0.2.1 }") == ["bad-value@8:17"])
        #expect(located("{ timeout: 10ms }") == ["bad-value@8:18"])
        #expect(located("{ static: { \"+1\": [reject:404] } }") == ["wrong-type@8:25"])
    }
}
