import Border
import Capture
import GatehousePolicy
import SIPMessage

/// The codec and the border's ingress stages, as `CallEngine.received` and `CallEngine.passIngress` run them.
extension CaptureReplayer {
    mutating func decide(
        _ captured: CapturedMessage, now: AdmissionInstant, into replayed: inout ReplayedMessage
    ) -> ReplayVerdict {
        let bytes: [UInt8]
        switch captured.content {
        case .framingFailed(let error):
            return ReplayVerdict(
                .unparseable, status: error.status, stage: "framing", code: error.code.rawValue,
                reason: "the stream cannot be framed (the connection would be closed): \(error.detail)")
        case .message(let messageBytes):
            bytes = messageBytes
        }
        guard let realm = replayed.realm else {
            return ReplayVerdict(
                .dropped, stage: "realm", code: "no-realm",
                reason: "sent to no listener of the policy, from no peer, and the policy has several realms")
        }
        var message: SIPMessage
        switch InboundMessage(bytes: bytes, limits: policy.sipLimits) {
        case .unanswerable(let error):
            return ReplayVerdict(
                .unparseable, stage: "parse", code: error.code.rawValue, reason: "dropped: \(error.detail)")
        case .brokenRequest(var request, let error):
            describe(request, into: &replayed)
            ViaRouting.stampTopVia(
                &request, sourceHost: Host(captured.flow.source), sourcePort: captured.flow.sourcePort)
            emitResponse(
                responder.response(to: request, status: error.status, reason: error.detail), to: captured.flow,
                realm: realm, into: &replayed)
            return ReplayVerdict(
                .unparseable, status: error.status, stage: "parse", code: error.code.rawValue, reason: error.detail)
        case .request(let request):
            message = request
            ViaRouting.stampTopVia(
                &message, sourceHost: Host(captured.flow.source), sourcePort: captured.flow.sourcePort,
                forceRport: forceRportRealms.contains(realm))
        case .response(let response):
            message = response
        }
        describe(message, into: &replayed)
        let received = message
        var trace = PipelineTrace(recording: options.recordsTrace, countingRules: true)
        let peer: Peer?
        do throws(IngressRejection) {
            peer = try border.ingress(
                &message, arrival: IngressArrival(source: captured.flow.source, realm: realm, now: now),
                admission: &admission, trace: &trace)
        } catch {
            keep(trace, in: &replayed)
            noteBlock(of: captured.flow.source, at: now, timestamp: captured.timestamp)
            return refusal(error, of: message, flow: captured.flow, realm: realm, into: &replayed)
        }
        let changed = !message.hasSameWireForm(as: received)
        guard message.isRequest else {
            keep(trace, in: &replayed)
            return ReplayVerdict(
                changed ? .rewritten : .accepted, reason: "a response: relayed onto its call's other leg")
        }
        var verdict = handleRequest(
            message, peer: peer, flow: captured.flow, realm: realm, trace: &trace, into: &replayed)
        keep(trace, in: &replayed)
        if verdict.kind == .accepted, changed || trace.changedOnEgress { verdict.kind = .rewritten }
        return verdict
    }

    /// A stage's refusal as the live path answers it (`CallEngine.answer`): a response for a request other than
    /// ACK, nothing otherwise.
    mutating func refusal(
        _ rejection: IngressRejection, of message: SIPMessage, flow: CapturedFlow, realm: String,
        into replayed: inout ReplayedMessage
    ) -> ReplayVerdict {
        let stage = rejection.stage.rawValue
        let answerable = message.isRequest && message.method != .ack
        var status: SIPStatus?
        if case .respond(let answer, let headers) = rejection.answer, answerable {
            status = answer
            emitResponse(
                response(to: message, status: answer, reason: rejection.reasonPhrase ?? answer.reason, adding: headers),
                to: flow, realm: realm, into: &replayed)
        }
        if message.isRequest, message.method == .invite, let callID = replayed.callID {
            admission.release(callID: callID)
        }
        let kind: ReplayVerdict.Kind =
            if rejection.stage == .admission && rejection.code == "blocked" {
                .blocked
            } else if rejection.stage == .admission && rejection.code == AdmissionReason.Code.rateLimited.rawValue {
                .rateLimited
            } else if status != nil {
                .rejected
            } else {
                .dropped
            }
        return ReplayVerdict(kind, status: status, stage: stage, code: rejection.code, reason: rejection.detail)
    }

    /// Records a block the offender tracker has just added for `address`.
    mutating func noteBlock(of address: IPAddress, at now: AdmissionInstant, timestamp: Int64) {
        guard let entry = admission.blocklist.entry(for: address, at: now), entry.since == now,
            summary.blocks.last.map({ $0.address != address || $0.since != timestamp }) ?? true
        else { return }
        summary.blocks.append(
            ReplayBlock(
                address: address, since: timestamp, duration: entry.duration, reason: entry.reason.rawValue,
                escalation: entry.escalation))
    }

    func describe(_ message: SIPMessage, into replayed: inout ReplayedMessage) {
        replayed.method = message.method?.rawValue ?? (try? message.cseq.method.rawValue)
        replayed.statusCode = message.statusCode
        replayed.callID = message.headers.firstString(.callID)
    }

    func keep(_ trace: PipelineTrace, in replayed: inout ReplayedMessage) {
        replayed.rules += trace.rules
        guard trace.isRecording else { return }
        replayed.trace += trace.entries.map { PipelineTraceLine(stage: $0.stage.rawValue, text: $0.text) }
    }

    /// The responder's answer with a refusal's extra headers (Retry-After).
    private func response(
        to message: SIPMessage, status: SIPStatus, reason: String, adding headers: [IngressRejection.ExtraHeader]
    ) -> SIPMessage {
        var response = responder.response(to: message, status: status, reason: reason)
        for header in headers { response.headers.append(header.name, header.value) }
        return response
    }

    /// A response back to the sender, from the listener the request reached; built only when the replay writes
    /// what Gatehouse would have sent (`--emit`).
    func emitResponse(
        _ response: @autoclosure () -> SIPMessage, to flow: CapturedFlow, realm: String,
        into replayed: inout ReplayedMessage
    ) {
        guard options.buildsEmitted, let listener = ingressListener(for: flow, realm: realm),
            let address = IPAddress(parsing: listener.host) ?? Optional(flow.destination)
        else { return }
        let from = listener.host == "0.0.0.0" || listener.host == "::" ? flow.destination : address
        replayed.emitted.append(
            EmittedMessage(
                flow: CapturedFlow(
                    source: from, sourcePort: listener.port, destination: flow.source, destinationPort: flow.sourcePort,
                    transport: flow.transport),
                bytes: response().serialize()))
    }
}
