import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Setting the DSCP on a stream's sockets: `IP_TOS` on IPv4, `IPV6_TCLASS` on IPv6, the code point in the upper
/// six bits of the byte (RFC 2474 §3; the lower two are ECN's, RFC 3168).
extension RelayStream {
    /// Marks `leg`'s sockets now and any attached later (runs on `loop`).
    func mark(dscp: UInt8, leg: MediaLeg) {
        self.dscp[leg] = dscp
        for socket in [MediaSocket.rtp, .rtcp] {
            if let channel = channel(leg, socket) { Self.apply(dscp, to: channel) }
        }
    }

    static func apply(_ dscp: UInt8, to channel: Channel) {
        let value = SocketOptionValue(dscp) << 2
        let option =
            channel.localAddress?.protocol == .inet6
            ? ChannelOptions.Types.SocketOption(level: .ipv6, name: NIOBSDSocket.Option(rawValue: IPV6_TCLASS))
            : ChannelOptions.Types.SocketOption(level: .ip, name: NIOBSDSocket.Option(rawValue: IP_TOS))
        // A socket that refuses the option relays unmarked, as it did before policy control.
        channel.setOption(option, value: value).whenFailure { _ in }
    }
}
