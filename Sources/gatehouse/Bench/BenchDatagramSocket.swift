import Glibc

/// A blocking IPv4 UDP socket of the relay benchmark's own, outside NIO: the load generator and the sink each run
/// one on a thread of their own and move datagrams in batches (`CDatagramBatch`), so that what the benchmark costs
/// per packet is a small share of what the relay under test costs.
final class BenchDatagramSocket: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let descriptor: Int32
    /// The port the kernel gave it.
    let port: Int

    /// Binds `host` on a free port. Buffer sizes are forced past the system's maximum (the benchmark runs as
    /// root); a receive timeout lets the reading thread look up now and then to see whether it should stop.
    init(host: String, sendBuffer: Int? = nil, receiveBuffer: Int? = nil, receiveTimeout: Duration? = nil) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        self.descriptor = descriptor
        do {
            if let sendBuffer { try Self.set(descriptor, SO_SNDBUFFORCE, fallback: SO_SNDBUF, Int32(sendBuffer)) }
            if let receiveBuffer {
                try Self.set(descriptor, SO_RCVBUFFORCE, fallback: SO_RCVBUF, Int32(receiveBuffer))
            }
            if let receiveTimeout {
                let microseconds = receiveTimeout.components.attoseconds / 1_000_000_000_000
                var value = timeval(tv_sec: Int(receiveTimeout.components.seconds), tv_usec: Int(microseconds))
                guard
                    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
                        == 0
                else { throw Failure(description: "SO_RCVTIMEO: \(String(cString: strerror(errno)))") }
            }
            var address = try Self.address(host, port: 0)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else { throw Failure(description: "bind \(host): \(String(cString: strerror(errno)))") }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            port = Int(UInt16(bigEndian: address.sin_port))
        } catch {
            Glibc.close(descriptor)
            throw error
        }
    }

    func close() {
        Glibc.close(descriptor)
    }

    /// `host:port` as the kernel takes it.
    static func address(_ host: String, port: Int) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw Failure(description: "not an IPv4 address: \(host)")
        }
        return address
    }

    private static func set(_ descriptor: Int32, _ forced: Int32, fallback: Int32, _ bytes: Int32) throws {
        var value = bytes
        let size = socklen_t(MemoryLayout<Int32>.size)
        if setsockopt(descriptor, SOL_SOCKET, forced, &value, size) == 0 { return }
        guard setsockopt(descriptor, SOL_SOCKET, fallback, &value, size) == 0 else {
            throw Failure(description: "socket buffer: \(String(cString: strerror(errno)))")
        }
    }
}
