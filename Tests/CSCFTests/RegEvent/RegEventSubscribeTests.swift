import CSCF
import IMSInterfaces
import SIPMessage
import Testing

/// SUBSCRIBE for the reg event: acceptance with its first NOTIFY, refresh, unsubscribe, and every refusal
/// (RFC 6665 §4.2.1, RFC 3680, TS 24.229 §5.4.2.1.1).
@Suite struct RegEventSubscribeTests {
    typealias F = RegEventFixtures

    private func accept(
        _ notifier: inout RegEventNotifier, _ request: SIPMessage, registration: RegistrationChange? = F.registration()
    ) throws -> (response: SIPMessage, notify: SIPMessage) {
        let outcome = notifier.handleSubscribe(
            request, from: F.flow, registration: registration, authorized: true, now: F.start)
        #expect(outcome.failure == nil)
        #expect(outcome.response.statusCode == 200)
        let notify = try #require(outcome.notify)
        #expect(notify.flow == F.flow)
        return (outcome.response, notify.request)
    }

    @Test func aSubscriptionIsAcceptedAndNotifiedWithTheFullState() throws {
        var notifier = F.notifier()
        let (response, notify) = try accept(&notifier, try F.subscribe())
        #expect(notifier.subscriptionCount == 1)

        // The 200 (RFC 6665 §4.2.1.1, RFC 3261 §12.1.1).
        let localTag = try #require(try F.notifierTag(response))
        #expect(!localTag.isEmpty)
        #expect(F.header(response, .expires) == "600000")
        #expect(F.header(response, .contact) == "<sip:scscf.ims.gatehouse.test>")
        #expect(
            F.text(response, .recordRoute) == [
                "<sip:scscf.ims.gatehouse.test;lr>", "<sip:term@pcscf.ims.gatehouse.test;lr>",
            ])
        #expect(try response.callID.value == "sub-1@127.0.0.4")

