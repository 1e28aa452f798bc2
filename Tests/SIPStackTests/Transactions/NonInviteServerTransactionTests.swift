import SIPMessage
import Testing

@testable import SIPStack

/// RFC 3261 §17.2.2, driven event by event without a clock.
@Suite struct NonInviteServerTransactionTests {
    let bye = TxnFixture.request(.bye, branch: "z9hG4bKbye1", cseq: 231, toTag: "8321234356")

    func started(isReliable: Bool = false) throws -> NonInviteServerTransaction {
        var transaction = try NonInviteServerTransaction(request: bye, isReliable: isReliable)
        #expect(transaction.start() == [.passUp(bye)])
        return transaction
    }

    @Test func retransmissionsInTryingAreDiscarded() throws {
        var transaction = try started()
        #expect(transaction.start().isEmpty)
        #expect(transaction.receive(request: bye).isEmpty)
        #expect(transaction.state == .trying)
    }

    @Test func provisionalThenFinalOverUDP() throws {
        var transaction = try started()
        let trying = TxnFixture.response(100, to: bye)
        #expect(transaction.sendResponse(trying) == [.send(trying)])
        #expect(transaction.receive(request: bye) == [.send(trying)], "duplicate request answered with the 1xx")
        let ok = TxnFixture.response(200, to: bye)
        #expect(transaction.sendResponse(ok) == [.send(ok), .startTimer(.timerJ, after: .seconds(32))])
        #expect(transaction.state == .completed(response: ok))
        #expect(transaction.receive(request: bye) == [.send(ok)], "final response lost: the retransmission gets it")
        #expect(transaction.receive(request: bye) == [.send(ok)])
        #expect(transaction.sendResponse(TxnFixture.response(500, to: bye)).isEmpty, "one final response only")
        #expect(transaction.timerFired(.timerJ) == [.terminated])
        #expect(transaction.receive(request: bye).isEmpty)
    }

    @Test func finalFromTryingOverTCPTerminates() throws {
        var transaction = try started(isReliable: true)
        let ok = TxnFixture.response(200, to: bye)
        #expect(transaction.sendResponse(ok) == [.send(ok), .terminated])
        #expect(transaction.state == .terminated)
    }

    @Test func transportFailure() throws {
        var trying = try started()
        #expect(trying.transportFailed().isEmpty, "nothing was sent in Trying")
        var proceeding = try started()
        _ = proceeding.sendResponse(TxnFixture.response(100, to: bye))
        #expect(proceeding.transportFailed() == [.transportError, .terminated])
        var completed = try started()
        _ = completed.sendResponse(TxnFixture.response(481, to: bye))
        #expect(completed.transportFailed() == [.transportError, .terminated])
    }

    @Test func malformedEventsAreIgnored() throws {
        var transaction = try started()
        #expect(transaction.sendResponse(TxnFixture.response(200, to: bye, cseqMethod: .invite)).isEmpty)
        #expect(transaction.sendResponse(bye).isEmpty, "a request is not a response")
        #expect(transaction.receive(request: TxnFixture.request(.bye, cseq: 999)).isEmpty)
        #expect(transaction.receive(request: TxnFixture.response(200, to: bye)).isEmpty)
        #expect(transaction.timerFired(.timerJ).isEmpty)
        #expect(transaction.timerFired(.timerG).isEmpty)
        #expect(transaction.state == .trying)
    }
}
