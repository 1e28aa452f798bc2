import Logging
import NIOCore
import SIPMessage
import Transport

/// Where every message received on a listener enters the node: parse, note where it came from, answer.
///
/// The path, top-down: count it → classify (`InboundMessage`: a request that cannot be parsed is answered with
/// its error's status if its header section is intact, and dropped with a reason otherwise) → stamp the top Via with `received`/`rport` (RFC 3261
/// §18.2.1, RFC 3581 §4) → requests go to the `StatelessResponder`, responses are dropped (this node has no
/// client transactions yet) → the answer goes back where RFC 3261 §18.2.2 and RFC 3581 say.
struct SignallingEntry: SIPInboundHandler {
    let realms: [SIPEndpoint: String]
    let limits: SIPLimits
    let responder: StatelessResponder
    let counters: NodeCounters
    let logger: Logger

    func received(_ bytes: [UInt8], context: SIPConnectionContext) {
        let realm = realms[context.listener] ?? "?"
        counters.countReceived(realm: realm)
        var message: SIPMessage
        switch InboundMessage(bytes: bytes, limits: limits) {
        case .request(let request):
            message = request
        case .response(let response):
            counters.countDropped("stray-response")
            logger.info(
                "dropped response: no client transaction",
                metadata: metadata(context, realm) + ["status": "\(response.statusCode ?? 0)"])
            return
        case .brokenRequest(var request, let error):
            counters.countRejected(error.code)
            stampTopVia(&request, source: context.remote)
            let response = responder.response(to: request, status: error.status, reason: error.detail)
            counters.countResponse(error.status.code)
            logger.notice(
                "answered \(error.status.code) to an unparseable request",
                metadata: metadata(context, realm) + ["error": "\(error)"])
            context.send(response.serialize(), to: responseDestination(for: response, context: context))
            return
        case .unanswerable(let error):
            counters.countRejected(error.code)
            counters.countDropped("unparseable")
            logger.warning(
                "dropped unparseable message",
                metadata: metadata(context, realm) + ["error": "\(error)", "bytes": "\(bytes.count)"])
            return
        }
        stampTopVia(&message, source: context.remote)
        logger.info(
            "received \(message.method?.rawValue ?? "?")",
            metadata: metadata(context, realm) + [
                "call-id": "\(message.headers.firstString(.callID) ?? "-")",
                "uri": "\(message.requestLine.map { String(decoding: $0.uri, as: UTF8.self) } ?? "-")",
            ])
        guard let response = responder.respond(to: message, limits: limits) else { return }
        if let code = response.statusCode {
            counters.countResponse(code)
            if code >= 300 {
                logger.notice(
                    "answered \(code) \(response.statusLine?.reason ?? "")",
                    metadata: metadata(context, realm))
            }
        }
        context.send(response.serialize(), to: responseDestination(for: response, context: context))
    }

    func framingFailed(_ error: any Error, context: SIPConnectionContext) {
        let realm = realms[context.listener] ?? "?"
        if let error = error as? SIPParseError { counters.countRejected(error.code) }
        counters.countDropped("stream-framing")
        logger.warning("closing connection: \(error)", metadata: metadata(context, realm))
    }

    /// RFC 3261 §18.2.1: add `received` when the sent-by host is not the packet's source address; RFC 3581 §4:
    /// fill in `rport` (and always add `received`) when the client asked for it.
    func stampTopVia(_ message: inout SIPMessage, source: SocketAddress) {
        guard let sourceIP = source.ipAddress, var top = try? message.headers.first(.via, as: Via.self) else {
            return
        }
        let sourceHost = try? Host(parsing: sourceIP.contains(":") ? "[\(sourceIP)]" : sourceIP)
        var changed = false
        if top.rport == .requested, let port = source.port {
            top.rport = .port(UInt16(port))
            top.received = sourceHost
            changed = true
        } else if let sourceHost, top.host != sourceHost {
            top.received = sourceHost
            changed = true
        }
        if changed { try? message.headers.replaceFirstValue(.via, with: top.serialized) }
    }

    /// Where a response to a UDP request goes (RFC 3261 §18.2.2 with RFC 3581 §4): to `received` and the
    /// `rport` value when the client asked for rport; to `received` (or sent-by) and the sent-by port otherwise.
    /// Streams answer on the connection the request came in on.
    func responseDestination(for response: SIPMessage, context: SIPConnectionContext) -> SocketAddress? {
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

    private func metadata(_ context: SIPConnectionContext, _ realm: String) -> Logger.Metadata {
        ["realm": "\(realm)", "transport": "\(context.transport)", "from": "\(context.remote)"]
    }
}

extension Logger.Metadata {
    fileprivate static func + (lhs: Logger.Metadata, rhs: Logger.Metadata) -> Logger.Metadata {
        lhs.merging(rhs) { $1 }
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
