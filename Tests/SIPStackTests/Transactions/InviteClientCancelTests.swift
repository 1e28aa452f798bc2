import SIPMessage
import Testing

@testable import SIPStack

/// The CANCEL an INVITE client transaction builds (RFC 3261 §9.1).
@Suite struct InviteClientCancelTests {
    let invite = TxnFixture.invite

    @Test func cancelIsOnlyAllowedInProceeding() throws {
        var transaction = try InviteClientTransaction(request: invite, isReliable: false)
        _ = transaction.start()
        let early = #expect(throws: TransactionError.self) { try transaction.makeCancel() }
        #expect(early?.code == .cancelNotAllowed, "no provisional response yet")
        _ = transaction.receive(response: TxnFixture.response(180, to: invite))
        let cancel = try transaction.makeCancel()
        #expect(cancel.method == .cancel)
        _ = transaction.receive(response: TxnFixture.response(486, to: invite))
        let late = #expect(throws: TransactionError.self) { try transaction.makeCancel() }
        #expect(late?.code == .cancelNotAllowed, "a final response arrived")
    }

    @Test func cancelCopiesTheInvite() throws {
        var transaction = try InviteClientTransaction(request: invite, isReliable: false)
        _ = transaction.start()
        _ = transaction.receive(response: TxnFixture.response(180, to: invite))
        let cancel = try transaction.makeCancel()
        #expect(cancel.requestLine == RequestLine(method: .cancel, uri: "sip:bob@biloxi.example.com"))
        #expect(
            TxnFixture.headerLines(cancel) == [
                "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK74bf9",
                "Route: <sip:proxy1.example.com;lr>",
                "Route: <sip:proxy2.example.com;lr>",
                "Max-Forwards: 69",
                "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl",
                "To: Bob <sip:bob@biloxi.example.com>",
                "Call-ID: 3848276298220188511@atlanta.example.com",
                "CSeq: 314159 CANCEL",
            ])
        // The CANCEL is a transaction of its own: same branch, different key.
        let cancelKey = try TransactionKey(clientSide: cancel)
        #expect(cancelKey != transaction.key)
        #expect(cancelKey.branch == transaction.key.branch)
        var cancelTransaction = try NonInviteClientTransaction(request: cancel, isReliable: false)
        #expect(cancelTransaction.start().sentMessages.count == 1)
    }
}
