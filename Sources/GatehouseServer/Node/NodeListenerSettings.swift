import GatehousePolicy
import NIOCore
import SIPMessage
import Transport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the transport needs from a policy to bind its listeners: TLS settings per `tls://` endpoint, with the
/// policy's relative paths resolved, and the connection limits.
struct NodeListenerSettings: Equatable {
    var tls: [SIPEndpoint: TLSSettings]
    var connectionLimits: ConnectionLimits

    /// `directory` is where relative certificate, key and CA paths are resolved (the policy file's directory).
    init(_ policy: Policy, directory: String) {
        var tls: [SIPEndpoint: TLSSettings] = [:]
        for realm in policy.realms {
            guard let settings = realm.tls else { continue }
            let resolved = TLSSettings(
                certificateChainFile: Self.resolve(settings.certificate, in: directory),
                privateKeyFile: Self.resolve(settings.key, in: directory),
                trustedCAFile: settings.clientCAs.map { Self.resolve($0, in: directory) },
                requireClientCertificate: settings.requireClientCertificate)
            for listener in realm.listeners where listener.transport == .tls { tls[listener] = resolved }
        }
        self.tls = tls
        connectionLimits = ConnectionLimits(
            maxConnections: policy.limits.maxConnections,
            maxConnectionsPerAddress: policy.limits.maxConnectionsPerAddress,
            idleTimeout: TimeAmount(policy.limits.tcpIdleTimeout))
    }

    /// An absolute path as written; a relative one under `directory`.
    static func resolve(_ path: String, in directory: String) -> String {
        if path.hasPrefix("/") || directory.isEmpty { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }

    /// The TLS files of `endpoints` that cannot be read, each with a line naming it (a reload checks these before
    /// anything changes; the transport checks them again, and their contents, when it binds).
    func unreadableFiles(for endpoints: [SIPEndpoint]) -> [String] {
        var problems: [String] = []
        var checked: Set<String> = []
        for endpoint in endpoints {
            guard let settings = tls[endpoint] else { continue }
            let files =
                [
                    ("certificate", settings.certificateChainFile), ("key", settings.privateKeyFile),
                ] + (settings.trustedCAFile.map { [("client CA", $0)] } ?? [])
            for (role, file) in files where checked.insert(file).inserted && access(file, R_OK) != 0 {
                problems.append("\(endpoint): \(role) file \(file) does not exist or is not readable")
            }
        }
        return problems
    }
}
