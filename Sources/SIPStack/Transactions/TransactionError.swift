import SIPMessage

/// Why a transaction could not be created or asked for something (STYLE rule 4): a `code` tests and counters key on,
/// the `status` a server would answer (for a request that arrived off the wire), and a `detail` for the log line.
///
/// Events a running machine receives never throw: a malformed or out-of-place event is ignored (an empty action
/// list), as RFC 3261 §17 absorbs what it does not expect. Only creating a transaction and building a CANCEL throw.
public struct TransactionError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    public var status: SIPStatus
    public var detail: String

    public init(_ code: Code, status: SIPStatus = .badRequest, _ detail: String) {
        self.code = code
        self.status = status
        self.detail = detail
    }

    public var description: String { "\(code.rawValue) (\(status.code)): \(detail)" }
}

extension TransactionError.Code {
    /// A response where a request was expected, or the other way round.
    public static let wrongMessageKind = Self(rawValue: "wrong-message-kind")
    /// The method does not fit the machine (an INVITE given to a non-INVITE transaction, an ACK to any client).
    public static let wrongMethod = Self(rawValue: "wrong-method")
    /// A header the transaction needs (Via, CSeq, Call-ID, From, To) is missing or malformed.
    public static let malformedMessage = Self(rawValue: "malformed-message")
    /// The top Via has no branch parameter, so the message cannot be matched to a transaction.
    public static let missingBranch = Self(rawValue: "missing-branch")
    /// A transaction with this key already exists in the table.
    public static let duplicateTransaction = Self(rawValue: "duplicate-transaction")
    /// No transaction with this key exists in the table.
    public static let unknownTransaction = Self(rawValue: "unknown-transaction")
    /// A CANCEL was asked for before a provisional response or after a final one (RFC 3261 §9.1).
    public static let cancelNotAllowed = Self(rawValue: "cancel-not-allowed")
}
