import GatehousePolicy
import SIPMessage

extension SanityCheck {
    /// Headers that may appear at most once, beyond the eight `validate()` already counts (Call-ID, CSeq, From, To,
    /// Max-Forwards, Content-Length, Content-Type, Expires): those a border or a dialog acts on, where two values
    /// leave two parties free to read different ones (RFC 3261 §7.3.1: only list headers repeat).
    static let moreSingleValuedHeaders: [HeaderName] = [
        .contentDisposition, .event, .minExpires, .minSE, .rack, .referTo, .rseq, .sessionExpires,
        .subscriptionState, "Replaces", "Referred-By",
    ]

    /// The first of `moreSingleValuedHeaders` given more than once.
    func duplicatedHeader(_ message: SIPMessage) -> Failure? {
        message.headers.firstRepeated(among: Self.moreSingleValuedHeaders).map {
            Failure(.duplicateHeader, .badRequest, "\($0.canonical) appears more than once")
        }
    }
}
