import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// A UDP socket bound synchronously, before any channel exists: the engine learns at once whether a port from the
/// pool is really free (something outside Gatehouse may hold it) and can try the next one, so the SDP it writes
/// never names a port that failed to bind. NIO then adopts the descriptor (`DatagramBootstrap.withBoundSocket`).
struct BoundMediaSocket {
    let descriptor: CInt

    /// Binds `address`; nil when the port is taken or the address is not local.
    init?(_ address: SocketAddress, receiveBuffer: Int) {
        let family = address.protocol.rawValue
        let descriptor = socket(
            family, CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var size = CInt(receiveBuffer)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<CInt>.size))
        let bound = address.withSockAddr { pointer, length in bind(descriptor, pointer, socklen_t(length)) }
        guard bound == 0 else {
            _ = Glibc.close(descriptor)
            return nil
        }
        self.descriptor = descriptor
    }

    /// Closes a socket no channel adopted.
    func close() {
        _ = Glibc.close(descriptor)
    }
}

/// The two sockets of one stream on one leg: RTP on the even port, RTCP on the next.
struct BoundMediaPair {
    let port: UInt16
    let rtp: BoundMediaSocket
    let rtcp: BoundMediaSocket

    init?(host: String, port: UInt16, receiveBuffer: Int) {
        guard let rtpAddress = try? SocketAddress(ipAddress: host, port: Int(port)),
            let rtcpAddress = try? SocketAddress(ipAddress: host, port: Int(port) + 1),
            let rtp = BoundMediaSocket(rtpAddress, receiveBuffer: receiveBuffer)
        else { return nil }
        guard let rtcp = BoundMediaSocket(rtcpAddress, receiveBuffer: receiveBuffer) else {
            rtp.close()
            return nil
        }
        self.port = port
        self.rtp = rtp
        self.rtcp = rtcp
    }

    func close() {
        rtp.close()
        rtcp.close()
    }
}
