import GatehousePolicy
import SIPMessage
import Testing

/// `policies/gatehouse.yaml`, the policy `make install` puts in /etc/gatehouse: it loads, and it fits the service
/// unit (state in the unit's StateDirectory, the admin listener on loopback only) and refuses calls until an
/// operator adds routes.
struct DefaultPolicyTests {
    @Test func theInstalledDefaultFitsTheService() throws {
        let policy = try PolicyFixtures.shipped("gatehouse.yaml")
        #expect(policy.node.name == "gatehouse")
        #expect(policy.node.state == "sqlite:/var/lib/gatehouse/state.db")
        #expect(policy.admin == AdminSettings(host: "127.0.0.1", port: 9060))
        #expect(
            policy.realms.flatMap(\.listeners) == [
                SIPEndpoint(transport: .udp, host: "0.0.0.0", port: 5060),
                SIPEndpoint(transport: .tcp, host: "0.0.0.0", port: 5060),
            ])
        #expect(policy.peers.isEmpty)
        #expect(policy.routes.routes.map(\.target) == [.reject(SIPStatus(403, "Not configured"))])
    }
}
