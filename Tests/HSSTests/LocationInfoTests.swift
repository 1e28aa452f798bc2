import IMSInterfaces
import Testing

@testable import HSS

/// LIR (TS 29.228 §6.1.4.1): where a request to a public identity goes.
@Suite struct LocationInfoTests {
    let store: SQLiteSubscriberStore
    let hss: HomeSubscriberServer

    init() throws {
        store = try Lab.store()
        hss = HomeSubscriberServer(store: store, random: CountingRandom().bytes)
    }

    func lir(_ identity: PublicIdentity) throws -> LocationInfoAnswer {
        try hss.locationInfo(LocationInfoRequest(publicIdentity: identity))
    }

    func assign(_ identity: PublicIdentity, _ type: ServerAssignmentRequest.AssignmentType) throws {
        _ = try hss.serverAssignment(
            ServerAssignmentRequest(publicIdentity: identity, privateIdentity: nil, serverName: Lab.scscf, type: type))
    }

    @Test func unknownIdentity() throws {
        #expect(try lir(Lab.impu("sip:mallory@ims.gatehouse.test")) == LocationInfoAnswer(result: .userUnknown))
        #expect(try lir(Lab.impu("tel:+15550200000")).result == .userUnknown)
    }

    @Test func notRegisteredGetsCapabilitiesForUnregisteredService() throws {
        #expect(
            try lir(Lab.aliceTel)
                == LocationInfoAnswer(result: .unregisteredService, capabilities: Lab.aliceCapabilities))
    }

    @Test func registeredGetsItsServer() throws {
        try assign(Lab.aliceSIP, .registration)
        #expect(try lir(Lab.aliceTel) == LocationInfoAnswer(result: .success, serverName: Lab.scscf))
    }

    @Test func unregisteredGetsItsServer() throws {
        try assign(Lab.aliceSIP, .unregisteredUser)
        #expect(try lir(Lab.aliceTel) == LocationInfoAnswer(result: .unregisteredService, serverName: Lab.scscf))
        try assign(Lab.aliceSIP, .userDeregistration)
        #expect(try lir(Lab.aliceTel).capabilities == Lab.aliceCapabilities)
    }

    /// A number of the PBX's block names the wildcard, and is reached while the PBX's set is registered.
    @Test func wildcardedIdentity() throws {
        let number = Lab.impu("tel:+15550190042")
        #expect(
            try lir(number)
                == LocationInfoAnswer(
                    result: .unregisteredService, capabilities: Lab.pbx.capabilities, wildcardedIdentity: Lab.pbxBlock))
        try assign(Lab.pbxSIP, .registration)
        #expect(
            try lir(number)
                == LocationInfoAnswer(result: .success, serverName: Lab.scscf, wildcardedIdentity: Lab.pbxBlock))
        #expect(try lir(Lab.pbxSIP) == LocationInfoAnswer(result: .success, serverName: Lab.scscf))
    }
}
