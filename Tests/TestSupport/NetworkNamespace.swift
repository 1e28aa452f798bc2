import CSpawn
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A network namespace a test makes for itself (`ip netns add`), so that what it installs (nftables tables,
/// addresses, routes) and sends stays inside it; `delete()` removes it, with everything in it.
///
/// A test creates it with a name of its own, defers `delete()`, and runs programs inside with `run` or
/// `ExternalProcess.start(ip, ["netns", "exec", name, …])`. `perform` runs a closure on a thread of its own that
/// has entered the namespace, so a socket the closure opens (a netlink socket, say) belongs to the namespace for
/// good — without moving any of Swift's pool threads into it.
public struct NetworkNamespace: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let name: String
    let ip: String

    /// Creates `name` (deleting one a crashed run left behind), with its loopback up.
    public static func create(_ name: String) async throws -> NetworkNamespace {
        guard let ip = ExternalProcess.find("ip") else {
            throw Failure(description: "`ip` not found: install iproute2")
        }
        let namespace = NetworkNamespace(name: name, ip: ip)
        _ = try? await ExternalProcess.run(ip, ["netns", "del", name], timeout: .seconds(10))
        try await namespace.ip(["netns", "add", name], inside: false)
        try await namespace.ip(["link", "set", "lo", "up"])
        return namespace
    }

    /// Removes the namespace (its processes must have been stopped first; interfaces in it go with it).
    public func delete() async {
        _ = try? await ExternalProcess.run(ip, ["netns", "del", name], timeout: .seconds(10))
    }

    /// Runs `ip ARGUMENTS` inside the namespace (or, `inside: false`, outside it); throws when it fails.
    public func ip(_ arguments: [String], inside: Bool = true) async throws {
        let outcome = try await ExternalProcess.run(
            ip, (inside ? ["-n", name] : []) + arguments, timeout: .seconds(10))
        guard outcome.status == 0 else {
            throw Failure(description: "ip \(arguments.joined(separator: " ")): \(outcome.output)")
        }
    }

    /// Runs `executable ARGUMENTS` inside the namespace to completion.
    public func run(
        _ executable: String, _ arguments: [String], timeout: Duration = .seconds(20)
    ) async throws -> ExternalProcess.Outcome {
        try await ExternalProcess.run(ip, ["netns", "exec", name, executable] + arguments, timeout: timeout)
    }

    /// Starts `executable ARGUMENTS` inside the namespace in the background.
    public func start(_ executable: String, _ arguments: [String]) throws -> ExternalProcess.Running {
        try ExternalProcess.start(ip, ["netns", "exec", name, executable] + arguments)
    }

    /// Joins this namespace and `other` by a veth pair: `address` (CIDR) here, `otherAddress` there, both up.
    public func connect(
        to other: NetworkNamespace, address: String, otherAddress: String, interface: String = "gh-veth0",
        otherInterface: String = "gh-veth1"
    ) async throws {
        try await ip(["link", "add", interface, "type", "veth", "peer", "name", otherInterface, "netns", other.name])
        try await ip(["addr", "add", address, "dev", interface])
        try await ip(["link", "set", interface, "up"])
        try await other.ip(["addr", "add", otherAddress, "dev", otherInterface])
        try await other.ip(["link", "set", otherInterface, "up"])
    }

    /// Runs `body` on a new thread that has entered the namespace; the thread ends with it.
    public func perform<Value: Sendable>(
        _ body: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        let path = "/var/run/netns/\(name)"
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                guard gatehouse_enter_network_namespace(path) == 0 else {
                    continuation.resume(throwing: Failure(description: "cannot enter \(path): errno \(errno)"))
                    return
                }
                continuation.resume(with: Result<Value, any Error> { try body() })
            }
            thread.start()
        }
    }
}
