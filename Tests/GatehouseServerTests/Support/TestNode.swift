import GatehousePolicy
import GatehouseServer
import Logging
import NIOCore
import SIPMessage
import Transport

/// A node started in-process on loopback with ephemeral ports, for integration tests.
///
/// Each test uses its own loopback address (127.0.0.0/8 needs no configuration), so tests never collide with
/// each other or with a `make run` on the lab addresses.
struct TestNode {
    let node: GatehouseNode
    let running: GatehouseNode.Running
    let policy: Policy

    static func start(address: String) async throws -> TestNode {
        let policy = Policy(
            node: NodeSettings(name: "test"),
            realms: [
                Realm(
                    name: "access",
                    listeners: [
                        SIPEndpoint(transport: .udp, host: address, port: 0),
                        SIPEndpoint(transport: .tcp, host: address, port: 0),
                    ])
            ])
        var logger = Logger(label: "gatehouse.test")
        logger.logLevel = .warning
        let node = GatehouseNode(policy: policy, logger: logger, threads: 1)
        let running = try await node.start()
        return TestNode(node: node, running: running, policy: policy)
    }

    func port(_ transport: SIPTransport) -> Int {
        running.boundAddress(realm: "access", transport: transport, in: policy)?.port ?? 0
    }

    func stop() async {
        await node.stop(running)
    }
}
