import Foundation
import PCF

/// One call as the CDR file records it: one JSON object per line of `cdr.jsonl`, keys in snake_case, times in
/// ISO 8601 UTC with milliseconds (`CDRWriter`).
public struct CallDetailRecord: Sendable, Codable, Equatable {
    /// One side of the call.
    public struct Party: Sendable, Codable, Equatable {
        /// The party as normalized: the caller's From URI and the callee's Request-URI as they left Gatehouse
        /// toward the callee (after numbering), e.g. `sip:+15551230000@127.0.0.3`.
        public var uri: String
        /// The number in `uri` (`+15551230000`), when its user is one.
        public var number: String?
        /// The peer at this side; nil for an address no peer owns (a handset) or the IMS core.
        public var peer: String?
        public var realm: String
        /// Where this side's signalling came from or went to (`udp:127.0.0.2:5060`).
        public var address: String
    }

    /// Who ended the call.
    public enum Side: String, Sendable, Codable, Equatable {
        /// A BYE from the caller, or its CANCEL.
        case caller
        /// A BYE from the callee, or its final failure response.
        case callee
        /// Gatehouse itself: a timeout (no answer, media, session refresh), a failed transaction, a policy
        /// decision, a drain.
        case gatehouse
    }

    public struct Disconnect: Sendable, Codable, Equatable {
        /// The SIP status that ended the call: 200 for a BYE, the failure response's status, or the status
        /// Gatehouse answered or put in its BYE's Reason (RFC 3326).
        public var status: Int
        public var reason: String
        public var side: Side
    }

    /// One relayed stream's counters on both legs (`StreamReport`).
    public struct MediaCounters: Sendable, Codable, Equatable {
        public struct Leg: Sendable, Codable, Equatable {
            public var rtpPackets: UInt64
            public var rtpBytes: UInt64
            public var rtcpPackets: UInt64
            public var lost: UInt64
            public var jitterMilliseconds: Double
            public var dropped: UInt64
        }

        /// The `m=` line's index.
        public var stream: Int
        /// What the caller sent toward Gatehouse, and what the callee sent.
        public var caller: Leg
        public var callee: Leg
    }

    /// IMS Charging Identifier: the `icid-value` of the caller's P-Charging-Vector, or one Gatehouse made.
    public var icid: String
    public var node: String
    /// The node's call number (as `gatehouse calls` showed it).
    public var call: Int
    public var caller: Party
    public var callee: Party
    public var setupTime: Date
    public var answerTime: Date?
    public var endTime: Date
    /// From answer to end; nil for a call never answered.
    public var durationSeconds: Double?
    public var disconnect: Disconnect
    /// The codecs the session settled on, one per flow (`audio PCMU`).
    public var codecs: [String]
    /// Empty for a call whose media was not anchored.
    public var media: [MediaCounters]
    /// What policy control decided for each leg (the last decision, after any re-INVITE).
    public var policyControl: SessionPolicyDecision?
}

/// The PCF's decisions for a call: one per leg, since the legs may be in realms (or with peers) the rules treat
/// differently. The DSCP of each leg's decision marks the packets Gatehouse sends on that leg.
public struct SessionPolicyDecision: Sendable, Codable, Equatable {
    public var caller: PolicyDecision?
    public var callee: PolicyDecision?

    public init(caller: PolicyDecision? = nil, callee: PolicyDecision? = nil) {
        self.caller = caller
        self.callee = callee
    }
}

extension SessionPolicyDecision {
    /// One line for `gatehouse calls`: each flow's media, 5QI, DSCP and bit rate on the caller's leg, and what
    /// differs on the callee's (`audio 5QI 1 DSCP 46 80 kbit/s; callee DSCP 0`), or the refusal.
    public var summary: String {
        guard let caller else { return "-" }
        if case .reject(let status, let reason) = caller.verdict { return "refused \(status): \(reason)" }
        if let callee, case .reject(let status, let reason) = callee.verdict { return "refused \(status): \(reason)" }
        var parts = caller.flows.map { flow in
            "\(flow.flow.media) 5QI \(flow.fiveQI) DSCP \(flow.dscp) \(flow.maximumBitrate / 1_000) kbit/s"
        }
        let calleeDSCP = callee?.flows.map(\.dscp) ?? []
        if calleeDSCP != caller.flows.map(\.dscp) {
            parts.append("callee DSCP \(calleeDSCP.map(String.init).joined(separator: ","))")
        }
        return parts.isEmpty ? "no media" : parts.joined(separator: "; ")
    }
}
