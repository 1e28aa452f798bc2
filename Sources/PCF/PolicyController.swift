import GatehousePolicy
import SDP

/// The PCF's decision function: a session's media (offer, and answer when there is one) and a leg's context in,
/// a `PolicyDecision` out. Pure and deterministic, so a test or `explain` gets the same answer the engine does.
///
/// Each flow is decided by the first rule whose match holds for the leg and the flow's media type; what the
/// rule leaves out comes from `pcf.default`, then from `QoSParameters.builtIn`. Allowances: a rule's
/// `max_bandwidth` holds for the flows that rule decided, taken together; `default.max_bandwidth` for the whole
/// session. A session over any allowance is refused with 488 Not Acceptable Here (RFC 3261 §21.4.26, as TS 29.214
/// §4.4.1 has the P-CSCF refuse what the PCRF does not authorize).
public struct PolicyController: Sendable {
    public let settings: PolicyControlSettings

    public init(_ settings: PolicyControlSettings) {
        self.settings = settings
    }

    public func decide(
        offer: SessionDescription, answer: SessionDescription?, context: PolicyControlContext
    ) -> PolicyDecision {
        let flows = MediaFlow.flows(offer: offer, answer: answer, variableBitrate: settings.variableBitrate)
        let subscriberClass = context.party.flatMap(subscriberClass(of:))
        var decided: [PolicyDecision.Flow] = []
        for flow in flows {
            let rule = settings.rules.first { matches($0.match, context, subscriberClass, media: flow.media) }
            let qos = (rule?.qos ?? QoSParameters()).filled(from: settings.defaults)
                .filled(from: .builtIn(media: flow.media))
            let fiveQI = qos.fiveQI ?? 9
            decided.append(
                PolicyDecision.Flow(
                    flow: flow, rule: rule?.id, fiveQI: fiveQI, qci: (1...9).contains(fiveQI) ? fiveQI : nil,
                    arpPriority: qos.arpPriority ?? 9,
                    guaranteedBitrate: Self.isGuaranteedBitrate(fiveQI) ? flow.bitrate : nil,
                    maximumBitrate: flow.bitrate, dscp: qos.dscp ?? 0))
        }
        let total = decided.reduce(0) { $0 + $1.maximumBitrate }
        var allowance: Int?
        var verdict = PolicyDecision.Verdict.admit
        var checks: [(limit: Int, used: Int, what: String)] = []
        for rule in settings.rules {
            guard let limit = rule.qos.maxBandwidth else { continue }
            let governed = decided.filter { $0.rule == rule.id }
            guard !governed.isEmpty else { continue }
            checks.append((limit, governed.reduce(0) { $0 + $1.maximumBitrate }, "rule \(rule.id)"))
        }
        if let limit = settings.defaults.maxBandwidth { checks.append((limit, total, "the session allowance")) }
        for check in checks {
            allowance = min(allowance ?? check.limit, check.limit)
            if check.used > check.limit, verdict == .admit {
                verdict = .reject(
                    status: 488,
                    reason: "Media needs \(Self.format(check.used)), over \(check.what) of \(Self.format(check.limit))")
            }
        }
        return PolicyDecision(flows: decided, totalBitrate: total, allowance: allowance, verdict: verdict)
    }

    /// The class of `party`: the longest member that is it, or a number prefix of it (`+1555019` holds
    /// `+15550190001` and `tel:+15550190001`).
    public func subscriberClass(of party: String) -> String? {
        let number = PolicyControlContext.number(in: party)
        var best: (name: String, length: Int)?
        for subscriberClass in settings.classes {
            for member in subscriberClass.members {
                let isMatch =
                    member.caseInsensitiveCompare(party) == .orderedSame
                    || (number.map { $0.hasPrefix(member) && PolicyControlContext.isNumber(member) } ?? false)
                if isMatch, member.count > best?.length ?? -1 { best = (subscriberClass.name, member.count) }
            }
        }
        return best?.name
    }

    private func matches(
        _ match: PolicyControlRule.Match, _ context: PolicyControlContext, _ subscriberClass: String?, media: String
    ) -> Bool {
        (match.realm == nil || match.realm == context.realm) && (match.peer == nil || match.peer == context.peer)
            && (match.subscriberClass == nil || match.subscriberClass == subscriberClass)
            && (match.media == nil || match.media == media.lowercased())
    }

    /// GBR resource types (TS 23.501 table 5.7.4-1): 1–4, 65–67 and 71–76; delay-critical GBR 82–90.
    static func isGuaranteedBitrate(_ fiveQI: Int) -> Bool {
        (1...4).contains(fiveQI) || (65...67).contains(fiveQI) || (71...76).contains(fiveQI)
            || (82...90).contains(fiveQI)
    }

    static func format(_ bitrate: Int) -> String {
        bitrate % 1_000 == 0 ? "\(bitrate / 1_000) kbit/s" : "\(Double(bitrate) / 1_000) kbit/s"
    }
}
