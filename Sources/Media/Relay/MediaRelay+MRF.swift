import NIOCore

/// Ports for the MRF's own media endpoints: an MRF call answers with an address and port of the realm's pool, just as
/// an anchored leg does, so both share one pool and never hand out the same port twice. The MRF binds the port
/// itself (`MRFMediaStream`, `MRFConferenceBridge`); a port it cannot bind is given back and another is asked for.
extension MediaRelay {
    /// The next free RTP port of `realm`'s pool (its RTCP port, +1, is kept free with it); nil when the pool is
    /// exhausted.
    public func reservePort(_ realm: MediaRealmConfiguration) -> UInt16? {
        pools.withLockedValue { pools in
            let key = PoolKey(address: realm.address, ports: realm.ports)
            if pools[key] == nil { pools[key] = PortPool(ports: realm.ports) }
            return pools[key]?.allocate()
        }
    }

    /// An event loop of the relay's group for an MRF call's or room's media (they spread like relayed calls).
    public func nextLoop() -> any EventLoop { group.next() }

    /// Gives a port from `reservePort(_:)` back to `realm`'s pool.
    public func releasePort(_ port: UInt16, of realm: MediaRealmConfiguration) {
        release(port, of: realm)
    }
}
