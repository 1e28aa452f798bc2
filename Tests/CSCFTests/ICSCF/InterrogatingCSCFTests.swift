import CSCF
import IMSInterfaces
import SIPMessage
import Testing

/// The I-CSCF's user authorization and location queries, and its choice of S-CSCF (TS 24.229 §5.3.1.2, §5.3.2.1).
@Suite struct InterrogatingCSCFTests {
    typealias F = PCSCFFixtures

    static let first = InterrogatingCSCF.ServerEntry(name: "sip:scscf1.ims.gatehouse.test", capabilities: [1, 2])
    static let second = InterrogatingCSCF.ServerEntry(
        name: "sip:scscf2.ims.gatehouse.test", capabilities: [1, 2, 3, 4])
    static let third = InterrogatingCSCF.ServerEntry(name: "sip:scscf3.ims.gatehouse.test", capabilities: [5])

    private func icscf(
        _ hss: ICSCFFakeHSS, servers: [InterrogatingCSCF.ServerEntry] = [first, second, third]
    ) -> InterrogatingCSCF {
        InterrogatingCSCF(servers: servers, cx: hss)
    }

    // MARK: The query

    @Test func theQueryNamesTheRegisteredIdentities() throws {
        let hss = ICSCFFakeHSS { _ in
            UserAuthorizationAnswer(result: .subsequentRegistration, serverName: "sip:scscf2.ims.gatehouse.test")
        }
        let request = try F.register(extra: [#"P-Visited-Network-ID: "Visited \"net\"";x=1"#])
        #expect(try icscf(hss).selectServer(forRegister: request).get() == "sip:scscf2.ims.gatehouse.test")
        let asked = try #require(hss.userAuthorizationRequests.first)
        #expect(hss.userAuthorizationRequests.count == 1)
        #expect(asked.publicIdentity == F.alice)
        #expect(asked.privateIdentity == F.aliceIMPI)
        #expect(asked.visitedNetwork == #"Visited "net""#)
        #expect(asked.type == .registration)
    }

    @Test func withoutAuthorizationThePrivateIdentityIsDerivedFromTheTo() throws {
        let hss = ICSCFFakeHSS()
        let request = try F.register(to: "<sip:alice@IMS.gatehouse.test:5060;user=ip>;tag=x", authorization: nil)
        #expect(try icscf(hss).selectServer(forRegister: request).get() == Self.first.name)
        #expect(hss.userAuthorizationRequests.first?.privateIdentity == PrivateIdentity("alice@ims.gatehouse.test"))
        #expect(hss.userAuthorizationRequests.first?.visitedNetwork == nil)
    }

    @Test func aTelIdentityWithoutAuthorizationIsForbiddenWithoutAsking() throws {
        let hss = ICSCFFakeHSS()
        let request = try F.register(to: "<tel:+15550100001>", authorization: nil)
        let rejection = try #require(F.rejection(icscf(hss).selectServer(forRegister: request)))
        #expect(rejection.status.code == 403)
        #expect(rejection.reason == "no-private-identity")
        #expect(hss.userAuthorizationRequests.isEmpty)
    }

    @Test(arguments: [
        (contact: "<sip:alice@127.0.0.4:5060>", expires: 0),
        (contact: "<sip:alice@127.0.0.4:5060>;expires=0", expires: 600),
        (contact: "<sip:alice@127.0.0.4:5060>;expires=0, <sip:alice@127.0.0.4:5070>", expires: 0),
        (contact: "*", expires: 0),
    ])
    func removingEveryBindingIsADeregistration(_ register: (contact: String, expires: Int)) throws {
        let hss = ICSCFFakeHSS()
        _ = icscf(hss).selectServer(forRegister: try F.register(contact: register.contact, expires: register.expires))
        #expect(hss.userAuthorizationRequests.first?.type == .deregistration)
    }

    @Test(arguments: [
        (contact: "<sip:alice@127.0.0.4:5060>;expires=0, <sip:alice@127.0.0.4:5070>", expires: 600),
        (contact: "<sip:alice@127.0.0.4:5060>;expires=60", expires: 0),
    ])
    func keepingABindingIsARegistration(_ register: (contact: String, expires: Int)) throws {
        let hss = ICSCFFakeHSS()
        _ = icscf(hss).selectServer(forRegister: try F.register(contact: register.contact, expires: register.expires))
        #expect(hss.userAuthorizationRequests.first?.type == .registration)
    }

    // MARK: Selection

    @Test func anAssignedServerThatIsNotConfiguredIsReplacedByCapabilities() throws {
        let hss = ICSCFFakeHSS { request in
            request.type == .registrationAndCapabilities
                ? UserAuthorizationAnswer(
                    result: .success, capabilities: SCSCFCapabilities(mandatory: [1], optional: [3, 4]))
                : UserAuthorizationAnswer(result: .subsequentRegistration, serverName: "sip:gone.ims.gatehouse.test")
        }
        #expect(try icscf(hss).selectServer(forRegister: try F.register()).get() == Self.second.name)
        #expect(hss.userAuthorizationRequests.map(\.type) == [.registration, .registrationAndCapabilities])
        #expect(hss.userAuthorizationRequests.last?.publicIdentity == F.alice)
    }

    @Test func anAssignedNameMatchesAsAURI() throws {
        let hss = ICSCFFakeHSS { _ in
            UserAuthorizationAnswer(result: .subsequentRegistration, serverName: "sip:SCSCF3.ims.gatehouse.test")
        }
        #expect(try icscf(hss).selectServer(forRegister: try F.register()).get() == Self.third.name)
        #expect(hss.userAuthorizationRequests.count == 1)
    }

    @Test func capabilitiesChooseTheServer() throws {
        func choose(_ capabilities: SCSCFCapabilities?) throws -> String {
            let hss = ICSCFFakeHSS { _ in
                UserAuthorizationAnswer(result: .firstRegistration, capabilities: capabilities)
            }
            return try icscf(hss).selectServer(forRegister: try F.register()).get()
        }
        // All mandatory ones, then the most optional ones.
        #expect(try choose(SCSCFCapabilities(mandatory: [5])) == Self.third.name)
        #expect(try choose(SCSCFCapabilities(mandatory: [1], optional: [4])) == Self.second.name)
        #expect(try choose(SCSCFCapabilities(mandatory: [], optional: [5, 3])) == Self.second.name)
        // A tie goes to the first configured.
        #expect(try choose(SCSCFCapabilities(mandatory: [1, 2])) == Self.first.name)
        #expect(try choose(SCSCFCapabilities(mandatory: [], optional: [9])) == Self.first.name)
        #expect(try choose(nil) == Self.first.name)
    }

    @Test func noCapableServerIsBusyEverywhere() throws {
        let hss = ICSCFFakeHSS { _ in
            UserAuthorizationAnswer(result: .firstRegistration, capabilities: SCSCFCapabilities(mandatory: [1, 5]))
        }
        let rejection = try #require(F.rejection(icscf(hss).selectServer(forRegister: try F.register())))
        #expect(rejection.status.code == 600)
        #expect(rejection.reason == "no-capable-scscf")
        let none = try #require(F.rejection(icscf(hss, servers: []).selectServer(forRegister: try F.register())))
        #expect(none.status.code == 600)
    }

    // MARK: Failures

    @Test(arguments: [
        (CxResult.userUnknown, "user-unknown"), (.identitiesDontMatch, "identities-dont-match"),
        (.authorizationRejected, "authorization-rejected"), (.roamingNotAllowed, "roaming-not-allowed"),
        (.identityNotRegistered, "identity-not-registered"),
    ])
    func theHSSsRefusalsAreForbidden(_ refusal: (result: CxResult, reason: String)) throws {
        let hss = ICSCFFakeHSS { _ in UserAuthorizationAnswer(result: refusal.result) }
        let rejection = try #require(F.rejection(icscf(hss).selectServer(forRegister: try F.register())))
        #expect(rejection.status.code == 403)
        #expect(rejection.reason == refusal.reason)
    }

    @Test func anHSSThatCannotAnswerIsTemporarilyUnavailable() throws {
        let unreachable = ICSCFFakeHSS { _ in throw ICSCFFakeHSS.Unreachable() }
        let rejection = try #require(F.rejection(icscf(unreachable).selectServer(forRegister: try F.register())))
        #expect(rejection.status.code == 480)
        #expect(rejection.reason == "hss-unreachable")

        let failing = ICSCFFakeHSS { _ in UserAuthorizationAnswer(result: .unableToComply) }
        let failed = try #require(F.rejection(icscf(failing).selectServer(forRegister: try F.register())))
        #expect(failed.status.code == 480)
        #expect(failed.reason == "hss-error")

        // The second query, for capabilities, fails too.
        let halfway = ICSCFFakeHSS { request in
            if request.type == .registrationAndCapabilities { throw ICSCFFakeHSS.Unreachable() }
            return UserAuthorizationAnswer(result: .subsequentRegistration, serverName: "sip:gone.ims.gatehouse.test")
        }
        #expect(F.rejection(icscf(halfway).selectServer(forRegister: try F.register()))?.status.code == 480)
    }

    @Test func headersThatDoNotParseAreABadRequest() throws {
        let hss = ICSCFFakeHSS()
        let request = try F.register(authorization: "Digest username=")
        #expect(F.rejection(icscf(hss).selectServer(forRegister: request))?.status.code == 400)
        #expect(hss.userAuthorizationRequests.isEmpty)
    }

    // MARK: Terminating requests

    @Test func theServingServerIsWhereTerminatingRequestsGo() throws {
        let hss = ICSCFFakeHSS(lia: { _ in LocationInfoAnswer(result: .success, serverName: "sip:scscf9.example") })
        #expect(try icscf(hss).selectServer(forTerminating: F.aliceTel).get() == "sip:scscf9.example")
        #expect(hss.locationInfoRequests.map(\.publicIdentity) == [F.aliceTel])
    }

    @Test func unregisteredServiceIsServedByACapableServer() throws {
        let hss = ICSCFFakeHSS(lia: { _ in
            LocationInfoAnswer(result: .unregisteredService, capabilities: SCSCFCapabilities(mandatory: [3]))
        })
        #expect(try icscf(hss).selectServer(forTerminating: F.alice).get() == Self.second.name)
        let none = ICSCFFakeHSS(lia: { _ in
            LocationInfoAnswer(result: .unregisteredService, capabilities: SCSCFCapabilities(mandatory: [7]))
        })
        #expect(F.rejection(icscf(none).selectServer(forTerminating: F.alice))?.status.code == 600)
    }

    @Test func terminatingFailures() throws {
        func status(_ lia: @escaping @Sendable (LocationInfoRequest) throws -> LocationInfoAnswer) -> Int? {
            F.rejection(icscf(ICSCFFakeHSS(lia: lia)).selectServer(forTerminating: F.alice))?.status.code
        }
        #expect(status { _ in LocationInfoAnswer(result: .userUnknown) } == 404)
        #expect(status { _ in LocationInfoAnswer(result: .identityNotRegistered) } == 480)
        #expect(status { _ in LocationInfoAnswer(result: .unableToComply) } == 480)
        #expect(status { _ in throw ICSCFFakeHSS.Unreachable() } == 480)
    }
}
