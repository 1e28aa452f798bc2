import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// The relay's state compares NIO's addresses; host comparison reads the raw address bytes, so that checking a
/// packet's source (latching `signalled`) does not build strings per packet.
extension SocketAddress: MediaAddress {
    public func hasSameHost(as other: SocketAddress) -> Bool {
        switch (self, other) {
        case (.v4(let mine), .v4(let theirs)):
            return mine.address.sin_addr.s_addr == theirs.address.sin_addr.s_addr
        case (.v6(let mine), .v6(let theirs)):
            var left = mine.address.sin6_addr
            var right = theirs.address.sin6_addr
            return withUnsafeBytes(of: &left) { l in withUnsafeBytes(of: &right) { r in l.elementsEqual(r) } }
        default:
            return false
        }
    }

    public var isAnswerable: Bool { (port ?? 0) != 0 }
}
