import SIPMessage

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
        // By index: a `Peer` is large, and every message of every source comes here; only the winner is copied.
        var best: (index: Int, length: Int)?
        for index in peers.indices where peers[index].realm == realm {
            for entry in peers[index].addresses where entry.prefix.contains(address) {
                if best == nil || entry.prefix.length > best!.length { best = (index, entry.prefix.length) }
            }
        }
        return best.map { peers[$0.index] }
    }
}

extension Peer {
    /// Whether `address` lies in one of the peer's address blocks.
    public func owns(_ address: IPAddress) -> Bool {
        addresses.contains { $0.prefix.contains(address) }
    }

    /// Where a request inside a dialog with this peer goes (RFC 3261 §12.2.1.1, §8.1.2): the dialog's next hop
    /// (its first Route, else its remote target) when that is an IP address of this peer reached over the call's
    /// transport; the call's destination otherwise.
    ///
    /// So a carrier whose answering node is not the one called (a cluster behind one address block) gets its
    /// in-dialog requests where its Contact asks, while a Contact can never send Gatehouse to an address the
    /// policy does not give the peer, around the peer's `next_hop`, or over another transport than the call's.
    public func inDialogDestination(nextHop uri: URI, callDestination: SIPEndpoint) -> SIPEndpoint {
        guard nextHop == nil, case .sip(let sipURI) = uri, let endpoint = SIPEndpoint(nextHop: sipURI),
            endpoint.transport == callDestination.transport, let address = IPAddress(parsing: endpoint.host),
            owns(address)
        else { return callDestination }
        return endpoint
    }
}
