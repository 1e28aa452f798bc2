import IMSInterfaces
import MRF
import SIPMessage
import Testing

@Suite struct MRFResourceTests {
    @Test func readsEachKindOfPSI() throws {
        #expect(try MRFResource(userPart: "announce=closed") == .announcement("closed"))
        #expect(try MRFResource(userPart: "conf=Team-1") == .conference("Team-1"))
        #expect(try MRFResource(userPart: "TONE=Busy") == .tone(.busy))
        #expect(try MRFResource(userPart: "menu=main") == .menu("main"))
        let uri = try URI(parsing: "sip:announce=unreachable@MRF.ims.gatehouse.test;transport=udp")
        #expect(try MRFResource(requestURI: uri, domain: "mrf.ims.gatehouse.test") == .announcement("unreachable"))
        #expect(try MRFResource(requestURI: uri, domain: "ims.gatehouse.test") == nil)
        #expect(try MRFResource(requestURI: URI(parsing: "tel:+15550100001"), domain: "mrf.example") == nil)
    }

    @Test func refusesWhatItDoesNotKnowWith404() {
        for (userPart, code) in [
            ("alice", MRFError.Code.unknownResource), ("announce=", .unknownResource), ("play=x", .unknownResource),
            ("tone=dial", .unknownTone),
        ] {
            do {
                _ = try MRFResource(userPart: userPart)
                Issue.record("\(userPart) accepted")
            } catch {
                #expect(error.code == code)
                #expect(error.status == .notFound)
            }
        }
    }

    @Test func makesThePSIOfAResource() {
        #expect(MRFResource.conference("team").psi(in: "mrf.example.net")?.value == "sip:conf=team@mrf.example.net")
        #expect(MRFResource.tone(.ringback).description == "tone=ringback")
    }

    @Test func configurationKnowsItsAnnouncementsAndMenus() throws {
        let configuration = MRFConfiguration(
            domain: "mrf.example", announcements: ["closed"],
            menus: ["main": MRFMenu(prompt: "closed", choices: ["1": .announcement("closed")])])
        try configuration.validate(.announcement("closed"))
        try configuration.validate(.menu("main"))
        try configuration.validate(.conference("any"))
        #expect(throws: MRFError.self) { try configuration.validate(.announcement("open")) }
        do {
            try configuration.validate(.menu("sales"))
        } catch {
            #expect(error.code == .unknownMenu && error.status.code == 404)
        }
        #expect(MRFMenu.Choice("announce=x") == .announcement("x"))
        #expect(MRFMenu.Choice("menu=y") == .menu("y"))
        #expect(MRFMenu.Choice("sip:operator@example.net") == .transfer("sip:operator@example.net"))
    }
}
