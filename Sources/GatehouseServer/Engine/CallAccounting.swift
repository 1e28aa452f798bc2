import Foundation
import PCF

/// What the engine notes about a call beside its legs, for policy control and the CDR: the charging identifier,
/// wall-clock times, the parties as they left Gatehouse, the offer/answer state and the PCF's decisions.
///
/// Kept apart from `Call` (keyed by the caller leg's Call-ID in `CallEngine.accounting`) because it starts before
/// the call exists: the PCF judges the caller's offer while the INVITE is being routed.
struct CallAccounting {
    /// The IMS Charging Identifier: the caller's P-Charging-Vector `icid-value`, else one made here (TS 32.260
    /// §5.2.1: the first IMS node that sees the session generates it).
    let icid: String
    let setupTime: Date
    var answerTime: Date?
    /// The caller's From URI and the callee's Request-URI in the INVITE sent to the callee (after numbering).
    let callerParty: String
    let calleeParty: String
    /// Each leg as policy control's rules see it.
    let callerContext: PolicyControlContext
    let calleeContext: PolicyControlContext
    var negotiation = SessionNegotiation()
    /// The latest decisions, one per leg.
    var decision = SessionPolicyDecision()
    /// `audio PCMU`, one per flow of the latest answer.
    var codecs: [String] = []
}
