import Border
import GatehousePolicy
import Logging
import NIOCore
import SIPMessage
import SIPStack
import Transport

/// Detection on the live path: the engine reports what it sees to its `ThreatDetector` (a scanner matched, an
/// out-of-dialog request, a response it sent, a message it could not parse) and carries out what the detector
/// completes, once, here: a counter, a log line and, for `block`, the blocklist (and with it the kernel's).
extension CallEngine {
    /// Counts, logs and carries out `detection`; returns whether the message that triggered it is to be dropped.
    @discardableResult
    func carryOut(_ detection: Detection) -> Bool {
        counters.countDetection("\(detection.reason).\(detection.action)")
        let metadata: Logger.Metadata = [
            "source": "\(detection.source)", "detection": "\(detection.reason)", "detail": "\(detection.detail)",
        ]
        switch detection.action {
        case .block:
            let outcome = admission.block(
                detection.source, for: detection.blockFor, reason: detection.reason, at: admissionNow,
                enforcer: &enforcer)
            guard case .blocked(let entry) = outcome else {
                logger.notice(
                    "detected \(detection.reason) from an allowlisted source: not blocked", metadata: metadata)
                return false
            }
            logger.warning(
                "blocked a source: \(detection.reason)",
                metadata: metadata.merging(
                    [
                        "until": "\(entry.until)", "escalation": "\(entry.escalation)",
                        "kernel": "\(enforcer.mirror != nil)",
                    ]
                ) { $1 })
        case .drop:
            logger.warning("dropping a source's messages for a while: \(detection.reason)", metadata: metadata)
        case .log:
            logger.notice("detected \(detection.reason)", metadata: metadata)
        }
        return detection.dropsMessage
    }

    /// Rebuilds the detector when the policy in force configures detection differently (counts start afresh).
    func adoptDetectionConfiguration() {
        let settings = snapshot.policy.detection
        guard settings != detector.configuration.settings else { return }
        detector = ThreatDetector(ThreatDetector.Configuration(settings))
        logger.info("detection reconfigured by the policy in force")
    }

    /// Whether `source` is a known peer of the realm `context` arrived on (peers are never counted by detection).
    func isKnownPeer(_ source: IPAddress, context: SIPConnectionContext) -> Bool {
        snapshot.policy.peer(for: source, realm: realms[context.listener] ?? "?") != nil
    }

    /// A request that passed ingress: an out-of-dialog OPTIONS or REGISTER from an unknown source counts toward a
    /// sweep. Returns whether the request is to be dropped.
    func detectSweep(_ request: SIPMessage, peer: Peer?, context: SIPConnectionContext) -> Bool {
        guard peer == nil, let method = request.method, method == .options || method == .register,
            let source = context.sourceAddress,
            let uri = request.requestLine.map({ String(decoding: $0.uri, as: UTF8.self) })
        else { return false }
        let isInitial = !request.hasToTag
        guard
            let detection = detector.requestReceived(
                method, requestURI: uri, isInitial: isInitial, from: source, at: admissionNow)
        else { return false }
        return carryOut(detection)
    }

    /// A response the node is sending for a server transaction: 401/403/404/407/484 for distinct users count
    /// toward enumeration by the request's source.
    func detectEnumeration(_ response: SIPMessage, serverKey: TransactionKey) {
        guard let code = response.statusCode, ThreatDetector.enumerationStatuses.contains(code),
            let context = serverContexts[serverKey], let source = context.sourceAddress,
            !isKnownPeer(source, context: context), let to = try? response.to
        else { return }
        let user = to.uri.sipURI?.user ?? to.uri.description
        if let detection = detector.responseSent(status: code, user: user, to: source, at: admissionNow) {
            carryOut(detection)
        }
    }

    /// A message the sanity stage refused: a scanner's, or a malformed one (counted toward a malformed storm like
    /// a parse failure, unless it comes from a known peer). Returns whether the refusal is to be dropped rather
    /// than answered.
    func detectSanityFailure(_ rejection: IngressRejection, context: SIPConnectionContext) -> Bool {
        guard let source = context.sourceAddress else { return false }
        let now = admissionNow
        if rejection.code == SanitySettings.Check.scanner.rawValue {
            return carryOut(detector.scannerMatched(from: source, pattern: rejection.detail, at: now))
        }
        guard !isKnownPeer(source, context: context), let detection = detector.parseFailed(from: source, at: now)
        else { return false }
        return carryOut(detection)
    }

    /// A message that could not be parsed (or framed): dropped when its source is blocked or muted; otherwise
    /// counted toward a malformed storm. Returns whether it may still be answered.
    func admitUnparseable(context: SIPConnectionContext) -> Bool {
        guard let source = context.sourceAddress else { return true }
        let now = admissionNow
        if admission.blocklist.contains(source, at: now) || detector.isMuted(source, at: now) {
            counters.countDropped("blocked")
            return false
        }
        guard !isKnownPeer(source, context: context), let detection = detector.parseFailed(from: source, at: now)
        else { return true }
        return !carryOut(detection)
    }
}

extension SIPConnectionContext {
    /// The source's IP address, without the port.
    var sourceAddress: IPAddress? { remote.sourceIPAddress }
}
