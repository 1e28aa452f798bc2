import IMSInterfaces
import SIPMessage

/// Every reason the S-CSCF refuses a REGISTER, with its status, in one place (STYLE.md rule 4). The `reason` is the
/// counter label; tests assert on it.
extension CSCFRejection {
    /// 400: the REGISTER cannot be read (To, Call-ID, CSeq, Contact, Expires, Path or Authorization malformed).
    static func badRegister(_ detail: String) -> Self {
        Self(.badRequest, reason: "bad-request", detail)
    }

    /// 400: the Authorization answers a challenge in a way that cannot be checked (RFC 7616 §3.4).
    static func badAuthorization(_ detail: String) -> Self {
        Self(.badRequest, reason: "bad-authorization", detail)
    }

    /// 400: `Contact: *` with other contacts or a non-zero expiry (RFC 3261 §10.3 step 6).
    static func badWildcard(_ detail: String) -> Self {
        Self(.badRequest, reason: "bad-wildcard", detail)
    }

    /// 403: the To URI is not a public user identity (no user part, or not a SIP, SIPS or tel URI).
    static func invalidPublicIdentity(_ detail: String) -> Self {
        Self(.forbidden, reason: "invalid-public-identity", detail)
    }

    /// 403: no Authorization names the private identity and none can be derived from a tel URI (TS 24.229
    /// §5.4.1.1: derivation works from SIP URIs only).
    static func noPrivateIdentity(_ detail: String) -> Self {
        Self(.forbidden, reason: "no-private-identity", detail)
    }

    /// 403: the UE answered its challenge with the wrong response (wrong password, or not this vector's RES).
    static func wrongResponse(_ detail: String) -> Self {
        Self(.forbidden, reason: "wrong-response", detail)
    }

    /// 403: the identity is registered here by another private identity.
    static func registeredByOther(_ detail: String) -> Self {
        Self(.forbidden, reason: "identities-dont-match", detail)
    }

    /// 403: this REGISTER alone names more contacts than a set may hold.
    static func tooManyContacts(_ detail: String) -> Self {
        Self(.forbidden, reason: "too-many-contacts", detail)
    }

    /// 423 with Min-Expires (RFC 3261 §10.3 step 7).
    static func intervalTooBrief(_ detail: String) -> Self {
        Self(.intervalTooBrief, reason: "interval-too-brief", detail)
    }

    /// 500: a binding was refreshed by an older or repeated request of its own Call-ID (RFC 3261 §10.3 step 7:
    /// "the update MUST be aborted and the request fails").
    static func outOfOrder(_ detail: String) -> Self {
        Self(.serverInternalError, reason: "out-of-order", detail)
    }

    /// 500: the HSS threw (its store unreachable): a failure of ours, not of the UE, which may retry.
    static func hssUnavailable(_ detail: String) -> Self {
        Self(.serverInternalError, reason: "hss-unavailable", detail)
    }

    /// 500: the HSS answered success without what success promises (no vector, no profile).
    static func hssIncomplete(_ detail: String) -> Self {
        Self(.serverInternalError, reason: "hss-incomplete-answer", detail)
    }

    /// A Cx answer that is not a success, as TS 24.229 §5.4.1.2 answers it: anything about the subscriber (unknown,
    /// not this private identity's, barred, roaming, no such scheme) is 403 Forbidden, which a UE does not retry
    /// blindly; a failure of the HSS itself (UNABLE_TO_COMPLY, or an assignment type it refuses) is 500, like a
    /// thrown Cx error, because the UE did nothing wrong. 480 would also fit and is not used: it tells the UE the
    /// *user* is unavailable, which is not what happened.
    static func cx(_ result: CxResult, _ exchange: String) -> Self {
        let detail = "\(exchange) answered \(result)"
        return switch result {
        case .userUnknown: Self(.forbidden, reason: "user-unknown", detail)
        case .identitiesDontMatch: Self(.forbidden, reason: "identities-dont-match", detail)
        case .authorizationRejected: Self(.forbidden, reason: "authorization-rejected", detail)
        case .roamingNotAllowed: Self(.forbidden, reason: "roaming-not-allowed", detail)
        case .authSchemeNotSupported: Self(.forbidden, reason: "auth-scheme-not-supported", detail)
        case .identityNotRegistered: Self(.forbidden, reason: "identity-not-registered", detail)
        case .inAssignmentType: Self(.serverInternalError, reason: "hss-assignment-type", detail)
        case .unableToComply: Self(.serverInternalError, reason: "hss-unable-to-comply", detail)
        case .success, .firstRegistration, .subsequentRegistration, .unregisteredService:
            Self(.serverInternalError, reason: "hss-incomplete-answer", detail)
        }
    }
}

/// Why `handleRegister` stops short of a 2xx or a challenge: the rejection and what its response carries besides.
struct RegisterRefusal: Error {
    var rejection: CSCFRejection
    /// For 423: the Min-Expires value.
    var minExpires: Int?
    /// A wrong response to a challenge, for per-IMPI and per-source failure counting.
    var authenticationFailed: Bool

    init(_ rejection: CSCFRejection, minExpires: Int? = nil, authenticationFailed: Bool = false) {
        self.rejection = rejection
        self.minExpires = minExpires
        self.authenticationFailed = authenticationFailed
    }
}
