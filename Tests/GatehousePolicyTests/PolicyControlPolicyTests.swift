import GatehousePolicy
import Testing

/// `pcf:` and `cdr:`: what is read, the defaults, and what is refused where.
struct PolicyControlPolicyTests {
    static let head = """
        version: 1
        node: { name: n }
        realms: { access: { listen: ["udp://127.0.0.1:5060"] } }
        peers: { pbx: { realm: access, addresses: [127.0.0.2] } }

        """

    @Test func rulesDefaultsAndClasses() throws {
        let policy = try PolicyFixtures.load(
            Self.head + """
                pcf:
                  classes: { gold: ["+1555019", "sip:alice@ims.gatehouse.test"] }
                  variable_bitrate: 40kbit
                  default: { arp: 8, max_bandwidth: 2Mbit }
                  rules:
                    - { id: pbx-voice, match: { peer: pbx, media: audio }, five_qi: 1, arp: 2, dscp: ef, max_bandwidth: 200kbit }
                    - { match: { realm: access, class: gold }, dscp: 34 }
                """)
        let pcf = policy.policyControl
        #expect(pcf.variableBitrate == 40_000)
        #expect(pcf.defaults == QoSParameters(arpPriority: 8, maxBandwidth: 2_000_000))
        #expect(pcf.classes == [SubscriberClass(name: "gold", members: ["+1555019", "sip:alice@ims.gatehouse.test"])])
        #expect(
            pcf.rules == [
                PolicyControlRule(
                    id: "pbx-voice", match: .init(peer: "pbx", media: "audio"),
                    qos: QoSParameters(fiveQI: 1, arpPriority: 2, dscp: 46, maxBandwidth: 200_000)),
                PolicyControlRule(
                    id: "rule-2", match: .init(realm: "access", subscriberClass: "gold"), qos: QoSParameters(dscp: 34)),
            ])
        let absent = try PolicyFixtures.load(Self.head)
        #expect(absent.policyControl == PolicyControlSettings() && absent.cdr == CDRSettings())
    }

    @Test func problemsAreReportedWhereTheyAre() {
        let found = PolicyFixtures.diagnostics(
            Self.head + """
                pcf:
                  rules:
                    - { match: { realm: nowhere }, dscp: 64 }
                    - { match: { peer: stranger, class: platinum }, max_bandwidth: lots }
                    - { match: { media: audio } }
                    - { id: x, dscp: af41, five_qi: 0 }
                    - { id: x, dscp: cs5 }
                """)
        #expect(
            found.map(\.code) == [
                .unknownRealm, .badValue, .unknownPeer, .badValue, .badValue, .badRule, .badValue, .duplicateKey,
            ], "\(found)")
        #expect(found.map(\.line) == [7, 7, 8, 8, 8, 9, 10, 11])
    }

    @Test func cdrSettings() throws {
        let policy = try PolicyFixtures.load(
            Self.head + "cdr: { directory: records, file_size: 1MB, interval: 1h, files: 24 }\n")
        #expect(
            policy.cdr
                == CDRSettings(directory: "records", fileSize: 1_048_576, interval: .seconds(3600), files: 24))
        #expect(try PolicyFixtures.load(Self.head + "cdr: { enabled: false }\n").cdr.isEnabled == false)
        let found = PolicyFixtures.diagnostics(Self.head + "cdr: { file_size: 1KB, files: 0, rotate: daily }\n")
        #expect(found.map(\.code) == [.unknownKey, .badValue, .badValue], "\(found)")
    }
}
