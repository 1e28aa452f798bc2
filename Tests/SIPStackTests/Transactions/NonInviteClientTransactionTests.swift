import SIPMessage
import Testing

@testable import SIPStack

/// RFC 3261 §17.1.2, driven event by event without a clock.
@Suite struct NonInviteClientTransactionTests {
    let register = TxnFixture.request(.register, branch: "z9hG4bKreg1", cseq: 2)

    func started(isReliable: Bool = false) throws -> NonInviteClientTransaction {
        var transaction = try NonInviteClientTransaction(request: register, isReliable: isReliable)
        _ = transaction.start()
        return transaction
    }

    @Test func startSendsTheRequestAndStartsTimersEAndF() throws {
        var transaction = try NonInviteClientTransaction(request: register, isReliable: false)
        #expect(
            transaction.start() == [
                .send(register), .startTimer(.timerE, after: .milliseconds(500)),
                .startTimer(.timerF, after: .seconds(32)),
            ])
        #expect(transaction.start().isEmpty)
    }

    @Test func timerEDoublesUpToT2InTrying() throws {
        var transaction = try started()
        var intervals: [Duration] = [.milliseconds(500)]
        for _ in 0..<6 {
            let actions = transaction.timerFired(.timerE)
            #expect(actions.sentMessages.count == 1, "the request was lost: retransmit")
            intervals += actions.starts(of: .timerE)
        }
        #expect(
            intervals == [
                .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(4), .seconds(4), .seconds(4),
            ])
        #expect(transaction.timerFired(.timerF) == [.timeout, .terminated])
        #expect(transaction.state == .terminated)
    }

    @Test func timerEIsT2InProceeding() throws {
        var transaction = try started()
        let trying = TxnFixture.response(100, to: register, toTag: nil)
        #expect(transaction.receive(response: trying) == [.passUp(trying)], "Timer E keeps running")
        #expect(transaction.state == .proceeding)
        #expect(transaction.timerFired(.timerE) == [.send(register), .startTimer(.timerE, after: .seconds(4))])
        #expect(transaction.timerFired(.timerE) == [.send(register), .startTimer(.timerE, after: .seconds(4))])
        #expect(transaction.receive(response: trying) == [.passUp(trying)])
        #expect(transaction.timerFired(.timerF) == [.timeout, .terminated], "Timer F also ends Proceeding")
    }

    @Test func finalResponseCompletesAndAbsorbsRetransmissions() throws {
        var transaction = try started()
        let ok = TxnFixture.response(200, to: register)
        #expect(
            transaction.receive(response: ok) == [
                .cancelTimer(.timerE), .cancelTimer(.timerF), .passUp(ok), .startTimer(.timerK, after: .seconds(5)),
            ])
        #expect(transaction.state == .completed)
        #expect(transaction.receive(response: ok).isEmpty, "duplicate final response absorbed")
        #expect(transaction.receive(response: TxnFixture.response(100, to: register)).isEmpty)
        #expect(transaction.timerFired(.timerE).isEmpty)
        #expect(transaction.timerFired(.timerF).isEmpty)
        #expect(transaction.transportFailed().isEmpty)
        #expect(transaction.timerFired(.timerK) == [.terminated])
    }

    @Test func failureFromProceeding() throws {
        var transaction = try started()
        _ = transaction.receive(response: TxnFixture.response(100, to: register))
        let unauthorized = TxnFixture.response(401, to: register)
        #expect(transaction.receive(response: unauthorized).passedUp.count == 1)
        #expect(transaction.state == .completed)
    }

    @Test func reliableHasNoTimerEAndNoTimerK() throws {
        var transaction = try NonInviteClientTransaction(request: register, isReliable: true)
        #expect(transaction.start() == [.send(register), .startTimer(.timerF, after: .seconds(32))])
        #expect(transaction.timerFired(.timerE).isEmpty)
        _ = transaction.receive(response: TxnFixture.response(100, to: register))
        #expect(transaction.timerFired(.timerE).isEmpty)
        let ok = TxnFixture.response(200, to: register)
        #expect(transaction.receive(response: ok) == [.passUp(ok), .terminated])
        #expect(transaction.state == .terminated)
    }

    @Test func transportFailure() throws {
        var trying = try started()
        #expect(trying.transportFailed() == [.transportError, .terminated])
        var proceeding = try started()
        _ = proceeding.receive(response: TxnFixture.response(100, to: register))
        #expect(proceeding.transportFailed() == [.transportError, .terminated])
    }

    @Test func malformedResponsesAreIgnored() throws {
        var transaction = try started()
        #expect(transaction.receive(response: TxnFixture.response(200, to: register, cseqMethod: .invite)).isEmpty)
        #expect(transaction.receive(response: TxnFixture.response(200, to: TxnFixture.request(.register))).isEmpty)
        #expect(transaction.receive(response: TxnFixture.response(700, to: register)).isEmpty)
        #expect(transaction.state == .trying(timerE: .milliseconds(500)))
    }

    @Test func inviteAndAckAreRefused() {
        for method in [SIPMethod.invite, .ack] {
            let error = #expect(throws: TransactionError.self) {
                try NonInviteClientTransaction(request: TxnFixture.request(method), isReliable: false)
            }
            #expect(error?.code == .wrongMethod)
        }
    }
}
