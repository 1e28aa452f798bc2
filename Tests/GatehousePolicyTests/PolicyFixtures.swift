import Foundation
import GatehousePolicy

/// Helpers shared by the policy tests: load text, collect diagnostics, and a small valid head to build on.
enum PolicyFixtures {
    static let policiesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("policies")

    /// Seven lines: two realms, `access` (udp and tcp on 127.0.0.10) and `interconnect` (udp on 127.0.0.20).
    /// Whatever is appended starts on line 8.
    static let head = """
        version: 1
        node: { name: t }
        realms:
          access:
            listen: ["udp://127.0.0.10:5060", "tcp://127.0.0.10:5060"]
          interconnect:
            listen: ["udp://127.0.0.20:5060"]

        """

    static func load(_ yaml: String) throws(PolicyValidationError) -> Policy {
        try PolicyLoader.load(yaml: yaml, file: "test.yaml")
    }

    static func diagnostics(_ yaml: String) -> [PolicyDiagnostic] {
        do {
            _ = try load(yaml)
            return []
        } catch {
            return error.diagnostics
        }
    }

    /// A subscriber file (`gatehouse hss import`), named `subscribers.yaml` in diagnostics.
    static func subscribers(_ yaml: String) throws(PolicyValidationError) -> [ProvisionedSubscriber] {
        try PolicyLoader.loadSubscribers(yaml: yaml, file: "subscribers.yaml")
    }

    static func subscriberDiagnostics(_ yaml: String) -> [PolicyDiagnostic] {
        do {
            _ = try subscribers(yaml)
            return []
        } catch {
            return error.diagnostics
        }
    }

    static func shipped(_ name: String) throws -> Policy {
        let path = policiesDirectory.appendingPathComponent(name).path
        return try PolicyLoader.load(yaml: String(contentsOfFile: path, encoding: .utf8), file: path)
    }
}

extension PolicyDiagnostic {
    /// `code@line:column`, for compact assertions.
    var located: String { "\(code)@\(line):\(column)" }
}
