import CSCF
import IMSInterfaces
import SIPMessage
import Testing

/// The S-CSCF's answers on their way to the UE, and what the P-CSCF remembers of them (TS 24.229 §5.2.2.1, §5.2.3).
@Suite struct ProxyCSCFRegistrationTests {
    typealias F = PCSCFFixtures

    // MARK: Responses

    @Test func theAccessKeysNeverReachTheUE() throws {
        var proxy = F.proxy()
        let request = try F.register()
        var challenge = SIPMessage.response(to: request, status: .unauthorized, toTag: "scscf-1")
        challenge.headers.append(
            .wwwAuthenticate,
            #"Digest realm="ims.gatehouse.test", nonce="CjPk9mRqNuT25eRkajM09uTl9nM09uTl9nMz5OX25PZz==", "#
                + #"algorithm=AKAv1-MD5, qop="auth", ik="0123456789abcdef0123456789abcdef", "#
                + #"ck="fedcba9876543210fedcba9876543210""#)
        challenge.headers.append(UEFlow.headerName, "udp:127.0.0.4:5060")
        challenge.headers.append(.pChargingVector, "icid-value=abc")
        let toUE = proxy.registerResponse(challenge, answering: request, from: F.udpFlow, now: F.start)
        let challenges = try toUE.headers.all(.wwwAuthenticate, as: Challenge.self)
        #expect(challenges.count == 1)
        #expect(challenges.first?.ik == nil)
        #expect(challenges.first?.ck == nil)
        #expect(challenges.first?.nonce == "CjPk9mRqNuT25eRkajM09uTl9nM09uTl9nMz5OX25PZz==")
        #expect(challenges.first?.realm == "ims.gatehouse.test")
        #expect(challenges.first?.qopOptions == ["auth"])
        let wire = String(decoding: toUE.serialize(), as: UTF8.self)
        #expect(!wire.contains("0123456789abcdef"))
        #expect(!wire.contains("ik="))
        #expect(!toUE.headers.contains(UEFlow.headerName))
        #expect(!toUE.headers.contains(.pChargingVector))
        #expect(proxy.registrationCount == 0)
    }

    @Test func aChallengeThatDoesNotParseIsRemovedWhole() throws {
        var proxy = F.proxy()
        let request = try F.register()
        var challenge = SIPMessage.response(to: request, status: .unauthorized, toTag: "scscf-1")
        challenge.headers.append(.wwwAuthenticate, #"Digest realm="ims", stale=maybe, ik="0123""#)
        let toUE = proxy.registerResponse(challenge, answering: request, from: F.udpFlow, now: F.start)
        #expect(!toUE.headers.contains(.wwwAuthenticate))
    }

    // MARK: Recording

    @Test func aSuccessfulRegistrationIsRecordedForTheFlow() throws {
        var proxy = F.proxy()
        let request = try F.register()
        let ok = F.ok(
            to: request,
            contacts: ["<sip:alice@127.0.0.4:5060>;expires=600", "<sip:alice@127.0.0.5:5060>;expires=3600"],
            serviceRoute: ["<sip:orig@scscf.ims.gatehouse.test;lr>", "<sip:second@scscf.ims.gatehouse.test;lr>"],
            extra: ["P-Charging-Function-Addresses: ccf=192.0.2.10"])
        let toUE = proxy.registerResponse(ok, answering: request, from: F.udpFlow, now: F.start)
        #expect(!toUE.headers.contains(.pChargingFunctionAddresses))
        #expect(PCSCFFixtures.text(toUE, .serviceRoute).count == 2)
        let registration = try #require(proxy.registration(at: F.udpFlow))
        #expect(registration.flow == F.udpFlow)
        #expect(registration.privateIdentity == F.aliceIMPI)
        #expect(registration.associatedIdentities == [F.alice, F.aliceTel])
        #expect(registration.defaultIdentity == F.alice)
        #expect(registration.mayAssert(F.aliceTel))
        #expect(!registration.mayAssert(PublicIdentity(parsing: "sip:bob@ims.gatehouse.test")!))
        #expect(
            registration.serviceRoute == [
                "<sip:orig@scscf.ims.gatehouse.test;lr>", "<sip:second@scscf.ims.gatehouse.test;lr>",
            ])
        // Only the contact this UE registered; the other belongs to another device of alice's.
        #expect(registration.contacts == ["sip:alice@127.0.0.4:5060"])
        #expect(registration.expiresAt == F.start + 600)
        #expect(proxy.registrationCount == 1)
        #expect(proxy.registration(at: F.tlsFlow) == nil)
    }

    @Test func withoutAssociatedURIsTheRegisteredIdentityIsTheOneToAssert() throws {
        var proxy = F.proxy()
        let request = try F.register()
        let ok = F.ok(to: request, contacts: ["<sip:alice@127.0.0.4:5060>;expires=600"], associated: [])
        _ = proxy.registerResponse(ok, answering: request, from: F.udpFlow, now: F.start)
        #expect(proxy.registration(at: F.udpFlow)?.associatedIdentities == [F.alice])
    }

    @Test func theResponseExpiresAppliesToContactsWithoutTheirOwn() throws {
        var proxy = F.proxy()
        let request = try F.register()
        var ok = F.ok(to: request, contacts: ["<sip:alice@127.0.0.4:5060>"])
        ok.headers.append(.expires, Expires(1200))
        _ = proxy.registerResponse(ok, answering: request, from: F.udpFlow, now: F.start)
        #expect(proxy.registration(at: F.udpFlow)?.expiresAt == F.start + 1200)
    }

    @Test func aReRegistrationRefreshesAndADeregistrationForgets() throws {
        var proxy = try F.registered(expires: 600)
        let refresh = try F.register(cseq: 2)
        _ = proxy.registerResponse(
            F.ok(to: refresh, contacts: ["<sip:alice@127.0.0.4:5060>;expires=900"]), answering: refresh,
            from: F.udpFlow, now: F.start + 300)
        #expect(proxy.registration(at: F.udpFlow)?.expiresAt == F.start + 1200)

        let deregister = try F.register(expires: 0, cseq: 3)
        _ = proxy.registerResponse(
            F.ok(to: deregister, contacts: ["<sip:alice@127.0.0.5:5060>;expires=3000"]), answering: deregister,
            from: F.udpFlow, now: F.start + 400)
        #expect(proxy.registration(at: F.udpFlow) == nil)
        #expect(proxy.registrationCount == 0)
    }

    @Test func aSecondContactOverTheFlowJoinsTheFirst() throws {
        var proxy = try F.registered(expires: 600)
        // A refresh without credentials, for another contact; the 200 lists both.
        let second = try F.register(contact: "<sip:alice@127.0.0.4:5070>", authorization: nil, cseq: 2)
        _ = proxy.registerResponse(
            F.ok(
                to: second,
                contacts: ["<sip:alice@127.0.0.4:5060>;expires=500", "<sip:alice@127.0.0.4:5070>;expires=900"]),
            answering: second, from: F.udpFlow, now: F.start + 100)
        let registration = try #require(proxy.registration(at: F.udpFlow))
        #expect(registration.contacts == ["sip:alice@127.0.0.4:5060", "sip:alice@127.0.0.4:5070"])
        #expect(registration.expiresAt == F.start + 1000)
        #expect(registration.privateIdentity == F.aliceIMPI)
        proxy.expire(now: F.start + 600)
        #expect(proxy.registration(at: F.udpFlow)?.contacts == ["sip:alice@127.0.0.4:5070"])
    }

    @Test func identitiesFollowTheSetsRegisteredOverTheFlow() throws {
        var proxy = try F.registered()
        // A second, separate set: its identities are added.
        let other = try F.register(to: "<sip:alice.work@ims.gatehouse.test>", cseq: 2)
        _ = proxy.registerResponse(
            F.ok(
                to: other, contacts: ["<sip:alice@127.0.0.4:5060>;expires=600"],
                associated: ["<sip:alice.work@ims.gatehouse.test>"]),
            answering: other, from: F.udpFlow, now: F.start)
        let work = PublicIdentity(parsing: "sip:alice.work@ims.gatehouse.test")!
        #expect(proxy.registration(at: F.udpFlow)?.associatedIdentities == [F.alice, F.aliceTel, work])
        // Re-registering the first set, now without the tel identity (barred since): it is no longer asserted.
        let again = try F.register(cseq: 3)
        _ = proxy.registerResponse(
            F.ok(
                to: again, contacts: ["<sip:alice@127.0.0.4:5060>;expires=600"],
                associated: ["<sip:alice@ims.gatehouse.test>"]),
            answering: again, from: F.udpFlow, now: F.start)
        #expect(proxy.registration(at: F.udpFlow)?.associatedIdentities == [F.alice])
    }

    @Test func anotherUEOnTheSameFlowReplacesTheRegistration() throws {
        var proxy = try F.registered()
        let bob = try F.register(
            contact: "<sip:bob@127.0.0.4:5060>", to: "<sip:bob@ims.gatehouse.test>",
            authorization: F.authorization(username: "bob@ims.gatehouse.test"))
        _ = proxy.registerResponse(
            F.ok(
                to: bob, contacts: ["<sip:bob@127.0.0.4:5060>;expires=600"],
                associated: ["<sip:bob@ims.gatehouse.test>"]
            ), answering: bob, from: F.udpFlow, now: F.start)
        let registration = try #require(proxy.registration(at: F.udpFlow))
        #expect(registration.privateIdentity == PrivateIdentity("bob@ims.gatehouse.test"))
        #expect(registration.associatedIdentities == [PublicIdentity(parsing: "sip:bob@ims.gatehouse.test")!])
        #expect(registration.contacts == ["sip:bob@127.0.0.4:5060"])
    }

    @Test func aContactWithExpiryZeroIsDropped() throws {
        var proxy = F.proxy()
        let request = try F.register(contact: "<sip:alice@127.0.0.4:5060>, <sip:alice@127.0.0.4:5070>")
        _ = proxy.registerResponse(
            F.ok(
                to: request,
                contacts: ["<sip:alice@127.0.0.4:5060>;expires=0", "<sip:alice@127.0.0.4:5070>;expires=60"]),
            answering: request, from: F.udpFlow, now: F.start)
        #expect(proxy.registration(at: F.udpFlow)?.contacts == ["sip:alice@127.0.0.4:5070"])
    }

    @Test func aWildcardDeregistrationForgets() throws {
        var proxy = try F.registered()
        let request = try F.register(contact: "*", expires: 0, cseq: 2)
        _ = proxy.registerResponse(F.ok(to: request, contacts: []), answering: request, from: F.udpFlow, now: F.start)
        #expect(proxy.registration(at: F.udpFlow) == nil)
    }

    @Test func aQueryChangesNothing() throws {
        var proxy = try F.registered()
        let before = proxy.registration(at: F.udpFlow)
        var query = try F.register(cseq: 2)
        query.headers.remove(.contact)
        _ = proxy.registerResponse(F.ok(to: query, contacts: []), answering: query, from: F.udpFlow, now: F.start + 10)
        #expect(proxy.registration(at: F.udpFlow) == before)
    }

    @Test func aFailureRecordsNothing() throws {
        var proxy = F.proxy()
        let request = try F.register()
        let forbidden = SIPMessage.response(to: request, status: .forbidden, toTag: "x")
        _ = proxy.registerResponse(forbidden, answering: request, from: F.udpFlow, now: F.start)
        #expect(proxy.registrationCount == 0)
    }

    // MARK: Changes from the registrar and expiry

    private func change(
        contact: String = "sip:alice@127.0.0.4:5060", state: ContactChange.State, event: ContactChange.Event,
        identities: [PublicIdentity] = [F.alice, F.aliceTel], receivedFrom: String? = nil,
        expiresAt: Timestamp = F.start + 600, others: [ContactChange] = []
    ) -> RegistrationChange {
        let binding = ContactBinding(
            publicIdentity: identities[0], privateIdentity: F.aliceIMPI, contact: contact, callID: "reg-1@127.0.0.4",
            cseq: 1, expiresAt: expiresAt, registeredAt: F.start, receivedFrom: receivedFrom)
        return RegistrationChange(
            publicIdentities: identities, privateIdentity: F.aliceIMPI,
            contacts: [ContactChange(binding: binding, state: state, event: event)] + others)
    }

    private func activeOther() -> ContactChange {
        let binding = ContactBinding(
            publicIdentity: F.alice, privateIdentity: F.aliceIMPI, contact: "sip:alice@127.0.0.9:5060",
            callID: "other", cseq: 1, expiresAt: F.start + 600, registeredAt: F.start)
        return ContactChange(binding: binding, state: .active, event: nil)
    }

    @Test func aTerminatedContactIsForgotten() throws {
        var proxy = try F.registered()
        proxy.apply(change(state: .terminated, event: .deactivated, others: [activeOther()]))
        #expect(proxy.registration(at: F.udpFlow) == nil)
    }

    @Test func aTerminatedSetIsForgotten() throws {
        var proxy = try F.registered()
        // The change names the tel identity only through the set, and another contact of the set.
        let binding = ContactBinding(
            publicIdentity: F.aliceTel, privateIdentity: F.aliceIMPI, contact: "sip:alice@127.0.0.9:5060",
            callID: "other", cseq: 1, expiresAt: F.start, registeredAt: F.start)
        proxy.apply(
            RegistrationChange(
                publicIdentities: [F.aliceTel], privateIdentity: F.aliceIMPI,
                contacts: [ContactChange(binding: binding, state: .terminated, event: .expired)]))
        #expect(proxy.registration(at: F.udpFlow) == nil)
    }

    @Test func anActiveContactTakesTheNewExpiry() throws {
        var proxy = try F.registered()
        proxy.apply(change(state: .active, event: .refreshed, expiresAt: F.start + 5000))
        #expect(proxy.registration(at: F.udpFlow)?.expiresAt == F.start + 5000)
    }

    @Test func changesOfOtherSetsAndOtherFlowsLeaveTheRegistrationAlone() throws {
        var proxy = try F.registered()
        let before = proxy.registration(at: F.udpFlow)
        proxy.apply(
            change(
                state: .terminated, event: .deactivated,
                identities: [PublicIdentity(parsing: "sip:bob@ims.gatehouse.test")!]))
        #expect(proxy.registration(at: F.udpFlow) == before)
        // The same private Contact registered by another UE behind another NAT.
        proxy.apply(
            change(
                state: .terminated, event: .deactivated, receivedFrom: "udp:192.0.2.44:5060", others: [activeOther()]))
        #expect(proxy.registration(at: F.udpFlow) == before)
        // The binding of this flow, spelt with the flow.
        proxy.apply(
            change(
                state: .terminated, event: .unregistered, receivedFrom: "udp:127.0.0.4:5060", others: [activeOther()]))
        #expect(proxy.registration(at: F.udpFlow) == nil)
    }

    @Test func registrationsExpire() throws {
        var proxy = try F.registered(expires: 600)
        proxy.expire(now: F.start + 599)
        #expect(proxy.registrationCount == 1)
        proxy.expire(now: F.start + 600)
        #expect(proxy.registrationCount == 0)
        #expect(proxy.registration(at: F.udpFlow) == nil)
    }
}
