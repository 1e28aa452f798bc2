import NIOConcurrencyHelpers
import SIPMessage

/// What the node has seen, by outcome: the numbers an operator (and a test) reads to know what happened to the
/// traffic. `/metrics` exports them (`GatehouseNode+Metrics`).
public final class NodeCounters: Sendable {
    public struct Snapshot: Sendable, Equatable {
        /// Messages received, by realm.
        public var received: [String: Int] = [:]
        /// Messages received, by realm and then by method (`response` for responses, `unparseable` for what the
        /// parser refused).
        public var receivedByMethod: [String: [String: Int]] = [:]
        /// Messages handed to the transport, retransmissions included, by realm and then by method (`response`
        /// for responses).
        public var sentByMethod: [String: [String: Int]] = [:]
        /// Requests answered, by status code.
        public var responses: [Int: Int] = [:]
        /// Messages rejected, by parse or validation error code.
        public var rejected: [String: Int] = [:]
        /// Messages the border's stages refused (answered or dropped), by `stage.code`: `admission.rate-limited`,
        /// `numbering.blocked-prefix`, `sanity.scanner`.
        public var refused: [String: Int] = [:]
        /// Messages dropped without an answer, by reason.
        public var dropped: [String: Int] = [:]
        /// Registrations relayed and NAT bindings kept, by event: `registered`, `nat-detected`, `deregistered`,
        /// `expired`, `keepalive-sent`, `keepalive-unanswered`, `unreachable`, `unknown-binding`.
        public var registrations: [String: Int] = [:]
        /// Attacks detected, by `reason.action`: `scanner.block`, `sweep.block`, `enumeration.drop`,
        /// `malformed-storm.log`, `authentication-failures.block`.
        public var detections: [String: Int] = [:]
        /// Calls to the MRF, by event: `answered-KIND` (`announce`, `tone`, `menu`, `conf`), `refused-CODE` (the
        /// `MRFError` code: `unknown-announcement`, `room-full`…), `cancelled`, `bye-received`, `bye-sent`,
        /// `transferred`; refusals told in early media: `early-announce`, `early-cancelled`.
        public var mrf: [String: Int] = [:]
        /// Policy reloads swapped in.
        public var reloadsSucceeded = 0
        /// Policy reloads refused (unreadable or invalid file, a new listener that could not be bound); the policy
        /// in force stayed.
        public var reloadsFailed = 0
    }

    private let state = NIOLockedValueBox(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLockedValue { $0 } }

    func countReceived(realm: String, method: String) {
        state.withLockedValue {
            $0.received[realm, default: 0] += 1
            $0.receivedByMethod[realm, default: [:]][method, default: 0] += 1
        }
    }
    func countSent(realm: String, method: String) {
        state.withLockedValue { $0.sentByMethod[realm, default: [:]][method, default: 0] += 1 }
    }
    func countResponse(_ code: Int) { state.withLockedValue { $0.responses[code, default: 0] += 1 } }
    func countRejected(_ code: SIPParseError.Code) {
        state.withLockedValue { $0.rejected[code.rawValue, default: 0] += 1 }
    }
    func countRefused(_ reason: String) { state.withLockedValue { $0.refused[reason, default: 0] += 1 } }
    func countDropped(_ reason: String) { state.withLockedValue { $0.dropped[reason, default: 0] += 1 } }
    func countRegistration(_ event: String, by count: Int = 1) {
        state.withLockedValue { $0.registrations[event, default: 0] += count }
    }
    func countMRF(_ event: String) { state.withLockedValue { $0.mrf[event, default: 0] += 1 } }
    func countDetection(_ key: String) { state.withLockedValue { $0.detections[key, default: 0] += 1 } }
    func countReload(succeeded: Bool) {
        state.withLockedValue { succeeded ? ($0.reloadsSucceeded += 1) : ($0.reloadsFailed += 1) }
    }
}
