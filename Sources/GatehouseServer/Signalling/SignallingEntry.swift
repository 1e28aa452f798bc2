import Logging
import NIOCore
import SIPMessage
import Transport

/// Where every message received on a listener enters the node: parse, note where it came from, answer.
///
/// The path, top-down: count it → classify (`InboundMessage`: a request that cannot be parsed is answered with
/// its error's status if its header section is intact, and dropped with a reason otherwise) → stamp the top Via
/// with `received`/`rport` (RFC 3261 §18.2.1, RFC 3581 §4) → requests go to the `StatelessResponder` → the answer
/// goes back where RFC 3261 §18.2.2 and RFC 3581 say. Calls (INVITE dialogs) and responses are the
/// `CallEngine`'s; it hands this entry the rest.
struct SignallingEntry: SIPInboundHandler {
    let realms: [SIPEndpoint: String]
    /// Listeners whose realm answers UDP at the source port whatever the Via says (`nat.force_rport`).
    let forcedRport: Set<SIPEndpoint>
    let limits: SIPLimits
    let responder: StatelessResponder
    let counters: NodeCounters
    /// Live capture of the answers sent here.
    var tap = SignallingTapSlot()
    let logger: Logger

    func received(_ bytes: [UInt8], context: SIPConnectionContext) {
        let inbound = InboundMessage(bytes: bytes, limits: limits)
        counters.countReceived(realm: realms[context.listener] ?? "?", method: inbound.methodLabel)
        handle(inbound, byteCount: bytes.count, context: context)
    }

    /// Answers what the call engine does not take: out-of-dialog requests other than INVITE, and everything
    /// that could not be parsed.
    ///
    /// - Parameter passedIngress: the engine's ingress stages have stamped the top Via and validated the request
    ///   (the sanity stage), so neither is done again.
    func handle(_ inbound: InboundMessage, byteCount: Int, context: SIPConnectionContext, passedIngress: Bool = false) {
        let realm = realms[context.listener] ?? "?"
        var message: SIPMessage
        switch inbound {
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
            ViaRouting.stampTopVia(
                &request, source: context.remote, forceRport: forcedRport.contains(context.listener))
            let response = responder.response(to: request, status: error.status, reason: error.detail)
            counters.countResponse(error.status.code)
            logger.notice(
                "answered \(error.status.code) to an unparseable request",
                metadata: metadata(context, realm) + ["error": "\(error)"])
            send(response, context: context, realm: realm)
            return
        case .unanswerable(let error):
            counters.countRejected(error.code)
            counters.countDropped("unparseable")
            logger.warning(
                "dropped unparseable message",
                metadata: metadata(context, realm) + ["error": "\(error)", "bytes": "\(byteCount)"])
            return
        }
        if !passedIngress {
            ViaRouting.stampTopVia(
                &message, source: context.remote, forceRport: forcedRport.contains(context.listener))
        }
        logger.info(
            "received \(message.method?.rawValue ?? "?")",
            metadata: metadata(context, realm) + [
                "call-id": "\(message.headers.firstString(.callID) ?? "-")",
                "uri": "\(message.requestLine.map { String(decoding: $0.uri, as: UTF8.self) } ?? "-")",
            ])
        let answer =
            passedIngress ? responder.respond(toValid: message) : responder.respond(to: message, limits: limits)
        guard let response = answer else { return }
        if let code = response.statusCode {
            counters.countResponse(code)
            if code >= 300 {
                logger.notice(
                    "answered \(code) \(response.statusLine?.reason ?? "")",
                    metadata: metadata(context, realm))
            }
        }
        send(response, context: context, realm: realm)
    }

    /// An answer on the wire, counted and captured (the engine's responses leave through here too).
    func send(_ response: SIPMessage, context: SIPConnectionContext, realm: String) {
        let bytes = response.serialize()
        let destination = ViaRouting.responseDestination(for: response, context: context)
        counters.countSent(realm: realm, method: "response")
        tap.sent(
            bytes, from: context.listener, to: TapAddress(destination ?? context.remote), transport: context.transport)
        context.send(bytes, to: destination)
    }

    func framingFailed(_ error: any Error, context: SIPConnectionContext) {
        let realm = realms[context.listener] ?? "?"
        if let error = error as? SIPParseError { counters.countRejected(error.code) }
        counters.countDropped("stream-framing")
        logger.warning("closing connection: \(error)", metadata: metadata(context, realm))
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
