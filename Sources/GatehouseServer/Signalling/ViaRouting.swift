import GatehousePolicy
import NIOCore
import SIPMessage
import Transport

/// Where a request came from, written into its top Via, and where its responses go: RFC 3261 §18.2.1–§18.2.2 with
/// RFC 3581 (rport). Used by the stateless entry and by the call engine alike.
enum ViaRouting {
    /// RFC 3261 §18.2.1: add `received` when the sent-by host is not the packet's source address; RFC 3581 §4:
    /// fill in `rport` (and always add `received`) when the client asked for it, or when `forceRport` (the
    /// realm's `nat.force_rport`) asks for it in the client's place over UDP.
    static func stampTopVia(_ message: inout SIPMessage, source: SocketAddress, forceRport: Bool = false) {
        guard let host = source.sourceHost else { return }
        stampTopVia(&message, sourceHost: host, sourcePort: source.port, forceRport: forceRport)
    }

    /// `stampTopVia(_:source:forceRport:)` with the source's address as a host (the replay's packets give it).
    static func stampTopVia(
        _ message: inout SIPMessage, sourceHost: Host, sourcePort: Int?, forceRport: Bool = false
    ) {
        guard var top = try? message.headers.first(.via, as: Via.self) else { return }
        var changed = false
        let wantsRport = top.rport == .requested || (forceRport && top.rport == nil)
        if wantsRport, let port = sourcePort {
            top.rport = .port(UInt16(port))
            top.received = sourceHost
            changed = true
        } else if top.host != sourceHost {
            top.received = sourceHost
            changed = true
        }
        if changed { try? message.headers.replaceFirstValue(.via, with: top.serialized) }
    }

    /// Where a response to a UDP request goes (RFC 3261 §18.2.2 with RFC 3581 §4): to `received` and the
    /// `rport` value when the client asked for rport; to `received` (or sent-by) and the sent-by port otherwise.
    /// Streams answer on the connection the request came in on.
    static func responseDestination(for response: SIPMessage, context: SIPConnectionContext) -> SocketAddress? {
        guard !context.transport.isStream, let top = try? response.headers.first(.via, as: Via.self) else {
            return nil
        }
        if case .port(let port) = top.rport {
            return try? context.remote.withPort(Int(port))
        }
        let host = top.received ?? top.host
        guard let ip = host.ipLiteral else { return try? context.remote.withPort(Int(top.portOrDefault)) }
        return try? SocketAddress(ipAddress: ip, port: Int(top.portOrDefault))
    }

}

extension SocketAddress {
    /// The same address with another port.
    fileprivate func withPort(_ port: Int) throws -> SocketAddress {
        guard let ip = ipAddress else { return self }
        return try SocketAddress(ipAddress: ip, port: port)
    }
}

extension Host {
    /// The address as an IP literal (no brackets), or nil for a name.
    fileprivate var ipLiteral: String? {
        switch self {
        case .name: nil
        case .ipv4(let address): address.description
        case .ipv6(let address): address.description
        }
    }
}
