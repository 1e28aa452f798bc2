import SIPMessage

extension InviteClientTransaction {
    /// The CANCEL for this INVITE (RFC 3261 §9.1): same Request-URI, Call-ID, To, From and CSeq number, method
    /// CANCEL, the INVITE's top Via only (so it has the INVITE's branch), and its Route header fields. The caller
    /// sends it in a non-INVITE client transaction of its own.
    ///
    /// - Throws: `.cancelNotAllowed` unless the machine is in Proceeding: §9.1 forbids a CANCEL before a
    ///   provisional response has arrived, and a CANCEL after a final response has nothing to cancel.
    public func makeCancel() throws(TransactionError) -> SIPMessage {
        guard case .proceeding = state else {
            throw TransactionError(
                .cancelNotAllowed, status: .serverInternalError,
                "a CANCEL may only follow a provisional response, before a final one (RFC 3261 §9.1)")
        }
        guard let cancel = TransactionMessages.cancel(for: request) else {
            throw TransactionError(.malformedMessage, "the INVITE lacks a header the CANCEL copies")
        }
        return cancel
    }
}
