import SIPMessage
import Testing

@testable import SIPStack

/// RFC 3261 §17.2.1 with RFC 6026 §7.1, driven event by event without a clock.
@Suite struct InviteServerTransactionTests {
    let invite = TxnFixture.invite

    func started(isReliable: Bool = false) throws -> InviteServerTransaction {
        var transaction = try InviteServerTransaction(request: invite, isReliable: isReliable)
        #expect(transaction.start() == [.passUp(invite), .startTimer(.trying100, after: .milliseconds(200))])
        return transaction
    }

    @Test func tryingTimerSends100BuiltFromTheRequest() throws {
        var transaction = try started()
        #expect(transaction.receive(request: invite).isEmpty, "nothing to repeat yet")
        let actions = transaction.timerFired(.trying100)
        let trying = try #require(actions.sentMessages.first)
        #expect(actions.count == 1)
        #expect(trying.statusLine == StatusLine(.trying))
        #expect(
            TxnFixture.headerLines(trying) == [
                "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK74bf9",
                "Via: SIP/2.0/UDP 192.0.2.99;branch=z9hG4bKlower",
                "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl",
                "To: Bob <sip:bob@biloxi.example.com>",
                "Call-ID: 3848276298220188511@atlanta.example.com",
                "CSeq: 314159 INVITE",
                "Timestamp: 54",
            ])
        #expect(transaction.receive(request: invite) == [.send(trying)], "retransmission gets the 100")
        #expect(transaction.timerFired(.trying100).isEmpty)
        let ringing = TxnFixture.response(180, to: invite)
        #expect(transaction.sendResponse(ringing) == [.send(ringing)], "the 100 timer already fired")
        #expect(transaction.receive(request: invite) == [.send(ringing)], "the most recent provisional")
    }

    @Test func tuResponseCancelsTheTryingTimer() throws {
        var transaction = try started()
        let ringing = TxnFixture.response(180, to: invite)
        #expect(transaction.sendResponse(ringing) == [.cancelTimer(.trying100), .send(ringing)])
        #expect(transaction.state == .proceeding(lastProvisional: ringing))
        #expect(transaction.timerFired(.trying100).isEmpty, "a late firing is ignored")
    }

    @Test func zeroDelaySends100AtOnce() throws {
        var timers = TransactionTimers()
        timers.trying100Delay = .zero
        var transaction = try InviteServerTransaction(request: invite, isReliable: false, timers: timers)
        let actions = transaction.start()
        #expect(actions.sentMessages.map(\.statusCode) == [100])
        #expect(actions.passedUp.count == 1)
        #expect(actions.count == 2)
    }

    @Test func failureRetransmitsOnTimerGUntilTheAck() throws {
        var transaction = try started()
        let busy = TxnFixture.response(486, to: invite)
        #expect(
            transaction.sendResponse(busy) == [
                .cancelTimer(.trying100), .send(busy), .startTimer(.timerG, after: .milliseconds(500)),
                .startTimer(.timerH, after: .seconds(32)),
            ])
        // The final response is lost: Timer G retransmits it, doubling up to T2.
        var intervals: [Duration] = [.milliseconds(500)]
        for _ in 0..<5 {
            let actions = transaction.timerFired(.timerG)
            #expect(actions.sentMessages.map(\.statusCode) == [486])
            intervals += actions.starts(of: .timerG)
        }
        #expect(intervals == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(4), .seconds(4)])
        #expect(transaction.receive(request: invite) == [.send(busy)], "retransmitted INVITE gets the final response")
        #expect(transaction.sendResponse(TxnFixture.response(200, to: invite)).isEmpty)
        let ack = TxnFixture.ack(for: invite)
        #expect(
            transaction.receive(request: ack) == [
                .cancelTimer(.timerG), .cancelTimer(.timerH), .startTimer(.timerI, after: .seconds(5)),
            ])
        #expect(transaction.state == .confirmed)
        #expect(transaction.receive(request: ack).isEmpty, "duplicate ACK absorbed")
        #expect(transaction.receive(request: invite).isEmpty)
        #expect(transaction.timerFired(.timerG).isEmpty)
        #expect(transaction.transportFailed().isEmpty)
        #expect(transaction.timerFired(.timerI) == [.terminated])
    }

    @Test func ackLostMeansTimerH() throws {
        var transaction = try started()
        _ = transaction.sendResponse(TxnFixture.response(404, to: invite))
        _ = transaction.timerFired(.timerG)
        #expect(transaction.timerFired(.timerH) == [.timeout, .terminated])
        #expect(transaction.receive(request: TxnFixture.ack(for: invite)).isEmpty)
    }

    @Test func reliableFailureHasNoTimerGAndAckTerminates() throws {
        var transaction = try started(isReliable: true)
        let busy = TxnFixture.response(486, to: invite)
        #expect(
            transaction.sendResponse(busy) == [
                .cancelTimer(.trying100), .send(busy), .startTimer(.timerH, after: .seconds(32)),
            ])
        #expect(transaction.state == .completed(response: busy, timerG: nil))
        #expect(transaction.timerFired(.timerG).isEmpty)
        #expect(transaction.receive(request: TxnFixture.ack(for: invite)) == [.terminated])
    }

    @Test func successMovesToAccepted() throws {
        var transaction = try started()
        _ = transaction.sendResponse(TxnFixture.response(180, to: invite))
        let ok = TxnFixture.response(200, to: invite)
        #expect(transaction.sendResponse(ok) == [.send(ok), .startTimer(.timerL, after: .seconds(32))])
        #expect(transaction.state == .accepted)
        #expect(transaction.receive(request: invite).isEmpty, "INVITE retransmissions are absorbed, not passed up")
        #expect(transaction.sendResponse(ok) == [.send(ok)], "the TU's 2xx retransmission is sent")
        #expect(transaction.sendResponse(TxnFixture.response(486, to: invite)).isEmpty)
        let ack = TxnFixture.ack(for: invite)
        #expect(transaction.receive(request: ack) == [.passUp(ack)], "an ACK matched in Accepted goes to the TU")
        #expect(transaction.transportFailed() == [.transportError], "reported, but Accepted stays")
        #expect(transaction.state == .accepted)
        #expect(transaction.timerFired(.timerL) == [.terminated])
    }

    @Test func transportFailureInProceedingAndCompleted() throws {
        var proceeding = try started()
        _ = proceeding.sendResponse(TxnFixture.response(180, to: invite))
        #expect(proceeding.transportFailed() == [.transportError, .terminated])
        var completed = try started()
        _ = completed.sendResponse(TxnFixture.response(500, to: invite))
        #expect(completed.transportFailed() == [.transportError, .terminated])
    }

    @Test func malformedEventsAreIgnored() throws {
        var transaction = try started()
        #expect(transaction.sendResponse(TxnFixture.response(200, to: invite, cseqMethod: .bye)).isEmpty)
        #expect(transaction.sendResponse(TxnFixture.response(486, to: TxnFixture.request(cseq: 1))).isEmpty)
        #expect(transaction.receive(request: TxnFixture.ack(for: invite)).isEmpty, "ACK before a final response")
        #expect(transaction.receive(request: TxnFixture.request(.bye)).isEmpty)
        #expect(transaction.receive(request: TxnFixture.response(180, to: invite)).isEmpty)
        #expect(transaction.timerFired(.timerH).isEmpty)
        #expect(transaction.state == .proceeding(lastProvisional: nil))
    }

    @Test func creationChecksTheRequest() {
        let error = #expect(throws: TransactionError.self) {
            try InviteServerTransaction(request: TxnFixture.request(.ack), isReliable: false)
        }
        #expect(error?.code == .wrongMethod)
        var noCallID = invite
        noCallID.headers.remove(.callID)
        let malformed = #expect(throws: TransactionError.self) {
            try InviteServerTransaction(request: noCallID, isReliable: false)
        }
        #expect(malformed?.code == .malformedMessage)
        #expect(malformed?.status == .badRequest)
    }
}
