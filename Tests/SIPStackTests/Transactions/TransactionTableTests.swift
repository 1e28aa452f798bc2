import SIPMessage
import Testing

@testable import SIPStack

/// Routing through `TransactionTable`: creation, matching, forwarding of events, removal on Terminated, CANCEL.
@Suite struct TransactionTableTests {
    let invite = TxnFixture.invite

    @Test func clientTransactionsReceiveTheirResponses() throws {
        var table = TransactionTable()
        let (inviteKey, inviteActions) = try table.startClient(invite, isReliable: false)
        #expect(inviteActions.sentMessages.count == 1)
        let register = TxnFixture.request(.register, branch: "z9hG4bKreg")
        let (registerKey, _) = try table.startClient(register, isReliable: true)
        #expect(table.count == 2)
        guard case .inviteClient = table[inviteKey], case .nonInviteClient = table[registerKey] else {
            Issue.record("wrong machines")
            return
        }

        let ringing = TxnFixture.response(180, to: invite)
        #expect(
            table.receive(ringing)
                == .matched(inviteKey, [.cancelTimer(.timerA), .cancelTimer(.timerB), .passUp(ringing)]))
        let ok = TxnFixture.response(200, to: register)
        #expect(table.receive(ok) == .matched(registerKey, [.passUp(ok), .terminated]))
        #expect(table[registerKey] == nil, "terminated transactions leave the table")
        #expect(table.receive(ok) == .noMatch, "a stray response")
        #expect(table.receive(TxnFixture.response(200, to: TxnFixture.request(branch: "z9hG4bKunknown"))) == .noMatch)
        #expect(table.timerFired(.timerK, for: registerKey).isEmpty)

        let busy = TxnFixture.response(486, to: invite)
        guard case .matched(_, let actions) = table.receive(busy) else {
            Issue.record("no match")
            return
        }
        #expect(actions.sentMessages.map(\.method) == [.ack])
        #expect(table.timerFired(.timerD, for: inviteKey) == [.terminated])
        #expect(table.isEmpty)
    }

    @Test func serverTransactionsAnswerRetransmissionsAndAck() throws {
        var table = TransactionTable()
        #expect(table.receive(invite) == .noMatch, "a new request starts a transaction")
        let (key, actions) = try table.startServer(invite, isReliable: false)
        #expect(actions.passedUp.count == 1)
        let duplicate = #expect(throws: TransactionError.self) { try table.startServer(invite, isReliable: false) }
        #expect(duplicate?.code == .duplicateTransaction)

        let busy = TxnFixture.response(486, to: invite)
        #expect(table.sendResponse(busy, for: key).sentMessages.count == 1)
        #expect(table.receive(invite) == .matched(key, [.send(busy)]))
        let ack = TxnFixture.ack(for: invite)
        guard case .matched(key, _) = table.receive(ack) else {
            Issue.record("ACK did not match its INVITE")
            return
        }
        if case .inviteServer(let transaction) = table[key] { #expect(transaction.state == .confirmed) }
        #expect(table.transportFailed(for: key).isEmpty)
        #expect(table.timerFired(.timerI, for: key) == [.terminated])
        #expect(table.isEmpty)
    }

    @Test func ackForA2xxMatchesNothing() throws {
        var table = TransactionTable()
        let (key, _) = try table.startServer(invite, isReliable: false)
        _ = table.sendResponse(TxnFixture.response(200, to: invite), for: key)
        // The ACK for a 2xx is a new transaction (new branch): it goes to the dialog, not to the INVITE's.
        #expect(table.receive(TxnFixture.request(.ack, branch: "z9hG4bKack2xx", toTag: "8321234356")) == .noMatch)
        let ackError = #expect(throws: TransactionError.self) {
            try table.startServer(TxnFixture.request(.ack, branch: "z9hG4bKack2xx"), isReliable: false)
        }
        #expect(ackError?.code == .wrongMethod)
    }

    @Test func cancelFindsItsInviteServerTransaction() throws {
        var table = TransactionTable()
        let (inviteKey, _) = try table.startServer(invite, isReliable: false)
        let cancel = TxnFixture.request(.cancel)
        #expect(table.receive(cancel) == .noMatch, "CANCEL is a transaction of its own")
        #expect(table.inviteServerKey(cancelledBy: cancel) == inviteKey)
        let (cancelKey, cancelActions) = try table.startServer(cancel, isReliable: false)
        #expect(cancelActions == [.passUp(cancel)])
        #expect(cancelKey != inviteKey)
        #expect(table.count == 2)
        #expect(table.inviteServerKey(cancelledBy: TxnFixture.request(.cancel, branch: "z9hG4bKnone")) == nil)
        #expect(table.inviteServerKey(cancelledBy: TxnFixture.request(.bye)) == nil, "only a CANCEL cancels")
        #expect(
            table.inviteServerKey(cancelledBy: TxnFixture.request(.cancel, sentBy: "198.51.100.1")) == nil,
            "sent-by must match too")
    }

    @Test func cancelFindsALegacyInvite() throws {
        var table = TransactionTable()
        let legacy = TxnFixture.request(branch: "oldstyle")
        let (key, _) = try table.startServer(legacy, isReliable: false)
        #expect(table.inviteServerKey(cancelledBy: TxnFixture.request(.cancel, branch: "oldstyle")) == key)
    }

    @Test func eventsForUnknownKeysDoNothing() throws {
        var table = TransactionTable()
        let key = try TransactionKey(clientSide: invite)
        #expect(table.timerFired(.timerA, for: key).isEmpty)
        #expect(table.sendResponse(TxnFixture.response(200, to: invite), for: key).isEmpty)
        #expect(table.transportFailed(for: key).isEmpty)
        var garbage = invite
        garbage.headers.remove(.cseq)
        #expect(table.receive(garbage) == .noMatch)
        #expect(throws: TransactionError.self) { try table.startClient(garbage, isReliable: false) }
        #expect(table.isEmpty)
    }

    @Test func clientTransactionsIgnoreServerEvents() throws {
        var table = TransactionTable()
        let (key, _) = try table.startClient(invite, isReliable: false)
        #expect(table.sendResponse(TxnFixture.response(200, to: invite), for: key).isEmpty)
        #expect(table.transportFailed(for: key) == [.transportError, .terminated])
        #expect(table.isEmpty)
    }

    @Test func reliableServerTransactionEndsWithItsFinalResponse() throws {
        var table = TransactionTable()
        let options = TxnFixture.request(.options, branch: "z9hG4bKopt")
        let (key, _) = try table.startServer(options, isReliable: true)
        let ok = TxnFixture.response(200, to: options)
        #expect(table.sendResponse(ok, for: key) == [.send(ok), .terminated])
        #expect(table.receive(options) == .noMatch, "over TCP a late retransmission starts afresh")
    }
}