        // The NOTIFY (RFC 6665 §4.2.2, RFC 3261 §12.2.1.1).
        #expect(notify.method == .notify)
        #expect(notify.requestLine.map { String(decoding: $0.uri, as: UTF8.self) } == "sip:alice@127.0.0.4:5060")
        #expect(
            F.text(notify, .route) == [
                "<sip:scscf.ims.gatehouse.test;lr>", "<sip:term@pcscf.ims.gatehouse.test;lr>",
            ])
        #expect(!notify.headers.contains(.via))
        #expect(F.header(notify, .maxForwards) == "70")
        #expect(try notify.from.uriText == "sip:alice@ims.gatehouse.test")
        #expect(try notify.from.tag == localTag)
        #expect(try notify.to.uriText == "sip:alice@ims.gatehouse.test")
        #expect(try notify.to.tag == "ue-sub-1")
        #expect(try notify.callID.value == "sub-1@127.0.0.4")
        #expect(try notify.cseq == CSeq(1, .notify))
        #expect(F.header(notify, .event) == "reg")
        #expect(F.header(notify, .subscriptionState) == "active;expires=600000")
        #expect(F.header(notify, .contact) == "<sip:scscf.ims.gatehouse.test>")
        #expect(F.header(notify, .contentType) == "application/reginfo+xml")

        let document = try #require(ParsedReginfo(Array(notify.body)))
        let reginfo = try #require(document.all("reginfo").first)
        #expect(reginfo.namespace == "urn:ietf:params:xml:ns:reginfo")
        #expect(reginfo.attributes["version"] == "0")
        #expect(reginfo.attributes["state"] == "full")
        let registrations = document.all("registration")
        #expect(registrations.map { $0.attributes["aor"] } == [F.alice.value, F.aliceTel.value])
        #expect(registrations.allSatisfy { $0.attributes["state"] == "active" })
        #expect(Set(registrations.compactMap { $0.attributes["id"] }).count == 2)
        let contacts = document.all("contact")
        #expect(contacts.count == 2)
        #expect(contacts.first?.attributes["state"] == "active")
        #expect(contacts.first?.attributes["event"] == "registered")
        #expect(contacts.first?.attributes["expires"] == "3600")
        #expect(contacts.first?.attributes["callid"] == "reg-1@127.0.0.4")
        #expect(contacts.first?.attributes["cseq"] == "2")
        #expect(document.all("uri").map(\.text) == ["sip:alice@127.0.0.4:5060", "sip:alice@127.0.0.4:5060"])
        #expect(
            document.all("unknown-param").first?.text == "<urn:uuid:00000000-0000-1000-8000-000A95A0E128>")
    }

    @Test func theEventIdAndAStrictRouteAreHonoured() throws {
        var notifier = F.notifier()
        let (_, notify) = try accept(
            &notifier, try F.subscribe(event: "reg;id=7", recordRoute: ["<sip:strict.ims.gatehouse.test>"]))
        #expect(F.header(notify, .event) == "reg;id=7")
        // RFC 3261 §12.2.1.1: a strict router goes into the Request-URI, the remote target to the end of Route.
        #expect(notify.requestLine.map { String(decoding: $0.uri, as: UTF8.self) } == "sip:strict.ims.gatehouse.test")
        #expect(F.text(notify, .route) == ["<sip:alice@127.0.0.4:5060>"])
    }

    @Test func withoutExpiresTheDefaultIsGrantedAndLongOnesAreShortened() throws {
        var notifier = F.notifier()
        let (response, notify) = try accept(&notifier, try F.subscribe(expires: nil))
        #expect(F.header(response, .expires) == "3761")
        #expect(F.header(notify, .subscriptionState) == "active;expires=3761")
        let (long, _) = try accept(&notifier, try F.subscribe(expires: 9_000_000, callID: "sub-2"))
        #expect(F.header(long, .expires) == "600000")
    }

    @Test func aRefreshRenewsAndNotifiesAgain() throws {
        var notifier = F.notifier()
        let (response, _) = try accept(&notifier, try F.subscribe())
        let tag = try #require(try F.notifierTag(response))
        let later = F.start + 100
        let outcome = notifier.handleSubscribe(
            try F.subscribe(expires: 1200, toTag: tag, cseq: 2, contact: "<sip:alice@127.0.0.4:5070>"), from: F.flow,
            registration: F.registration(), authorized: true, now: later)
        #expect(outcome.response.statusCode == 200)
        #expect(F.header(outcome.response, .expires) == "1200")
        let notify = try #require(outcome.notify?.request)
        #expect(try notify.cseq == CSeq(2, .notify))
        #expect(F.header(notify, .subscriptionState) == "active;expires=1200")
        #expect(ParsedReginfo(Array(notify.body))?.all("reginfo").first?.attributes["version"] == "1")
        // The refresh's Contact is the new remote target.
        #expect(notify.requestLine.map { String(decoding: $0.uri, as: UTF8.self) } == "sip:alice@127.0.0.4:5070")
        #expect(notifier.subscriptionCount == 1)
        // Expired 1200 s after the refresh, not before.
        #expect(notifier.expire(now: later + 1199).isEmpty)
        #expect(notifier.expire(now: later + 1200).count == 1)
    }

    @Test func anUnsubscribeEndsWithAFinalNotify() throws {
        var notifier = F.notifier()
        let (response, _) = try accept(&notifier, try F.subscribe())
        let tag = try #require(try F.notifierTag(response))
        let outcome = notifier.handleSubscribe(
            try F.subscribe(expires: 0, toTag: tag, cseq: 2), from: F.flow, registration: F.registration(),
            authorized: true, now: F.start + 5)
        #expect(outcome.response.statusCode == 200)
        #expect(F.header(outcome.response, .expires) == "0")
        let notify = try #require(outcome.notify?.request)
        #expect(F.header(notify, .subscriptionState) == "terminated;reason=timeout")
        #expect(try notify.cseq == CSeq(2, .notify))
        #expect(ParsedReginfo(Array(notify.body)) != nil)
        #expect(notifier.subscriptionCount == 0)
        // The dialog is gone.
        let again = notifier.handleSubscribe(
            try F.subscribe(toTag: tag, cseq: 3), from: F.flow, registration: F.registration(), authorized: true,
            now: F.start + 6)
        #expect(again.response.statusCode == 481)
    }

    @Test func aFetchAnswersWithTheStateAndKeepsNothing() throws {
        var notifier = F.notifier()
        let (response, notify) = try accept(&notifier, try F.subscribe(expires: 0))
        #expect(F.header(response, .expires) == "0")
        #expect(F.header(notify, .subscriptionState) == "terminated;reason=timeout")
        #expect(ParsedReginfo(Array(notify.body))?.all("contact").count == 2)
        #expect(notifier.subscriptionCount == 0)
    }

    // MARK: Refusals

    @Test func anotherEventIsABadEvent() throws {
        var notifier = F.notifier()
        for event in ["presence", "REG", nil] as [String?] {
            let outcome = notifier.handleSubscribe(
                try F.subscribe(event: event), from: F.flow, registration: F.registration(), authorized: true,
                now: F.start)
            #expect(outcome.response.statusCode == 489, "\(event ?? "no Event")")
            #expect(outcome.failure?.reason == "bad-event")
            #expect(F.header(outcome.response, .allowEvents) == "reg")
            #expect(try outcome.response.to.tag != nil)
            #expect(outcome.notify == nil)
        }
        #expect(notifier.subscriptionCount == 0)
    }

    @Test func aSubscribeWithoutContactOrFromTagIsABadRequest() throws {
        var notifier = F.notifier()
        let noContact = notifier.handleSubscribe(
            try F.subscribe(contact: nil), from: F.flow, registration: F.registration(), authorized: true, now: F.start)
        #expect(noContact.response.statusCode == 400)
        #expect(noContact.failure?.reason == "missing-contact")
        let wildcard = notifier.handleSubscribe(
            try F.subscribe(contact: "*"), from: F.flow, registration: F.registration(), authorized: true, now: F.start)
        #expect(wildcard.response.statusCode == 400)
        let noTag = notifier.handleSubscribe(
            try F.subscribe(fromTag: ""), from: F.flow, registration: F.registration(), authorized: true, now: F.start)
        #expect(noTag.response.statusCode == 400)
        #expect(notifier.subscriptionCount == 0)
    }

    @Test func anIdentityWithoutRegistrationIsTemporarilyUnavailable() throws {
        var notifier = F.notifier()
        let terminated = F.registration([("sip:alice@127.0.0.4:5060", .terminated, .unregistered)])
        for registration in [nil, terminated, F.registration(identities: [F.bob])] as [RegistrationChange?] {
            let outcome = notifier.handleSubscribe(
                try F.subscribe(), from: F.flow, registration: registration, authorized: true, now: F.start)
            #expect(outcome.response.statusCode == 480)
            #expect(outcome.failure?.reason == "not-registered")
        }
        #expect(notifier.subscriptionCount == 0)
    }

    @Test func anUnauthorizedSubscriberIsForbidden() throws {
        var notifier = F.notifier()
        let outcome = notifier.handleSubscribe(
            try F.subscribe(), from: F.flow, registration: F.registration(), authorized: false, now: F.start)
        #expect(outcome.response.statusCode == 403)
        #expect(outcome.notify == nil)
        #expect(notifier.subscriptionCount == 0)
        // Authorization withdrawn at a refresh ends the subscription.
        let (response, _) = try accept(&notifier, try F.subscribe())
        let tag = try #require(try F.notifierTag(response))
        let refresh = notifier.handleSubscribe(
            try F.subscribe(toTag: tag, cseq: 2), from: F.flow, registration: F.registration(), authorized: false,
            now: F.start)
        #expect(refresh.response.statusCode == 403)
        #expect(notifier.subscriptionCount == 0)
    }

    @Test func aTooShortSubscriptionIsTooBrief() throws {
        var notifier = F.notifier()
        let outcome = notifier.handleSubscribe(
            try F.subscribe(expires: 30), from: F.flow, registration: F.registration(), authorized: true, now: F.start)
        #expect(outcome.response.statusCode == 423)
        #expect(F.header(outcome.response, .minExpires) == "60")
        #expect(notifier.subscriptionCount == 0)
    }

    @Test func refreshesOfUnknownDialogsOrOutOfOrderAreRefused() throws {
        var notifier = F.notifier()
        let (response, _) = try accept(&notifier, try F.subscribe(cseq: 5))
        let tag = try #require(try F.notifierTag(response))
        let unknown = notifier.handleSubscribe(
            try F.subscribe(toTag: "not-mine", cseq: 6), from: F.flow, registration: F.registration(),
            authorized: true, now: F.start)
        #expect(unknown.response.statusCode == 481)
        #expect(try unknown.response.to.tag == "not-mine")
        let otherEventID = notifier.handleSubscribe(
            try F.subscribe(event: "reg;id=2", toTag: tag, cseq: 6), from: F.flow, registration: F.registration(),
            authorized: true, now: F.start)
        #expect(otherEventID.response.statusCode == 481)
        let stale = notifier.handleSubscribe(
            try F.subscribe(toTag: tag, cseq: 4), from: F.flow, registration: F.registration(), authorized: true,
            now: F.start)
        #expect(stale.response.statusCode == 500)
        #expect(notifier.subscriptionCount == 1)
    }

    // MARK: Bounds

    @Test func theOldestSubscriptionOfAnIdentityMakesRoom() throws {
        var notifier = F.notifier(perIdentity: 2)
        var tags: [String] = []
        for index in 1...3 {
            let (response, _) = try accept(&notifier, try F.subscribe(callID: "sub-\(index)"))
            tags.append(try #require(try F.notifierTag(response)))
        }
        #expect(notifier.subscriptionCount == 2)
        let oldest = notifier.handleSubscribe(
            try F.subscribe(callID: "sub-1", toTag: tags[0], cseq: 2), from: F.flow, registration: F.registration(),
            authorized: true, now: F.start)
        #expect(oldest.response.statusCode == 481)
        let newest = notifier.handleSubscribe(
            try F.subscribe(callID: "sub-3", toTag: tags[2], cseq: 2), from: F.flow, registration: F.registration(),
            authorized: true, now: F.start)
        #expect(newest.response.statusCode == 200)
    }

    @Test func beyondTheOverallCapSubscriptionsAreRefused() throws {
        var notifier = F.notifier(maxSubscriptions: 2, perIdentity: 10)
        _ = try accept(&notifier, try F.subscribe(callID: "sub-1"))
        _ = try accept(&notifier, try F.subscribe(callID: "sub-2"))
        let third = notifier.handleSubscribe(
            try F.subscribe(callID: "sub-3"), from: F.flow, registration: F.registration(), authorized: true,
            now: F.start)
        #expect(third.response.statusCode == 503)
        #expect(third.failure?.reason == "subscription-limit")
        #expect(notifier.subscriptionCount == 2)
        // A fetch keeps nothing, so it is still answered.
        let fetch = notifier.handleSubscribe(
            try F.subscribe(expires: 0, callID: "sub-4"), from: F.flow, registration: F.registration(),
            authorized: true, now: F.start)
        #expect(fetch.response.statusCode == 200)
    }
}
