import SIPMessage
import Testing

@testable import SIPStack

/// RFC 3261 §17.1.1 with RFC 6026 §7.2, driven event by event without a clock.
@Suite struct InviteClientTransactionTests {
    let invite = TxnFixture.invite

    func started(isReliable: Bool = false) throws -> InviteClientTransaction {
        var transaction = try InviteClientTransaction(request: invite, isReliable: isReliable)
        _ = transaction.start()
        return transaction
    }

    @Test func startSendsTheInviteAndStartsTimersAAndB() throws {
        var transaction = try InviteClientTransaction(request: invite, isReliable: false)
        let actions = transaction.start()
        #expect(
            actions == [
                .send(invite), .startTimer(.timerA, after: .milliseconds(500)),
                .startTimer(.timerB, after: .seconds(32)),
            ])
        #expect(transaction.state == .calling(timerA: .milliseconds(500)))
        #expect(transaction.start().isEmpty, "a second start does nothing")
    }

    @Test func reliableStartHasNoTimerA() throws {
        var transaction = try InviteClientTransaction(request: invite, isReliable: true)
        #expect(transaction.start() == [.send(invite), .startTimer(.timerB, after: .seconds(32))])
        #expect(transaction.timerFired(.timerA).isEmpty)
    }

    @Test func timerADoublesWithoutCapUntilTimerB() throws {
        var transaction = try started()
        var intervals: [Duration] = []
        for _ in 0..<6 {
            let actions = transaction.timerFired(.timerA)
            #expect(actions.sentMessages.count == 1, "each firing retransmits the INVITE (request lost)")
            intervals += actions.starts(of: .timerA)
        }
        #expect(intervals == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(32)])
        #expect(transaction.timerFired(.timerB) == [.timeout, .terminated])
        #expect(transaction.state == .terminated)
        #expect(transaction.timerFired(.timerA).isEmpty)
    }

    @Test func provisionalMovesToProceedingAndStopsRetransmissions() throws {
        var transaction = try started()
        let trying = TxnFixture.response(100, to: invite, toTag: nil)
        #expect(
            transaction.receive(response: trying) == [.cancelTimer(.timerA), .cancelTimer(.timerB), .passUp(trying)])
        #expect(transaction.state == .proceeding)
        let ringing = TxnFixture.response(180, to: invite)
        #expect(transaction.receive(response: ringing) == [.passUp(ringing)])
        #expect(transaction.receive(response: ringing) == [.passUp(ringing)], "duplicate 1xx go up as they come")
        #expect(transaction.timerFired(.timerA).isEmpty, "a stale Timer A is ignored in Proceeding")
        #expect(transaction.timerFired(.timerB).isEmpty, "Timer B only applies in Calling")
    }

    @Test func failureResponseIsAcknowledgedAndPassedUp() throws {
        var transaction = try started()
        _ = transaction.receive(response: TxnFixture.response(180, to: invite))
        let busy = TxnFixture.response(486, to: invite)
        let actions = transaction.receive(response: busy)
        #expect(actions.passedUp.map(TxnFixture.text) == [TxnFixture.text(busy)])
        #expect(actions.starts(of: .timerD) == [.seconds(32)])
        let ack = try #require(actions.sentMessages.first)
        guard case .completed(let stored) = transaction.state else {
            Issue.record("not Completed: \(transaction.state)")
            return
        }
        #expect(stored.serialize() == ack.serialize())

        // Final response lost on the way to the TU? No: the retransmission is re-ACKed and absorbed.
        #expect(transaction.receive(response: busy) == [.send(ack)])
        #expect(transaction.receive(response: TxnFixture.response(180, to: invite)).isEmpty)
        #expect(transaction.receive(response: TxnFixture.response(200, to: invite)).isEmpty)
        #expect(transaction.timerFired(.timerD) == [.terminated])
        #expect(transaction.receive(response: busy).isEmpty)
    }

    @Test func ackForNonSuccessCopiesTheRightHeaders() throws {
        var transaction = try started()
        let actions = transaction.receive(response: TxnFixture.response(404, to: invite, toTag: "xyz"))
        // From Calling, both timers stop.
        #expect(Array(actions.prefix(2)) == [.cancelTimer(.timerA), .cancelTimer(.timerB)])
        let ack = try #require(actions.sentMessages.first)
        #expect(ack.requestLine == RequestLine(method: .ack, uri: "sip:bob@biloxi.example.com"))
        #expect(
            TxnFixture.headerLines(ack) == [
                "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK74bf9",
                "Route: <sip:proxy1.example.com;lr>",
                "Route: <sip:proxy2.example.com;lr>",
                "Max-Forwards: 69",
                "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl",
                "To: Bob <sip:bob@biloxi.example.com>;tag=xyz",
                "Call-ID: 3848276298220188511@atlanta.example.com",
                "CSeq: 314159 ACK",
            ])
        #expect(try ack.to.tag == "xyz")
    }

    @Test func ackTakesOnlyTheFirstViaOfAListField() throws {
        var request = invite
        request.headers.remove(.via)
        request.headers.prepend(
            .via, "SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKone, SIP/2.0/UDP 192.0.2.11;branch=z9hG4bKtwo")
        var transaction = try InviteClientTransaction(request: request, isReliable: false)
        _ = transaction.start()
        let ack = try #require(transaction.receive(response: TxnFixture.response(500, to: request)).sentMessages.first)
        #expect(
            ack.headers.fieldValues(.via).map { String(decoding: $0, as: UTF8.self) } == [
                "SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKone"
            ])
    }

    @Test func reliableFailureTerminatesAtOnce() throws {
        var transaction = try started(isReliable: true)
        let busy = TxnFixture.response(486, to: invite)
        let actions = transaction.receive(response: busy)
        #expect(actions.count == 3)
        #expect(actions.sentMessages.first?.method == .ack)
        #expect(Array(actions.dropFirst()) == [.passUp(busy), .terminated])
        #expect(transaction.state == .terminated)
    }

    @Test func successMovesToAcceptedAndPassesEvery2xxUp() throws {
        var transaction = try started()
        let ok = TxnFixture.response(200, to: invite)
        #expect(
            transaction.receive(response: ok) == [
                .cancelTimer(.timerA), .cancelTimer(.timerB), .passUp(ok), .startTimer(.timerM, after: .seconds(32)),
            ])
        #expect(transaction.state == .accepted)
        #expect(transaction.receive(response: ok) == [.passUp(ok)], "2xx retransmission goes to the TU")
        let fork = TxnFixture.response(200, to: invite, toTag: "fork2")
        #expect(transaction.receive(response: fork) == [.passUp(fork)], "a forked 2xx goes to the TU")
        #expect(transaction.receive(response: TxnFixture.response(486, to: invite)).isEmpty)
        #expect(transaction.transportFailed().isEmpty)
        #expect(transaction.timerFired(.timerM) == [.terminated])
    }

    @Test func successFromProceedingCancelsNothing() throws {
        var transaction = try started(isReliable: true)
        _ = transaction.receive(response: TxnFixture.response(183, to: invite))
        let ok = TxnFixture.response(200, to: invite)
        #expect(transaction.receive(response: ok) == [.passUp(ok), .startTimer(.timerM, after: .seconds(32))])
    }

    @Test func malformedResponsesAreIgnored() throws {
        var transaction = try started()
        #expect(transaction.receive(response: TxnFixture.response(200, to: invite, cseqMethod: .bye)).isEmpty)
        #expect(transaction.receive(response: TxnFixture.response(486, to: TxnFixture.request(cseq: 9))).isEmpty)
        #expect(transaction.receive(response: TxnFixture.response(99, to: invite)).isEmpty)
        #expect(transaction.receive(response: invite).isEmpty, "a request is not a response")
        var noCSeq = TxnFixture.response(180, to: invite)
        noCSeq.headers.remove(.cseq)
        #expect(transaction.receive(response: noCSeq).isEmpty)
        #expect(transaction.state == .calling(timerA: .milliseconds(500)))
    }

    @Test func transportFailureInCallingAndCompleted() throws {
        var calling = try started()
        #expect(calling.transportFailed() == [.transportError, .terminated])
        var completed = try started()
        _ = completed.receive(response: TxnFixture.response(603, to: invite))
        #expect(completed.transportFailed() == [.transportError, .terminated])
        var proceeding = try started()
        _ = proceeding.receive(response: TxnFixture.response(180, to: invite))
        #expect(proceeding.transportFailed().isEmpty, "nothing is sent in Proceeding")
    }

    @Test func eventsBeforeStartDoNothing() throws {
        var transaction = try InviteClientTransaction(request: invite, isReliable: false)
        #expect(transaction.timerFired(.timerA).isEmpty)
        #expect(transaction.timerFired(.timerB).isEmpty)
        #expect(transaction.transportFailed().isEmpty)
    }

    @Test func creationChecksTheRequest() {
        #expect(throws: TransactionError.self) {
            try InviteClientTransaction(request: TxnFixture.request(.bye), isReliable: false)
        }
        let wrongKind = #expect(throws: TransactionError.self) {
            try InviteClientTransaction(request: TxnFixture.response(200, to: invite), isReliable: false)
        }
        #expect(wrongKind?.code == .wrongMessageKind)
        let mismatch = #expect(throws: TransactionError.self) {
            try InviteClientTransaction(request: TxnFixture.request(cseqMethod: .bye), isReliable: false)
        }
        #expect(mismatch?.code == .malformedMessage)
        #expect(mismatch?.status == .badRequest)
        var noBranch = invite
        noBranch.headers.set(.via, "SIP/2.0/UDP 192.0.2.10")
        let missing = #expect(throws: TransactionError.self) {
            try InviteClientTransaction(request: noBranch, isReliable: false)
        }
        #expect(missing?.code == .missingBranch)
    }

    @Test func customT1StretchesEveryTimer() throws {
        var transaction = try InviteClientTransaction(
            request: invite, isReliable: false, timers: TransactionTimers(t1: .seconds(1)))
        #expect(
            transaction.start() == [
                .send(invite), .startTimer(.timerA, after: .seconds(1)), .startTimer(.timerB, after: .seconds(64)),
            ])
    }
}
