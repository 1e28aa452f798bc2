import CSCF
import IMSInterfaces
import SIPMessage
import Testing

/// NOTIFYs after the subscription: registration changes, the end of the set, expiry, the subscriber's answers
/// (RFC 6665 §4.2.2, TS 24.229 §5.4.2.1.2).
@Suite struct RegEventNotifyTests {
    typealias F = RegEventFixtures

    /// A notifier with one subscription to alice (the UE) and one to bob.
    private func subscribed() throws -> RegEventNotifier {
        var notifier = F.notifier()
        _ = notifier.handleSubscribe(
            try F.subscribe(), from: F.flow, registration: F.registration(), authorized: true, now: F.start)
        let bobs = RegistrationChange(
            publicIdentities: [F.bob], privateIdentity: PrivateIdentity("bob@ims.gatehouse.test")!,
            contacts: F.registration().contacts)
        _ = notifier.handleSubscribe(
            try F.subscribe(uri: "sip:bob@ims.gatehouse.test", callID: "sub-bob"), from: nil, registration: bobs,
            authorized: true, now: F.start)
        #expect(notifier.subscriptionCount == 2)
        return notifier
    }

    private func version(_ notify: OutgoingNotify) -> String? {
        ParsedReginfo(Array(notify.request.body))?.all("reginfo").first?.attributes["version"]
    }

    @Test func changesAreNotifiedWithRisingVersionAndCSeq() throws {
        var notifier = try subscribed()
        let added = F.registration([
            ("sip:alice@127.0.0.4:5060", .active, nil), ("sip:alice@127.0.0.5:5060", .active, .created),
        ])
        let first = notifier.notifications(for: added, now: F.start + 10)
        #expect(first.count == 1)
        let notify = try #require(first.first)
        #expect(notify.flow == F.flow)
        #expect(try notify.request.callID.value == "sub-1@127.0.0.4")
        #expect(try notify.request.cseq == CSeq(2, .notify))
        #expect(version(notify) == "1")
        #expect(F.header(notify.request, .subscriptionState) == "active;expires=599990")
        let document = try #require(ParsedReginfo(Array(notify.request.body)))
        #expect(
            document.all("contact").map { $0.attributes["event"] } == [
                "registered", "created", "registered", "created",
            ])

        let removed = F.registration([
            ("sip:alice@127.0.0.4:5060", .active, nil), ("sip:alice@127.0.0.5:5060", .terminated, .unregistered),
        ])
        let second = try #require(notifier.notifications(for: removed, now: F.start + 20).first)
        #expect(try second.request.cseq == CSeq(3, .notify))
        #expect(version(second) == "2")
        let contacts = try #require(ParsedReginfo(Array(second.request.body))).all("contact")
        #expect(contacts[1].attributes["state"] == "terminated")
        #expect(contacts[1].attributes["expires"] == "0")
        #expect(notifier.subscriptionCount == 2)
    }

    @Test func theEndOfTheSetEndsItsSubscriptions() throws {
        var notifier = try subscribed()
        let ended = F.registration([("sip:alice@127.0.0.4:5060", .terminated, .deactivated)])
        let notifies = notifier.notifications(for: ended, now: F.start + 10)
        #expect(notifies.count == 1)
        let notify = try #require(notifies.first)
        #expect(F.header(notify.request, .subscriptionState) == "terminated;reason=noresource")
        let document = try #require(ParsedReginfo(Array(notify.request.body)))
        #expect(document.all("registration").allSatisfy { $0.attributes["state"] == "terminated" })
        #expect(document.all("contact").allSatisfy { $0.attributes["event"] == "deactivated" })
        #expect(notifier.subscriptionCount == 1)
        #expect(notifier.notifications(for: ended, now: F.start + 11).isEmpty)
    }

    @Test func subscriptionsTimeOut() throws {
        var notifier = F.notifier()
        _ = notifier.handleSubscribe(
            try F.subscribe(expires: 600), from: F.flow, registration: F.registration(), authorized: true, now: F.start)
        #expect(notifier.expire(now: F.start + 599).isEmpty)
        // Past its time, a change is no longer notified; the sweep ends the subscription.
        #expect(notifier.notifications(for: F.registration(), now: F.start + 600).isEmpty)
        let notifies = notifier.expire(now: F.start + 600)
        #expect(notifies.count == 1)
        let notify = try #require(notifies.first)
        #expect(F.header(notify.request, .subscriptionState) == "terminated;reason=timeout")
        #expect(try notify.request.cseq == CSeq(2, .notify))
        #expect(version(notify) == "1")
        #expect(notify.flow == F.flow)
        #expect(notifier.subscriptionCount == 0)
        #expect(notifier.expire(now: F.start + 700).isEmpty)
    }

    @Test func answersThatEndTheSubscriptionRemoveIt() throws {
        var notifier = try subscribed()
        notifier.notifyAnswered(callID: "sub-1@127.0.0.4", status: 200)
        notifier.notifyAnswered(callID: "sub-1@127.0.0.4", status: 500)
        notifier.notifyAnswered(callID: "unknown", status: 481)
        #expect(notifier.subscriptionCount == 2)
        notifier.notifyAnswered(callID: "sub-1@127.0.0.4", status: 481)
        #expect(notifier.subscriptionCount == 1)
        notifier.notifyAnswered(callID: "sub-bob", status: 408)
        #expect(notifier.subscriptionCount == 0)
    }
}
