import Logging
import NIOConcurrencyHelpers
import NIOCore
import SIPMessage

/// A stream connection's identity for reuse (RFC 3261 §18): the transport, our realm address, and the peer's
/// address and port.
///
/// An inbound connection is keyed by its source address and port, so that a response or an in-dialog request
/// addressed to `received`/`rport` (RFC 3581) goes back over the connection the peer opened.
struct ConnectionKey: Hashable, Sendable, CustomStringConvertible {
    var transport: SIPTransport
    /// The realm side: the host of the listener endpoint (inbound) or of the realm endpoint sent from (outbound),
    /// so that one realm never sends over another realm's connection.
    var local: String
    /// An IP literal in canonical form, or a host name for outbound targets given by name.
    var host: String
    var port: Int

    init(transport: SIPTransport, local: String, host: String, port: Int) {
        self.transport = transport
        // Canonical literals ("::1", not "0:0::1"), so that an address written either way finds the connection.
        self.local = Self.canonical(local)
        self.host = Self.canonical(host)
        self.port = port
    }

    init?(transport: SIPTransport, local: String, remote: SocketAddress) {
        guard let ip = remote.ipAddress, let port = remote.port else { return nil }
        self.init(transport: transport, local: local, host: ip, port: port)
    }

    var description: String {
        "\(SIPEndpoint(transport: transport, host: host, port: port)) from \(local)"
    }

    private static func canonical(_ host: String) -> String {
        (try? SocketAddress(ipAddress: host, port: 0))?.ipAddress ?? host
    }
}

/// Every open TCP/TLS connection of a node: admission against `ConnectionLimits`, the reuse map, and the list
/// `SIPListeners.close()` closes.
///
/// Shared by all event loops, hence the lock; it is touched when a connection opens or closes and once per
/// outbound stream send, never per inbound message.
final class ConnectionTable: Sendable {
    enum Entry {
        case open(any Channel)
        case pending(id: UInt64, EventLoopFuture<any Channel>)
    }

    enum Lookup {
        case existing(any Channel)
        case pending(EventLoopFuture<any Channel>)
        /// Nothing open or pending: the caller connects and reports back with `id`.
        case reserved(id: UInt64, EventLoopPromise<any Channel>)
        case closed
    }

    enum Admission: Equatable {
        case admitted
        /// Refused; `log` is true at most once a minute per address.
        case refused(reason: String, log: Bool)
    }

    private struct State {
        var byKey: [ConnectionKey: Entry] = [:]
        var all: [ObjectIdentifier: any Channel] = [:]
        var inboundPerAddress: [String: Int] = [:]
        /// The listener that accepted each inbound connection.
        var acceptedOn: [ObjectIdentifier: SIPEndpoint] = [:]
        var lastRefusalLog: [String: NIODeadline] = [:]
        var nextID: UInt64 = 0
        var closed = false
    }

    let limits: ConnectionLimits
    let counters: TransportCounters
    private let state = NIOLockedValueBox(State())

    init(limits: ConnectionLimits, counters: TransportCounters) {
        self.limits = limits
        self.counters = counters
    }

