/// Which end of a DTLS association a side is: the client sends the ClientHello, the server answers it.
public enum DTLSRole: Sendable, Hashable {
    case client
    case server
}

/// Why an offer and answer do not agree on who opens the DTLS association (RFC 4145 §4.1, RFC 5763 §5).
///
/// Shaped like the other Gatehouse errors (STYLE rule 4): tests and counters key on `code`; a SIP layer answers such
/// an exchange with 488 Not Acceptable Here.
public struct SetupNegotiationError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(detail)" }
}

extension SetupNegotiationError.Code {
    /// The answer says `actpass`, which only an offer may (RFC 4145 §4.1; RFC 5763 §5: "active or passive").
    public static let answerIsActpass = Self(rawValue: "answer-actpass")
    /// Both sides claim the same role (`active`/`active`, `passive`/`passive`), or one holds the connection while
    /// the other does not: no association can form.
    public static let conflictingRoles = Self(rawValue: "conflicting-setup-roles")
}

extension SetupRole {
    /// What `a=setup` means when it is absent: `active` in an offer, `passive` in an answer (RFC 4145 §4).
    public static let defaultInOffer = SetupRole.active
    public static let defaultInAnswer = SetupRole.passive

    /// The role an answerer takes for an offer (RFC 5763 §5, RFC 4145 §4.1): `active` for `actpass` (RECOMMENDED,
    /// because the handshake then runs in parallel with the answer's delivery), the opposite of `active` or
    /// `passive`, and `holdconn` for `holdconn`. A nil offer is read as `active` (RFC 4145 §4).
    public static func answer(toOffer offer: SetupRole?) -> SetupRole {
        switch offer ?? defaultInOffer {
        case .actpass, .passive: .active
        case .active: .passive
        case .holdconn: .holdconn
        }
    }
}

extension DTLSRole {
    /// This side's DTLS role once the offer/answer exchange is complete, or nil when either side says `holdconn`
    /// (no association yet). `active` is the client (RFC 5763 §5: "the endpoint that is active … initiates the
    /// DTLS handshake"). Absent attributes take RFC 4145's defaults.
    ///
    /// - Parameter localIsOfferer: whether this side wrote the offer (its role is then the offer's).
    public static func negotiate(
        offer: SetupRole?, answer: SetupRole?, localIsOfferer: Bool
    )
        throws(SetupNegotiationError) -> DTLSRole?
    {
        let offered = offer ?? SetupRole.defaultInOffer
        let answered = answer ?? SetupRole.defaultInAnswer
        // RFC 4145 §4.1: the answer's role is a definite one, chosen against the offer's.
        let answererIsActive: Bool
        switch (offered, answered) {
        case (_, .actpass):
            throw SetupNegotiationError(.answerIsActpass, "offer \(offered.rawValue), answer actpass")
        case (.holdconn, .holdconn), (.active, .holdconn), (.passive, .holdconn), (.actpass, .holdconn):
            return nil
        case (.actpass, .active), (.passive, .active):
            answererIsActive = true
        case (.actpass, .passive), (.active, .passive):
            answererIsActive = false
        case (.active, .active), (.passive, .passive), (.holdconn, .active), (.holdconn, .passive):
            throw SetupNegotiationError(
                .conflictingRoles, "offer \(offered.rawValue), answer \(answered.rawValue)")
        }
        return answererIsActive != localIsOfferer ? .client : .server
    }
}
