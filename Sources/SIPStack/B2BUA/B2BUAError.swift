import SIPMessage

/// Why a message could not be mapped from one leg to the other, with the answer the receiving leg gets
/// (STYLE rule 4: codes as static lets, one place that maps a rejection to its status).
public struct B2BUAError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    /// The response to send on the leg the request came from (meaningless for an ACK, which is dropped).
    public var status: SIPStatus
    public var detail: String
    /// For `.badExtension`: the option tags to list in the 420's Unsupported header (RFC 3261 §8.2.2.3).
    public var unsupported: [OptionTag]
    /// For `.sessionIntervalTooSmall`: the Min-SE of the 422 (RFC 4028 §6).
    public var minSE: UInt32?
    /// For `.pendingRequest` when it answers 500: the Retry-After seconds (RFC 3261 §14.2).
    public var retryAfter: UInt32?

    public init(
        _ code: Code, status: SIPStatus, _ detail: String, unsupported: [OptionTag] = [], minSE: UInt32? = nil,
        retryAfter: UInt32? = nil
    ) {
        self.code = code
        self.status = status
        self.detail = detail
        self.unsupported = unsupported
        self.minSE = minSE
        self.retryAfter = retryAfter
    }

    init(parsing error: SIPParseError) {
        self.init(.badHeader, status: error.status, "\(error.code): \(error.detail)")
    }

    init(dialog error: DialogError) {
        self.init(.dialogRefused, status: error.status, "\(error.code): \(error.detail)")
    }

    public var description: String { "\(code.rawValue) (\(status.code)): \(detail)" }

    /// Adds the headers this rejection's status calls for to the response that carries it: Unsupported on a 420,
    /// Min-SE on a 422, Retry-After on a 500 for a pending request.
    public func decorate(_ response: inout SIPMessage) {
        if !unsupported.isEmpty {
            response.headers.append(.unsupported, unsupported.map(\.name).joined(separator: ", "))
        }
        if let minSE { response.headers.append(.minSE, MinSE(seconds: minSE)) }
        if let retryAfter { response.headers.append(.retryAfter, "\(retryAfter)") }
    }
}

extension B2BUAError.Code {
    /// Max-Forwards was 0: 483 Too Many Hops (RFC 3261 §16.3 step 3, §8.2 for a UAS that forwards).
    public static let tooManyHops = Self(rawValue: "too-many-hops")
    /// A header the mapping reads is malformed: 400 (the parse error's code is in the detail).
    public static let badHeader = Self(rawValue: "bad-header")
    /// Require names an extension Gatehouse does not support: 420 with Unsupported (RFC 3261 §8.2.2.3).
    public static let badExtension = Self(rawValue: "bad-extension")
    /// `makeOutgoingInvite` was given something other than an INVITE without To tag.
    public static let notInitialInvite = Self(rawValue: "not-initial-invite")
    /// The message belongs to neither leg of this call (Call-ID or tags): 481.
    public static let unknownLeg = Self(rawValue: "unknown-leg")
    /// The leg the request must go to has no dialog yet (no tagged response came back on it): 481.
    public static let noDialog = Self(rawValue: "no-dialog")
    /// The receiving leg's dialog refused the request (481 mismatch or terminated, 500 CSeq out of order).
    public static let dialogRefused = Self(rawValue: "dialog-refused")
    /// A CANCEL that matches no pending initial INVITE, or one already answered: nothing is sent on.
    public static let nothingToCancel = Self(rawValue: "nothing-to-cancel")
    /// A request's Session-Expires is below the Min-SE of the policy: 422 with Min-SE (RFC 4028 §6).
    public static let sessionIntervalTooSmall = Self(rawValue: "session-interval-too-small")
    /// A re-INVITE crossed one Gatehouse sent on the same leg: 491 (RFC 3261 §14.2, glare); or arrived while the
    /// peer's previous re-INVITE is still unanswered: 500 with Retry-After.
    public static let pendingRequest = Self(rawValue: "pending-request")
    /// A PRACK whose RAck is malformed or names another INVITE: 481 (RFC 3262 §7.2, §4).
    public static let badRAck = Self(rawValue: "bad-rack")
}
