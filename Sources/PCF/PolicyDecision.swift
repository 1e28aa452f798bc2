/// What the PCF decided for one leg of a session: the QoS of each flow, the bandwidth the session takes and the
/// allowance it was held to, and whether it may go ahead. A value, so that the engine applies it, the call keeps
/// it, and the CDR and the admin API show it as it was.
public struct PolicyDecision: Sendable, Hashable, Codable {
    /// One flow with the QoS it gets.
    public struct Flow: Sendable, Hashable, Codable {
        public var flow: MediaFlow
        /// The rule that decided it; nil for the defaults.
        public var rule: String?
        /// 5G QoS Identifier (TS 23.501 table 5.7.4-1).
        public var fiveQI: Int
        /// The LTE QCI with the same characteristics (TS 23.203 table 6.1.7), for 5QI 1–9; nil otherwise.
        public var qci: Int?
        /// ARP priority level, 1 (highest) to 15.
        public var arpPriority: Int
        /// Guaranteed bit rate in bit/s: equal to the maximum for GBR 5QIs (voice and video are sized for their
        /// codec, TS 29.213 §6.4.1), nil for non-GBR flows.
        public var guaranteedBitrate: Int?
        public var maximumBitrate: Int
        /// DiffServ code point written on the packets Gatehouse relays for this flow.
        public var dscp: Int

        /// `fiveQi`, not `fiveQI`: the admin API writes snake case (`five_qi`), and a reader converting back from snake
        /// case (the CLI, the tests) looks for `fiveQi`; the acronym would make the round trip fail.
        enum CodingKeys: String, CodingKey {
            case flow, rule, qci, arpPriority, guaranteedBitrate, maximumBitrate, dscp
            case fiveQI = "fiveQi"
        }
    }

    public enum Verdict: Sendable, Hashable, Codable {
        case admit
        /// The session exceeds an allowance: refuse the offer (or the answer's call) with `status`.
        case reject(status: Int, reason: String)
    }

    public var flows: [Flow]
    /// The sum of the flows' maximum bit rates.
    public var totalBitrate: Int
    /// The tightest allowance the session was checked against (bit/s); nil when no rule sets one.
    public var allowance: Int?
    public var verdict: Verdict

    public init(flows: [Flow], totalBitrate: Int, allowance: Int?, verdict: Verdict) {
        self.flows = flows
        self.totalBitrate = totalBitrate
        self.allowance = allowance
        self.verdict = verdict
    }

    public var isRejected: Bool {
        if case .reject = verdict { return true }
        return false
    }

    /// The DSCP of the flow on `m=` line `index`, if the decision has that flow.
    public func dscp(ofStream index: Int) -> Int? {
        flows.first { $0.flow.index == index }?.dscp
    }
}
