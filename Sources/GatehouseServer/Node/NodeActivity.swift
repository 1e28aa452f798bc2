import Foundation
import NIOConcurrencyHelpers

/// What the status page and `gatehouse status` show beyond counters: the latest refusals, and a short history of
/// calls per second and calls in progress.
///
/// Both are bounded rings (`recentLimit` refusals, `historyLimit` one-second samples), written by the engine and
/// read by the admin API under one lock.
public final class NodeActivity: Sendable {
    /// A request the node refused, as an operator wants to see it.
    public struct Refusal: Sendable, Codable, Equatable {
        /// Seconds since 1970.
        public var time: Double
        public var source: String
        public var realm: String
        public var method: String
        /// The status sent, or 0 for a silent drop.
        public var status: Int
        /// `stage.code` for the border's refusals (`admission.rate-limited`), `routing` for the B2BUA's.
        public var reason: String
        public var detail: String
    }

    /// One second of traffic.
    public struct Sample: Sendable, Codable, Equatable {
        /// Seconds since 1970, at the end of the second.
        public var time: Double
        /// Calls routed during that second.
        public var callsStarted: Int
        /// Calls in progress at its end.
        public var activeCalls: Int
    }

    public static let recentLimit = 50
    public static let historyLimit = 300

    private struct State {
        var refusals: [Refusal] = []
        var samples: [Sample] = []
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// The latest refusals, newest first.
    public var recentRefusals: [Refusal] { state.withLockedValue { $0.refusals.reversed() } }

    /// The history, oldest first.
    public var history: [Sample] { state.withLockedValue { $0.samples } }

    func record(_ refusal: Refusal) {
        state.withLockedValue { state in
            state.refusals.append(refusal)
            if state.refusals.count > Self.recentLimit { state.refusals.removeFirst() }
        }
    }

    func record(_ sample: Sample) {
        state.withLockedValue { state in
            state.samples.append(sample)
            if state.samples.count > Self.historyLimit { state.samples.removeFirst() }
        }
    }
}
