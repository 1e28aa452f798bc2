import SIPMessage
import Testing

@testable import SIPStack

/// Matching of RFC 3261 §17.1.3 (client) and §17.2.3 (server), with the RFC 2543 fallback.
@Suite struct TransactionKeyTests {
    let invite = TxnFixture.invite

    @Test func clientKeyIsBranchAndCSeqMethod() throws {
        let key = try TransactionKey(clientSide: invite)
        #expect(try TransactionKey(clientSide: TxnFixture.response(180, to: invite)) == key)
        #expect(try TransactionKey(clientSide: TxnFixture.response(200, to: invite, toTag: "other")) == key)
        #expect(try TransactionKey(clientSide: TxnFixture.response(200, to: invite, cseqMethod: .cancel)) != key)
        #expect(try TransactionKey(clientSide: TxnFixture.request(branch: "z9hG4bKother")) != key)
        #expect(key.side == .client)
        #expect(key.method == .invite)
        #expect(key.branch == "z9hG4bK74bf9")
        #expect(try TransactionKey(clientSide: invite) != TransactionKey(serverSide: invite))
    }

    @Test func serverKeyMatchesRetransmissionAndAckButNotCancel() throws {
        let key = try TransactionKey(serverSide: invite)
        #expect(key.isRFC3261)
        #expect(try TransactionKey(serverSide: TxnFixture.request(.invite)) == key)
        #expect(try TransactionKey(serverSide: TxnFixture.ack(for: invite)) == key, "ACK matches its INVITE")
        #expect(try TransactionKey(serverSide: TxnFixture.request(.cancel)) != key, "CANCEL is its own transaction")
        #expect(try TransactionKey(serverSide: TxnFixture.request(.bye)) != key)
    }

    @Test func serverKeyIncludesSentBy() throws {
        let key = try TransactionKey(serverSide: TxnFixture.request(sentBy: "192.0.2.10"))
        #expect(try TransactionKey(serverSide: TxnFixture.request(sentBy: "192.0.2.10:5060")) == key, "default port")
        #expect(try TransactionKey(serverSide: TxnFixture.request(sentBy: "192.0.2.11")) != key)
        #expect(try TransactionKey(serverSide: TxnFixture.request(sentBy: "192.0.2.10:5070")) != key)
        let hostKey = try TransactionKey(serverSide: TxnFixture.request(sentBy: "PC33.Atlanta.example.com"))
        #expect(try TransactionKey(serverSide: TxnFixture.request(sentBy: "pc33.atlanta.example.com")) == hostKey)
    }

    @Test func rfc2543FallbackMatchesAckToInvite() throws {
        let legacyInvite = TxnFixture.request(branch: "1234")
        let key = try TransactionKey(serverSide: legacyInvite)
        #expect(!key.isRFC3261)
        #expect(key.branch == nil)
        #expect(try TransactionKey(serverSide: TxnFixture.request(branch: "1234")) == key, "retransmission")
        #expect(try TransactionKey(serverSide: TxnFixture.request(.ack, branch: "1234", toTag: "srv")) == key)
        #expect(try TransactionKey(serverSide: TxnFixture.request(.ack, branch: "5678", toTag: "srv")) != key)
        #expect(try TransactionKey(serverSide: TxnFixture.request(branch: "1234", fromTag: "other")) != key)
        #expect(try TransactionKey(serverSide: TxnFixture.request(branch: "1234", cseq: 2)) != key)
        #expect(try TransactionKey(serverSide: TxnFixture.request(branch: "1234", uri: "sip:carol@x.example")) != key)
        #expect(try TransactionKey(serverSide: TxnFixture.request(.cancel, branch: "1234")) != key)
    }

    @Test func rfc2543FallbackWithoutBranch() throws {
        var legacy = invite
        legacy.headers.remove(.via)
        legacy.headers.prepend(.via, "SIP/2.0/UDP 192.0.2.10:5060")
        let key = try TransactionKey(serverSide: legacy)
        #expect(!key.isRFC3261)
        var ack = TxnFixture.ack(for: invite)
        ack.headers.remove(.via)
        ack.headers.prepend(.via, "SIP/2.0/UDP 192.0.2.10:5060")
        #expect(try TransactionKey(serverSide: ack) == key)
        #expect(throws: TransactionError.self) { try TransactionKey(clientSide: legacy) }
    }

    @Test func rfc2543NonInviteKeyIncludesTheToTag() throws {
        let bye = TxnFixture.request(.bye, branch: "legacy", toTag: "a")
        let key = try TransactionKey(serverSide: bye)
        #expect(try TransactionKey(serverSide: TxnFixture.request(.bye, branch: "legacy", toTag: "a")) == key)
        #expect(try TransactionKey(serverSide: TxnFixture.request(.bye, branch: "legacy", toTag: "b")) != key)
    }

    @Test func malformedMessagesHaveNoKey() {
        let response = #expect(throws: TransactionError.self) {
            try TransactionKey(serverSide: TxnFixture.response(200, to: invite))
        }
        #expect(response?.code == .wrongMessageKind)
        var noVia = invite
        noVia.headers.remove(.via)
        #expect(
            (#expect(throws: TransactionError.self) { try TransactionKey(clientSide: noVia) })?.code
                == .malformedMessage)
        #expect(
            (#expect(throws: TransactionError.self) { try TransactionKey(serverSide: noVia) })?.code
                == .malformedMessage)
    }

    @Test func descriptionNamesTheParts() throws {
        #expect(try TransactionKey(clientSide: invite).description == "client z9hG4bK74bf9 INVITE")
        #expect(try TransactionKey(serverSide: invite).description == "server z9hG4bK74bf9 192.0.2.10:5060 INVITE")
    }
}
