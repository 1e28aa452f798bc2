import GatehousePolicy
import Testing

/// `node.log_level` and `node.drain_timeout`: defaults, values, and refusals with their position.
struct NodeSettingsTests {
    @Test func defaultsAndValues() throws {
        let defaults = try PolicyFixtures.load(
            """
            version: 1
            node: { name: n }
            realms: { a: { listen: ["udp://127.0.0.1:5060"] } }
            """)
        #expect(defaults.node.logLevel == .info && defaults.node.drainTimeout == .seconds(30))
        let set = try PolicyFixtures.load(
            """
            version: 1
            node: { name: n, log_level: debug, drain_timeout: 2m }
            realms: { a: { listen: ["udp://127.0.0.1:5060"] } }
            """)
        #expect(set.node.logLevel == .debug && set.node.drainTimeout == .seconds(120))
        let immediate = try PolicyFixtures.load(
            """
            version: 1
            node: { name: n, drain_timeout: 0s }
            realms: { a: { listen: ["udp://127.0.0.1:5060"] } }
            """)
        #expect(immediate.node.drainTimeout == .zero)
    }

    @Test func badValuesAreRefusedWithTheirPosition() {
        let found = PolicyFixtures.diagnostics(
            """
            version: 1
            node: { name: n, log_level: loud, drain_timeout: 2h }
            realms: { a: { listen: ["udp://127.0.0.1:5060"] } }
            """)
        #expect(found.map(\.code) == [.badValue, .badValue], "\(found)")
        #expect(found.first?.message.contains("node.log_level 'loud'") == true)
        #expect(found.first?.line == 2 && found.first?.column == 29)
        #expect(found.last?.message.contains("node.drain_timeout") == true)
    }
}
