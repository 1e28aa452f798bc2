import SIPMessage

extension TransactionMessages {
    /// Checks what every machine needs of the request it is created with, and returns its CSeq: a request whose
    /// method `isAllowed`, with From, To, Call-ID, a Via and a CSeq whose method is the request's (RFC 3261 §8.1.1).
    static func checkedCSeq(
        of request: SIPMessage, machine: String, isAllowed: (SIPMethod) -> Bool
    ) throws(TransactionError) -> CSeq {
        guard let method = request.method else {
            throw TransactionError(.wrongMessageKind, status: .serverInternalError, "\(machine) needs a request")
        }
        guard isAllowed(method) else {
            throw TransactionError(.wrongMethod, status: .serverInternalError, "\(machine) cannot carry \(method)")
        }
        let cseq: CSeq
        do {
            cseq = try request.cseq
            _ = try request.from
            _ = try request.to
            _ = try request.callID
            _ = try request.topVia
        } catch {
            throw TransactionError(.malformedMessage, "\(machine): \(error.detail)")
        }
        guard cseq.method == method else {
            throw TransactionError(.malformedMessage, "\(machine): CSeq method \(cseq.method) is not \(method)")
        }
        return cseq
    }
}