    /// Admits an accepted connection or refuses it (total or per-address limit reached, or the node is closing).
    /// An admitted connection is registered for reuse and leaves the table when it closes.
    func admitInbound(_ channel: any Channel, listener: SIPEndpoint, now: NIODeadline = .now()) -> Admission {
        guard let remote = channel.remoteAddress,
            let key = ConnectionKey(transport: listener.transport, local: listener.host, remote: remote)
        else { return .refused(reason: "no remote address", log: false) }
        let admission: Admission = state.withLockedValue { state in
            let perAddress = state.inboundPerAddress[key.host, default: 0]
            let reason: String
            if state.closed {
                return .refused(reason: "listeners closing", log: false)
            } else if state.all.count >= limits.maxConnections {
                reason = "total connection limit \(limits.maxConnections) reached"
            } else if perAddress >= limits.maxConnectionsPerAddress {
                reason = "per-address connection limit \(limits.maxConnectionsPerAddress) reached"
            } else {
                state.inboundPerAddress[key.host] = perAddress + 1
                state.all[ObjectIdentifier(channel)] = channel
                state.acceptedOn[ObjectIdentifier(channel)] = listener
                state.byKey[key] = .open(channel)
                return .admitted
            }
            let log = state.lastRefusalLog[key.host].map { now - $0 >= .minutes(1) } ?? true
            if log {
                if state.lastRefusalLog.count >= 4_096 {
                    state.lastRefusalLog = state.lastRefusalLog.filter { now - $0.value < .minutes(1) }
                }
                state.lastRefusalLog[key.host] = now
            }
            return .refused(reason: reason, log: log)
        }
        switch admission {
        case .admitted:
            counters.update {
                $0.openConnections += 1
                $0.acceptedConnections += 1
            }
            channel.closeFuture.whenComplete { _ in self.remove(channel, key: key, inbound: true) }
        case .refused:
            counters.update { $0.refusedConnections += 1 }
        }
        return admission
    }

    /// An open connection for `key`, a connection attempt already under way, or a reservation to connect.
    func lookupOrReserve(_ key: ConnectionKey, on eventLoop: any EventLoop) -> Lookup {
        state.withLockedValue { state in
            if state.closed { return .closed }
            switch state.byKey[key] {
            case .open(let channel) where channel.isActive:
                return .existing(channel)
            case .pending(_, let future):
                return .pending(future)
            case .open, nil:
                state.nextID += 1
                let promise = eventLoop.makePromise(of: (any Channel).self)
                state.byKey[key] = .pending(id: state.nextID, promise.futureResult)
                return .reserved(id: state.nextID, promise)
            }
        }
    }

    /// Turns a reservation into an open connection; false (and the channel should be closed) if the table was
    /// closed meanwhile.
    func completeOutbound(_ key: ConnectionKey, id: UInt64, channel: any Channel) -> Bool {
        let kept: Bool = state.withLockedValue { state in
            if case .pending(id, _) = state.byKey[key] { state.byKey[key] = nil }
            if state.closed { return false }
            state.byKey[key] = .open(channel)
            state.all[ObjectIdentifier(channel)] = channel
            return true
        }
        guard kept else { return false }
        counters.update {
            $0.openConnections += 1
            $0.outboundConnections += 1
        }
        channel.closeFuture.whenComplete { _ in self.remove(channel, key: key, inbound: false) }
        return true
    }

    /// Drops a reservation whose connection attempt failed.
    func failOutbound(_ key: ConnectionKey, id: UInt64) {
        state.withLockedValue { state in
            if case .pending(id, _) = state.byKey[key] { state.byKey[key] = nil }
        }
        counters.update { $0.failedConnections += 1 }
    }

    private func remove(_ channel: any Channel, key: ConnectionKey, inbound: Bool) {
        let removed: Bool = state.withLockedValue { state in
            guard state.all.removeValue(forKey: ObjectIdentifier(channel)) != nil else { return false }
            state.acceptedOn[ObjectIdentifier(channel)] = nil
            if case .open(let current) = state.byKey[key], current === channel { state.byKey[key] = nil }
            if inbound {
                let left = state.inboundPerAddress[key.host, default: 1] - 1
                state.inboundPerAddress[key.host] = left > 0 ? left : nil
            }
            return true
        }
        if removed { counters.update { $0.openConnections -= 1 } }
    }

    /// The open connections accepted on `listeners` (which are being closed); they leave the table as they close.
    func closeInbound(on listeners: Set<SIPEndpoint>) -> [any Channel] {
        state.withLockedValue { state in
            state.acceptedOn.compactMap { id, listener in listeners.contains(listener) ? state.all[id] : nil }
        }
    }

    /// Marks the table closed (no admission, no new outbound connection) and returns every open connection.
    func closeAll() -> [any Channel] {
        state.withLockedValue { state in
            state.closed = true
            return Array(state.all.values)
        }
    }
}
