import CSCF
import IMSInterfaces
import SIPMessage
import Testing

/// The I-CSCF's location query for sessions (TS 24.229 §5.3.2.1) and the BGCF's "not served here".
struct TerminatingLocationTests {
    static let domain = "ims.gatehouse.test"
    static let bobTel = PublicIdentity(parsing: "tel:+15550100002")!

    static func icscf(known: Set<PublicIdentity>) -> (InterrogatingCSCF, ICSCFFakeHSS) {
        let hss = ICSCFFakeHSS(lia: { request in
            known.contains(request.publicIdentity)
                ? LocationInfoAnswer(result: .success, serverName: "sip:scscf.ims.gatehouse.test")
                : LocationInfoAnswer(result: .userUnknown)
        })
        return (InterrogatingCSCF(servers: [.init(name: "sip:scscf.ims.gatehouse.test")], cx: hss), hss)
    }

    @Test func aNumberAsSIPURIIsAskedForAsTelURI() throws {
        let (icscf, hss) = Self.icscf(known: [Self.bobTel])
        let location = icscf.locate(
            try URI(parsing: "sip:+15550100002@ims.gatehouse.test;user=phone"), homeDomain: Self.domain)
        #expect(location == .served(identity: Self.bobTel, server: "sip:scscf.ims.gatehouse.test"))
        #expect(hss.locationInfoRequests.map(\.publicIdentity) == [Self.bobTel])
        let plain = icscf.locate(try URI(parsing: "sip:+15550100002@ims.gatehouse.test"), homeDomain: Self.domain)
        #expect(plain == .served(identity: Self.bobTel, server: "sip:scscf.ims.gatehouse.test"))
    }

    @Test func unknownNumbersAndForeignDomainsBreakOutUnknownHomeUsersAreNotFound() throws {
        let (icscf, _) = Self.icscf(known: [])
        #expect(icscf.locate(try URI(parsing: "tel:+15551230000"), homeDomain: Self.domain) == .breakout)
        #expect(
            icscf.locate(try URI(parsing: "sip:+15551230000@ims.gatehouse.test;user=phone"), homeDomain: Self.domain)
                == .breakout)
        #expect(icscf.locate(try URI(parsing: "sip:carol@example.net"), homeDomain: Self.domain) == .breakout)
        guard
            case .refused(let rejection) = icscf.locate(
                try URI(parsing: "sip:nobody@ims.gatehouse.test"), homeDomain: Self.domain)
        else {
            Issue.record("an unknown home user was not refused")
            return
        }
        #expect(rejection.status == .notFound)
    }

    @Test func anHSSFailureIsNotABreakout() throws {
        let hss = ICSCFFakeHSS(lia: { _ in throw ICSCFFakeHSS.Unreachable() })
        let icscf = InterrogatingCSCF(servers: [.init(name: "sip:scscf.ims.gatehouse.test")], cx: hss)
        guard case .refused(let rejection) = icscf.locate(try URI(parsing: "tel:+15551230000"), homeDomain: Self.domain)
        else {
            Issue.record("an unreachable HSS led to a breakout")
            return
        }
        #expect(rejection.status == .temporarilyUnavailable)
    }
}
