import Foundation
import GatehousePolicy
import SIPMessage
import Testing

/// The policy loader: the shipped files load, and every kind of mistake is reported with its line and column,
/// all at once.
struct PolicyLoaderTests {
    @Test func labPolicyMatchesTheLabTopology() throws {
        let path = PolicyFixtures.policiesDirectory.appendingPathComponent("lab.yaml").path
        let policy = try PolicyLoader.load(yaml: String(contentsOfFile: path, encoding: .utf8), file: path)
        #expect(policy.node.name == "lab-1")
        #expect(policy.admin == AdminSettings(host: "127.0.0.1", port: 9060))
        let access = try #require(policy.realm(named: "access"))
        #expect(access.listeners.contains(SIPEndpoint(transport: .udp, host: "127.0.0.10", port: 5060)))
        #expect(access.listeners.contains(SIPEndpoint(transport: .tcp, host: "127.0.0.10", port: 5060)))
        #expect(access.media == MediaSettings(address: "127.0.0.10", ports: 20000...29999))
        let interconnect = try #require(policy.realm(named: "interconnect"))
        #expect(interconnect.listeners.contains(SIPEndpoint(transport: .udp, host: "127.0.0.20", port: 5060)))
        #expect(interconnect.media == MediaSettings(address: "127.0.0.20", ports: 30000...39999))
        #expect(policy.sipLimits == SIPLimits())
    }

    @Test func everyShippedPolicyIsValid() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: PolicyFixtures.policiesDirectory.path)
            .filter { $0.hasSuffix(".yaml") }
        #expect(!files.isEmpty)
        for file in files {
            let path = PolicyFixtures.policiesDirectory.appendingPathComponent(file).path
            #expect(throws: Never.self, "\(file)") {
                try PolicyLoader.load(yaml: String(contentsOfFile: path, encoding: .utf8), file: path)
            }
        }
    }

    @Test func ipv6ListenersAndLimits() throws {
        let policy = try PolicyFixtures.load(
            """
            version: 1
            node: { name: edge-6 }
            sip_limits: { max_message_size: 32_768, max_via_count: 10 }
            realms:
              access:
                listen: ["udp://[::1]:5060", "tcp://[2001:db8::1]:5080"]
            """)
        #expect(
            policy.realms[0].listeners == [
                SIPEndpoint(transport: .udp, host: "::1", port: 5060),
                SIPEndpoint(transport: .tcp, host: "2001:db8::1", port: 5080),
            ])
        #expect(policy.sipLimits.maxMessageSize == 32_768)
        #expect(policy.sipLimits.maxViaCount == 10)
        #expect(policy.node.state == NodeSettings.defaultState)
    }

    @Test func everyProblemIsReportedWithItsPosition() {
        let found = PolicyFixtures.diagnostics(
            """
            version: 1
            node: { name: edge-1 }
            realms:
              access:
                lisen: ["udp://127.0.0.1:5060"]
              core:
                listen: ["udp://127.0.0.1:99999", "sctp://127.0.0.1:5060", "udp://localhost:5060"]
                media: { address: 127.0.0.1, ports: 30000-20000 }
            """)
        #expect(
            found.map(\.code) == [.unknownKey, .missingKey, .badListener, .badListener, .badListener, .badPortRange])
        let unknown = found[0]
        #expect(unknown.line == 5 && unknown.column == 5)
        #expect(unknown.description.hasPrefix("test.yaml:5:5: unknown-key: 'lisen' is not a key of realm 'access'"))
        #expect(found[2].line == 7 && found[2].column == 14)
        #expect(found[2].message.contains("port '99999' is not a number from 1 to 65535"))
        #expect(found[3].message.contains("transport 'sctp'"))
        #expect(found[4].message.contains("'localhost' is not an IP address"))
        #expect(found[5].line == 8)
    }

    @Test func crossRealmConflicts() {
        let found = PolicyFixtures.diagnostics(
            """
            version: 1
            node: { name: edge-1 }
            realms:
              a:
                listen: ["udp://127.0.0.1:5060"]
                media: { address: 127.0.0.1, ports: 20000-29999 }
              b:
                listen: ["udp://127.0.0.1:5060", "tcp://127.0.0.1:5060"]
                media: { address: 127.0.0.1, ports: 29000-39999 }
            """)
        #expect(found.map(\.code) == [.duplicateListener, .overlappingPortRange])
        #expect(found[0].line == 8)
    }

    @Test func versionTypesAndSyntax() {
        #expect(
            PolicyFixtures.diagnostics(
                "version: 2\nnode: { name: x }\nrealms: { a: { listen: [\"udp://127.0.0.1:1\"] } }"
            ).map(
                \.code) == [.unsupportedVersion])
        #expect(
            PolicyFixtures.diagnostics(
                "version: one\nnode: { name: x }\nrealms: { a: { listen: [\"udp://127.0.0.1:1\"] } }"
            ).map(
                \.code) == [.wrongType])
        #expect(PolicyFixtures.diagnostics("version: 1\nrealms: {}\n").map(\.code) == [.missingKey, .missingKey])
        #expect(
            PolicyFixtures.diagnostics(
                "version: 1\nnode: { name: x }\nrealms: { a: { listen: [\"udp://127.0.0.1:1\"] } }\nfoo: 1\n"
            ).map(\.code) == [.unknownKey])
        #expect(PolicyFixtures.diagnostics("").map(\.code) == [.missingKey])
        let syntax = PolicyFixtures.diagnostics("version: 1\nnode: { name: x\nrealms: [")
        #expect(syntax.map(\.code) == [.yamlSyntax])
        #expect(syntax.first?.line ?? 0 >= 2)
        let limits = PolicyFixtures.diagnostics(
            "version: 1\nnode: { name: x }\nsip_limits: { max_via_count: 0, max_hops: 3 }\nrealms: { a: { listen: [\"udp://127.0.0.1:1\"] } }"
        )
        #expect(limits.map(\.code) == [.unknownKey, .badValue])
    }
}
