import Border
import GatehousePolicy
import Logging
import NIOCore
import SIPMessage
import SIPStack
import Transport

/// The border's ingress stages on the live path: every request and response that reaches the engine passes
/// `BorderPolicy.ingress` (peer → admission → trust → numbering) before anything else looks at it, and a refusal
/// is turned into bytes, a counter and a log line here, once (STYLE rule 5).
extension CallEngine {
    /// The time on admission control's timeline: nanoseconds since the engine started.
    var admissionNow: AdmissionInstant {
        AdmissionInstant(nanoseconds: Int64(NIODeadline.now().uptimeNanoseconds - epoch.uptimeNanoseconds))
    }

    /// Runs the ingress stages on `message`; nil when it was refused (and answered or dropped here).
    func passIngress(_ message: inout SIPMessage, context: SIPConnectionContext) -> IngressPass? {
        adoptAdmissionConfiguration()
        guard let source = context.remote.sourceIPAddress else {
            return IngressPass(peer: nil)
        }
        if detector.isMuted(source, at: admissionNow) {
            counters.countDropped("detection")
            return nil
        }
        let realm = realms[context.listener] ?? "?"
        var trace = PipelineTrace(recording: logger.logLevel <= .debug)
        do throws(IngressRejection) {
            let peer = try snapshot.border.ingress(
                &message, arrival: IngressArrival(source: source, realm: realm, now: admissionNow),
                admission: &admission, enforcer: &enforcer, trace: &trace)
            if trace.isRecording, !trace.entries.isEmpty {
                logger.debug("ingress", metadata: ["steps": "\(trace.entries.map(\.description))"])
            }
            return IngressPass(peer: peer)
        } catch {
            answer(error, to: message, context: context, realm: realm)
            return nil
        }
    }

    /// A refusal on the wire: the response it asks for (through a server transaction for an INVITE, so that its
    /// retransmissions and ACK are absorbed), or nothing; counted and logged with its reason either way.
    func answer(_ rejection: IngressRejection, to message: SIPMessage, context: SIPConnectionContext, realm: String) {
        counters.countRefused("\(rejection.stage).\(rejection.code)")
        if rejection.stage == .sanity, detectSanityFailure(rejection, context: context) {
            counters.countDropped("detection")
            return
        }
        if message.isRequest, message.method != .ack {
            let status: Int
            if case .respond(let answer, _) = rejection.answer { status = answer.code } else { status = 0 }
            recordRefusal(
                message, context: context, status: status, reason: "\(rejection.stage).\(rejection.code)",
                detail: rejection.detail)
        }
        let metadata: Logger.Metadata = [
            "realm": "\(realm)", "from": "\(context.remote)", "stage": "\(rejection.stage)",
            "code": "\(rejection.code)", "call-id": "\(message.headers.firstString(.callID) ?? "-")",
        ]
        switch rejection.answer {
        case .respond(let status, let headers) where message.isRequest && message.method != .ack:
            logger.notice(
                "refused \(message.method?.rawValue ?? "?") with \(status.code): \(rejection.detail)",
                metadata: metadata)
            var response = responder.response(
                to: message, status: status, reason: rejection.reasonPhrase ?? status.reason)
            for header in headers { response.headers.append(header.name, header.value) }
            if message.method == .invite, let key = startServerTransaction(message, context: context) {
                // A number the numbering stage refuses may be told in early media (`mrf.refusals`); the
                // stages before it (sanity, admission, blocklist) never are.
                if rejection.stage == .numbering, !message.hasToTag,
                    startEarlyAnnouncement(
                        message, key, status, rejection.reasonPhrase ?? status.reason, extraHeaders: headers,
                        recordsRefusal: false)
                {
                    return
                }
                respond(key, with: response)
            } else {
                counters.countResponse(status.code)
                sendResponse(response, context: context)
            }
        case .respond, .drop:
            counters.countDropped(rejection.code)
            // A flood would turn each dropped message into a log line: blocked sources are logged at debug.
            if rejection.code == "blocked" {
                logger.debug("dropped a message from a blocked source", metadata: metadata)
            } else {
                logger.notice(
                    "dropped \(message.method?.rawValue ?? "a response"): \(rejection.detail)", metadata: metadata)
            }
        }
    }

    /// Rebuilds admission control when the policy in force configures it differently, keeping blocks and call
    /// slots (`AdmissionControl.reconfigured`).
    func adoptAdmissionConfiguration() {
        adoptDetectionConfiguration()
        let configuration = snapshot.border.admission
        guard configuration != admission.configuration else { return }
        do {
            let now = admissionNow
            let before = Set(admission.blocklist.list(at: now).map(\.address))
            admission = try admission.reconfigured(configuration, at: now)
            // Blocks the new allowlist lifted go from the kernel too.
            let after = Set(admission.blocklist.list(at: now).map(\.address))
            for address in before.subtracting(after) { enforcer.remove(address) }
            logger.info("admission control reconfigured by the policy in force")
        } catch {
            logger.error(
                "the policy's admission settings are not usable; the previous ones stay",
                metadata: ["error": "\(error)"])
        }
    }

    /// Housekeeping once a second: lift ended blocks, forget refilled buckets, feed the overload guard the
    /// number of transactions in progress, expire registrations (relayed and the IMS core's) and send NAT keepalives
    /// and reg-event NOTIFYs.
    func scheduleAdmissionSweep() {
        admissionSweep = schedule(after: .seconds(1)) { [self] in
            let now = admissionNow
            admission.sweep(at: now, enforcer: &enforcer)
            detector.sweep(at: now)
            switch admission.updateLoad(transactions.count, at: now) {
            case .enteredOverload?:
                logger.warning("overloaded: new calls are refused", metadata: ["transactions": "\(transactions.count)"])
            case .leftOverload?:
                logger.notice("no longer overloaded", metadata: ["transactions": "\(transactions.count)"])
            case nil: break
            }
            snapshot = activePolicy.snapshot
            sweepRegistrations()
            sweepIMSCore()
            sampleActivity()
            scheduleAdmissionSweep()
        }
    }

    /// Stops the housekeeping (the node is stopping).
    func stopAdmissionSweep() {
        loop.execute { [self] in
            admissionSweep?.cancel()
            admissionSweep = nil
        }
    }

    /// Gives back the call slot of a call that will not (or no longer) run.
    func releaseCallSlot(callID: String) {
        admission.release(callID: callID)
    }
}

/// What the ingress stages found out about a message they let through.
struct IngressPass {
    /// The peer it came from; nil for an unknown source.
    let peer: Peer?
}
