import Foundation

/// An IPv4 address and port that a peer a test started (SIPp, dnsmasq, socat) should bind, looked up in the
/// kernel's socket tables (`/proc/net/udp`, `/proc/net/tcp`).
///
/// A test waits for this instead of sleeping a fixed time after starting the peer: on a loaded two-core machine
/// a peer can take longer than any fixed sleep to bind, and its first packets then meet a closed port (a refused
/// TCP connect fails the call outright). Looking at the kernel's tables does not touch the socket, so it neither
/// takes the port nor sends the peer anything it would have to answer.
public struct BoundSocket: Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// A bound UDP socket.
        case udp
        /// A TCP socket listening for connections.
        case tcpListener
    }

    public var kind: Kind
    public var host: String
    public var port: Int

    public static func udp(_ host: String, _ port: Int) -> BoundSocket {
        BoundSocket(kind: .udp, host: host, port: port)
    }

    public static func tcpListener(_ host: String, _ port: Int) -> BoundSocket {
        BoundSocket(kind: .tcpListener, host: host, port: port)
    }

    public var description: String { "\(kind == .udp ? "udp" : "tcp listener") \(host):\(port)" }

    /// Whether the kernel has a socket of this kind bound to this address and port now (a wildcard bind to
    /// 0.0.0.0 and the port counts too).
    public var isBound: Bool {
        guard let table = Self.readProcFile(kind == .udp ? "/proc/net/udp" : "/proc/net/tcp") else { return false }
        let port = String(format: "%04X", self.port)
        let addresses: Set<String> = [Self.procAddress(host) + ":" + port, "00000000:" + port]
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 3, addresses.contains(String(fields[1])) else { continue }
            // TCP state 0A is LISTEN; a UDP socket has no listening state, being bound is enough.
            if kind == .udp || fields[3] == "0A" { return true }
        }
        return false
    }

    /// The whole of a `/proc` file. `String(contentsOfFile:)` and `Data(contentsOf:)` stop after the first read, one
    /// page (about 30 sockets) for a file whose size the kernel reports as 0: under the whole suite's load a peer's
    /// socket further down the table was never seen, and the wait for it timed out with the peer bound.
    static func readProcFile(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd() else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The kernel's hexadecimal form of an IPv4 address in `/proc/net/*`: the address's four bytes as one 32-bit
    /// number in the machine's (little-endian) byte order, so 127.0.0.144 is `9000007F`.
    static func procAddress(_ host: String) -> String {
        let bytes = host.split(separator: ".").compactMap { UInt8($0) }
        guard bytes.count == 4 else { return "" }
        return bytes.reversed().map { String(format: "%02X", $0) }.joined()
    }
}

extension ExternalProcess.Running {
    public struct NotBound: Error, CustomStringConvertible {
        public var description: String
    }

    /// Waits until every socket of `sockets` is bound (the peer is ready for traffic), polling the kernel's tables.
    /// Fails at once when the peer exits (it could not bind, say), and after `timeout` otherwise, with the peer's
    /// output so far; the bound is generous because a test that passes never waits for it.
    public func waitUntilBound(_ sockets: [BoundSocket], within timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            let missing = sockets.filter { !$0.isBound }
            if missing.isEmpty { return }
            guard isRunning else {
                throw NotBound(description: "the peer exited before binding \(missing): \(outputSoFar)")
            }
            guard ContinuousClock.now < deadline else {
                throw NotBound(description: "\(missing) not bound after \(timeout): \(outputSoFar)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// What the peer has written so far (its last 1,500 characters), for a failure message.
    var outputSoFar: String {
        String(String(decoding: (try? Data(contentsOf: outputFile)) ?? Data(), as: UTF8.self).suffix(1500))
    }
}
