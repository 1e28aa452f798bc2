import IMSInterfaces
import SIPMessage

/// Where a session request for a Request-URI goes from the I-CSCF (TS 24.229 §5.3.2.1): to the S-CSCF that serves
/// the callee, or — for a number or a domain that no subscriber here has — out of the home network through the
/// BGCF (TS 24.229 §5.4.3.2 step 10, "not served here": ENUM, then breakout to an interconnect peer).
extension InterrogatingCSCF {
    public enum TerminatingLocation: Hashable, Sendable {
        /// The callee is a subscriber here, served by this S-CSCF.
        case served(identity: PublicIdentity, server: String)
        /// Nobody here has the identity: the BGCF routes it out (a number, or a foreign domain).
        case breakout
        case refused(CSCFRejection)
    }

    /// The public identities a Request-URI may name, in the order they are asked for: the URI's own identity and,
    /// for a global number written as a SIP URI (`sip:+15550100002@domain;user=phone`), its tel URI (TS 24.229
    /// §5.4.3.2 step 10: the S-CSCF translates such a URI).
    public static func identities(for uri: URI) -> [PublicIdentity] {
        let own = PublicIdentity(uri)
        guard case .sip(let sip) = uri, let number = globalNumber(of: sip), let tel = PublicIdentity(.tel(number))
        else { return own.map { [$0] } ?? [] }
        let isPhone = sip.userParameter?.lowercased() == "phone"
        return (isPhone ? [tel, own] : [own, tel]).compactMap { $0 }
    }

    /// The global number a SIP URI's user part holds (`+15550100002`, with or without `user=phone`), nil otherwise.
    static func globalNumber(of sip: SIPURI) -> TelURI? {
        if let tel = sip.telephoneNumber, tel.isGlobal { return tel }
        guard let user = sip.user, user.hasPrefix("+"), user.count > 1,
            user.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        return TelURI(number: user)
    }

    /// Whether a Request-URI nobody here has leaves the home network: a tel URI, a number (`user=phone`, or a
    /// global number as the user part), or a SIP URI of another domain. A SIP URI of the home domain naming an
    /// unknown user is not: it gets 404.
    public static func isOutsideHomeNetwork(_ uri: URI, homeDomain: String) -> Bool {
        switch uri {
        case .tel: return true
        case .sip(let sip):
            if sip.userParameter?.lowercased() == "phone" || globalNumber(of: sip) != nil { return true }
            return sip.host.description.lowercased() != homeDomain.lowercased()
        case .other: return false
        }
    }

    /// The location query (a Cx LIR per candidate identity) for a session request to `uri`.
    public func locate(_ uri: URI, homeDomain: String) -> TerminatingLocation {
        let candidates = Self.identities(for: uri)
        guard !candidates.isEmpty else {
            return .refused(
                CSCFRejection(.unsupportedURIScheme, reason: "bad-request-uri", "\(uri) names no public identity"))
        }
        var firstRefusal: CSCFRejection?
        for identity in candidates {
            switch selectServer(forTerminating: identity) {
            case .success(let server):
                return .served(identity: identity, server: server)
            case .failure(let rejection):
                if rejection.reason != "user-unknown" { return .refused(rejection) }
                firstRefusal = firstRefusal ?? rejection
            }
        }
        if Self.isOutsideHomeNetwork(uri, homeDomain: homeDomain) { return .breakout }
        return .refused(
            firstRefusal ?? CSCFRejection(.notFound, reason: "user-unknown", "\(uri) is not a subscriber here"))
    }
}
