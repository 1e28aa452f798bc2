import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import TestSupport
import Testing

/// A temporary directory holding policy files (and certificates) for one test; removed by `remove()`.
struct PolicyWorkspace {
    let directory: String

    init() throws {
        directory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("gatehouse-node-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// A policy file: node `reload-test`, one realm `access` listening on `listeners`, and `extra` YAML under the
    /// realm (a `tls:` block).
    @discardableResult
    func writePolicy(_ name: String = "policy.yaml", listeners: [String], realmExtra: String = "") throws -> String {
        let list = listeners.map { "\"\($0)\"" }.joined(separator: ", ")
        return try write(
            name,
            """
            version: 1
            node: { name: reload-test }
            realms:
              access:
                listen: [\(list)]
            \(realmExtra)
            """)
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A self-signed certificate and key for `addresses` (IP SANs) in `tls/NAME.crt` and `tls/NAME.key` under the
    /// workspace, made with the openssl CLI; returns the certificate's path.
    @discardableResult
    func makeCertificate(for addresses: String..., name: String = "node") async throws -> String {
        let openssl = try #require(ExternalProcess.find("openssl"), "openssl is missing: make test-deps installs it")
        try FileManager.default.createDirectory(atPath: directory + "/tls", withIntermediateDirectories: true)
        let names = addresses.map { "IP:\($0)" }.joined(separator: ",")
        let outcome = try await ExternalProcess.run(
            openssl,
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=\(name).gatehouse.test",
                "-addext", "subjectAltName=\(names)", "-keyout", directory + "/tls/\(name).key", "-out",
                directory + "/tls/\(name).crt",
            ])
        guard outcome.status == 0 else { throw WorkspaceError.openssl(outcome.output) }
        return directory + "/tls/\(name).crt"
    }

    /// A node on the policy file at `path` (relative TLS paths resolved against the workspace), not started.
    func node(policyFile path: String) throws -> GatehouseNode {
        let policy = try PolicyLoader.load(yaml: try PolicyFile.read(path: path), file: path)
        var logger = Logger(label: "gatehouse.test")
        logger.logLevel = .critical
        return GatehouseNode(
            policy: policy, logger: logger, threads: 1,
            policyDirectory: GatehouseNode.directory(ofPolicyFile: path))
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    enum WorkspaceError: Error {
        case openssl(String)
    }
}
