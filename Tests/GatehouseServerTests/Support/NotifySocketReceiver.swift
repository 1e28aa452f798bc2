import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The systemd side of the sd_notify protocol, for tests: a Unix datagram socket bound to a fresh path (or an
/// abstract name) that collects what a node sends, read without holding a thread.
final class NotifySocketReceiver {
    struct SocketError: Error, CustomStringConvertible {
        var call: String
        var errno: Int32
        var description: String { "\(call): \(String(cString: strerror(errno)))" }
    }

    let descriptor: Int32
    /// What a node is given as NOTIFY_SOCKET: the path, or `@name`.
    let notifySocket: String
    private let path: String?

    /// A socket file in the temporary directory (short: `sun_path` holds 108 bytes), or with `abstract`, a name in
    /// the abstract namespace.
    init(abstract: Bool = false) throws {
        let name = "gh-notify-\(UUID().uuidString.prefix(8))"
        path = abstract ? nil : "/tmp/\(name).sock"
        notifySocket = abstract ? "@\(name)" : "/tmp/\(name).sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError(call: "socket", errno: errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes: [UInt8] = abstract ? [0] + Array(name.utf8) : Array(notifySocket.utf8) + [0]
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout.offset(of: \sockaddr_un.sun_path)! + bytes.count)
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard result == 0 else {
            let error = errno
            close(descriptor)
            throw SocketError(call: "bind \(notifySocket)", errno: error)
        }
    }

    deinit {
        close(descriptor)
        if let path { unlink(path) }
    }

    /// The next datagram, waiting up to `timeout` with the task sleeping between polls (never blocking a thread of
    /// the cooperative pool); nil if none came.
    func next(within timeout: Duration = .seconds(10)) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count >= 0 { return String(decoding: buffer[..<count], as: UTF8.self) }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Datagrams until one satisfies `condition` (returned last), or nil when `timeout` passes first; the ones
    /// before it are in `skipped`.
    func next(
        within timeout: Duration = .seconds(10), skipping skipped: inout [String], until condition: (String) -> Bool
    ) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while let datagram = await next(within: deadline - ContinuousClock.now) {
            if condition(datagram) { return datagram }
            skipped.append(datagram)
        }
        return nil
    }
}

extension String {
    /// The assignments of an sd_notify datagram, by key.
    var notifyAssignments: [String: String] {
        var assignments: [String: String] = [:]
        for line in split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            assignments[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return assignments
    }
}
