import SIPMessage

/// What a call that is one leg of an IMS session keeps of the core's decision.
///
/// Each hop the core names is a B2BUA call of its own (to an AS, back from it, to the callee's contact, out
/// through the BGCF), so the session is several calls; what ties them together for charging is one ICID, created
/// at the first hop (TS 24.229 §5.2.6.3.1, TS 32.260 §5.2.1) and the same on every leg: each leg's CDR records it,
/// and the INVITE of a leg that stays inside the trust domain carries it.
struct IMSSessionLeg: Sendable {
    /// The session's charging vector (nil only when the core refused before making one).
    var chargingVector: PChargingVector?
    /// The caller as the network asserts it (P-Asserted-Identity).
    var caller: URI?
    /// The callee's public identity, once the I-CSCF found the subscriber (P-Called-Party-ID on the last leg).
    var callee: URI?
}
