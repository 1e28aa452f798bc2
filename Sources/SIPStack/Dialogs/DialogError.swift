import SIPMessage

/// Why a dialog refused a message, with the status a UAS answers (STYLE rule 4: codes as static lets, so new codes
/// never break a caller, and tests assert on codes).
public struct DialogError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    /// The response a UAS sends for this error (for a request), or the status to report (for a response).
    public var status: SIPStatus
    public var detail: String

    public init(_ code: Code, status: SIPStatus, _ detail: String) {
        self.code = code
        self.status = status
        self.detail = detail
    }

    /// A header the dialog needs could not be parsed; the parse error's code is in the detail.
    init(parsing error: SIPParseError) {
        self.init(.badHeader, status: error.status, "\(error.code): \(error.detail)")
    }

    public var description: String { "\(code.rawValue) (\(status.code)): \(detail)" }
}

extension DialogError.Code {
    /// The response cannot create a dialog: not 101–299, a 1xx without a To tag, or a request that is not one
    /// (RFC 3261 §12.1).
    public static let notDialogCreating = Self(rawValue: "not-dialog-creating")
    /// A tag the dialog needs is missing (RFC 3261 §12.1.1: the UAS's To tag).
    public static let missingTag = Self(rawValue: "missing-tag")
    /// The message lacks the Contact a dialog takes its remote target from (RFC 3261 §12.1.1, §12.1.2).
    public static let missingContact = Self(rawValue: "missing-contact")
    /// A header the dialog reads is malformed (From, To, Call-ID, CSeq, Contact, Record-Route).
    public static let badHeader = Self(rawValue: "bad-header")
    /// Call-ID or tags do not match this dialog: 481 (RFC 3261 §12.2.2).
    public static let mismatchedDialog = Self(rawValue: "mismatched-dialog")
    /// The dialog is terminated: 481 (RFC 3261 §12.2.2).
    public static let dialogTerminated = Self(rawValue: "dialog-terminated")
    /// The request's CSeq is lower than the remote sequence number: 500 (RFC 3261 §12.2.2).
    public static let cseqOutOfOrder = Self(rawValue: "cseq-out-of-order")
}
