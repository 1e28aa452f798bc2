#if canImport(Glibc)
    import Glibc
#endif

/// A blocking IPv4 socket for talking to a node under test: send bytes, read the answer with a timeout.
/// Kept deliberately primitive (no NIO) so that it tests the node's sockets, not a second copy of its stack.
final class SocketProbe {
    let descriptor: Int32
    let isStream: Bool

    /// A UDP socket bound to `address` (port 0), or a TCP socket connected to `address:port`.
    init(udpFrom address: String) throws {
        descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        isStream = false
        var local = Self.address(address, 0)
        try withUnsafePointer(to: &local) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                if bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) != 0 { throw ProbeError.bind(errno) }
            }
        }
        setTimeout(milliseconds: 3000)
    }

    init(tcpTo address: String, port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        isStream = true
        var remote = Self.address(address, port)
        try withUnsafePointer(to: &remote) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                if connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) != 0 {
                    throw ProbeError.connect(errno)
                }
            }
        }
        setTimeout(milliseconds: 3000)
    }

    deinit { close(descriptor) }

    /// The local port (the source port the node sees).
    var localPort: Int {
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: local.sin_port))
    }

    func send(_ text: String, to address: String = "", port: Int = 0) {
        let bytes = Array(text.utf8)
        if isStream {
            _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
        } else {
            var remote = Self.address(address, port)
            _ = withUnsafePointer(to: &remote) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                    bytes.withUnsafeBytes {
                        sendto(
                            descriptor, $0.baseAddress, $0.count, 0, target, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
        }
    }

    /// The next datagram or the next chunk of the stream; nil on timeout; empty when the peer closed the stream.
    ///
    /// Blocks its thread on purpose: a test that answers the node within the node's transaction timers (T1 is
    /// 50 ms in the NAT tests) must not wait for a cooperative thread between a request's arrival and its answer.
    /// An answer that needs work of the node's own on the cooperative pool (a DNS lookup) is awaited with
    /// `receiveYielding` instead.
    func receive(timeoutMilliseconds: Int = 3000) -> String? {
        setTimeout(milliseconds: timeoutMilliseconds)
        return read(flags: 0)
    }

    /// Like `receive`, but waits without holding a thread: the socket is polled and the task sleeps in between.
    ///
    /// On a two-core machine Swift's cooperative pool has two threads; a test blocked in `recv` on one of them
    /// while another test holds the other leaves the node's DNS lookup (a task on that pool) without a thread
    /// until the wait gives up. The socket is asked once more after the deadline, so a task that was itself kept
    /// from running past it still finds what arrived meanwhile.
    func receiveYielding(timeoutMilliseconds: Int = 3000) async -> String? {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        while ContinuousClock.now < deadline {
            if let text = read(flags: Int32(MSG_DONTWAIT)) { return text }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return read(flags: Int32(MSG_DONTWAIT))
    }

    /// Every datagram (or chunk) that has already arrived, without waiting for more.
    func drain() -> [String] {
        var arrived: [String] = []
        while let text = read(flags: Int32(MSG_DONTWAIT)), !text.isEmpty { arrived.append(text) }
        return arrived
    }

    /// Every datagram that has already arrived, as bytes (binary protocols: HEP).
    func drainBytes() -> [[UInt8]] {
        var arrived: [[UInt8]] = []
        while let bytes = readBytes(flags: Int32(MSG_DONTWAIT)), !bytes.isEmpty { arrived.append(bytes) }
        return arrived
    }

    private func read(flags: Int32) -> String? {
        readBytes(flags: flags).map { String(decoding: $0, as: UTF8.self) }
    }

    private func readBytes(flags: Int32) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, flags) }
        if count < 0 { return nil }
        return Array(buffer[0..<count])
    }

    private func setTimeout(milliseconds: Int) {
        var timeout = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    private static func address(_ text: String, _ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, text, &address.sin_addr)
        return address
    }

    enum ProbeError: Error {
        case bind(Int32)
        case connect(Int32)
    }
}
