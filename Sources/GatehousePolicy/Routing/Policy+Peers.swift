extension Policy {
    /// The peer of this name, if any.
    public func peer(named name: String) -> Peer? { peers.first { $0.name == name } }

    /// The peers that talk to a realm, in file order.
    public func peers(inRealm realm: String) -> [Peer] { peers.filter { $0.realm == realm } }

    /// The peer a request arriving on `realm` from `address` belongs to: of every peer address block of the realm
    /// that holds the address, the longest prefix wins (`127.0.0.2/32` before `127.0.0.0/8`). Nil for an address
    /// no peer claims, or text that is not an IP address. `address` may be bracketed; an IPv4-mapped IPv6
    /// address is matched as IPv4.
    public func peer(for address: String, realm: String) -> Peer? {
        guard let address = IPAddress(parsing: address) else { return nil }
        return peer(for: address, realm: realm)
    }

    /// The peer a request arriving on `realm` from `address` belongs to; see `peer(for:realm:)`.
    public func peer(for address: IPAddress, realm: String) -> Peer? {
        var best: (peer: Peer, length: Int)?
        for peer in peers where peer.realm == realm {
            for entry in peer.addresses where entry.prefix.contains(address) {
                if best == nil || entry.prefix.length > best!.length { best = (peer, entry.prefix.length) }
            }
        }
        return best?.peer
    }
}
