import GatehousePolicy
import SIPMessage
import Testing

@testable import Border

/// Number portability steering routing (RFC 4694 §5): a routing number (`rn`) in the Request-URI or in an ENUM
/// answer is routed by the policy's `number_prefix` routes, while the Request-URI keeps the dialled number with
/// `;rn=…;npdi`; `npdi` alone routes by the dialled number. And a tel Request-URI asks the routes like the SIP URI
/// it would be.
struct PortedNumberRoutingTests {
    /// `fixed` serves +4420 (127.0.0.3), `mobile` serves the ported-to range +447700 (127.0.0.4), `other`
    /// (127.0.0.5) only appears in the static table, for routing numbers no route places.
    static let border = BorderPolicy(
        policy: try! PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: t }
                realms:
                  access: { listen: ["udp://127.0.0.10:5060"] }
                  interconnect: { listen: ["udp://127.0.0.20:5060"] }
                peers:
                  pbx: { realm: access, addresses: [127.0.0.2] }
                  fixed: { realm: interconnect, addresses: [127.0.0.3] }
                  mobile: { realm: interconnect, addresses: [127.0.0.4] }
                  other: { realm: interconnect, addresses: [127.0.0.5] }
                enum:
                  use_dns: false
                  static: { "+4420": peer:fixed, "+447911": peer:other, "+449": reject:604 }
                routes:
                  - { id: mobile, match: { number_prefix: "+447700" }, to: "peer:mobile" }
                  - { id: premium, match: { number_prefix: "+4490" }, to: "reject:403" }
                  - { id: by-enum, match: { number_prefix: "+44" }, to: enum }
                """, file: "test.yaml"))

    static let dialled = try! E164Number(parsing: "+442079460000")

    static func query(_ requestURI: String) throws -> RouteQuery {
        let request = try SIPMessage(
            parsing: [
                "INVITE \(requestURI) SIP/2.0", "Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-1",
                "From: <sip:caller@127.0.0.2>;tag=1", "To: <\(requestURI)>", "Call-ID: c1", "CSeq: 1 INVITE",
                "Max-Forwards: 70", "Content-Length: 0",
            ].joined(separator: "\r\n") + "\r\n\r\n")
        return RouteQuery(request: request, sourceRealm: "access", sourcePeer: "pbx", method: .invite)
    }

    static func pstnAnswer(_ result: String, service: String = "E2U+pstn:sip") -> ENUMAnswer {
        .records([ENUMRecord(order: 10, preference: 10, flags: "u", services: service, regexp: "!^.*$!\(result)!")])
    }

    static func route(_ answer: ENUMAnswer) throws -> ENUMRoute {
        var trace = PipelineTrace.off
        return border.enumRoute(
            for: dialled, answer: answer, query: try query("sip:+442079460000@127.0.0.10"), trace: &trace)
    }

    @Test func aTelRequestURIAsksTheRoutesByItsNumber() throws {
        let query = try Self.query("tel:+442079460000;npdi")
        #expect(query.user == "+442079460000;npdi")
        #expect(query.requestURIHost == nil)
        #expect(query.routingNumber == nil)
        #expect(Self.border.policy.routes.decide(query).routeID == "by-enum")
    }

    @Test func aRoutingNumberInTheRequestURIDecidesTheRoute() throws {
        for uri in [
            "sip:+442079460000;npdi;rn=+447700900123@127.0.0.10;user=phone",
            "tel:+442079460000;rn=+447700900123;npdi",
            // A local routing number under a global context (RFC 4694 §4).
            "tel:+442079460000;npdi;rn=7700900123;rn-context=+44",
        ] {
            let query = try Self.query(uri)
            #expect(query.routingNumber == "+447700900123", "\(uri)")
            let decision = Self.border.policy.routes.decide(query)
            #expect(decision.routeID == "mobile", "\(uri)")
            #expect(decision.matched == ["number_prefix +447700 (rn +447700900123, dialled +442079460000)"], "\(uri)")
        }
        // `user` patterns still see the dialled number; `npdi` alone routes by it.
        #expect(try Self.query("sip:+447700900123;npdi@127.0.0.10").routingNumber == nil)
        #expect(Self.border.policy.routes.decide(try Self.query("sip:+442079460000;npdi@h")).routeID == "by-enum")
    }

    /// RFC 4769 `E2U+pstn:sip` with `rn`: the routes place the routing number (peer `mobile`), not the answer's
    /// host (`fixed`); the callee's user keeps the dialled number and the dip's result.
    @Test func aPortedENUMAnswerIsRoutedByItsRoutingNumber() throws {
        let route = try Self.route(
            Self.pstnAnswer("sip:+442079460000;npdi;rn=+447700900123@127.0.0.3;user=phone"))
        #expect(
            route
                == .peer(
                    Self.border.policy.peer(named: "mobile")!,
                    via: try URI(
                        parsing: "sip:+442079460000;npdi;rn=+447700900123@127.0.0.3;user=phone")))
        #expect(route.requestUser == "+442079460000;npdi;rn=+447700900123")
        // `E2U+pstn:tel`: no host at all, the routing number alone decides.
        let tel = try Self.route(Self.pstnAnswer("tel:+442079460000;npdi;rn=+447700900123", service: "E2U+pstn:tel"))
        #expect(tel.peerName == "mobile")
        #expect(tel.requestUser == "+442079460000;npdi;rn=+447700900123")
    }

    @Test func aRoutingNumberTheRoutesRefuseIsRefused() throws {
        guard
            case .reject(let status, _) = try Self.route(
                Self.pstnAnswer("tel:+442079460000;npdi;rn=+449012345678", service: "E2U+pstn:tel"))
        else {
            Issue.record("not refused")
            return
        }
        #expect(status.code == 403)
    }

    /// A routing number no route places: the answer's host decides (a SIP answer), or the static table looked
    /// up by the routing number (a tel answer); the user keeps `rn` and `npdi` either way.
    @Test func aRoutingNumberNoRoutePlacesFallsBackToTheAnswerThenTheTable() throws {
        let sip = try Self.route(Self.pstnAnswer("sip:+442079460000;npdi;rn=+447911123456@127.0.0.3;user=phone"))
        #expect(sip.peerName == "fixed")
        let tel = try Self.route(Self.pstnAnswer("tel:+442079460000;npdi;rn=+447911123456", service: "E2U+pstn:tel"))
        #expect(tel.peerName == "other")
        #expect(tel.requestUser == "+442079460000;npdi;rn=+447911123456")
    }

    /// `npdi` without `rn`: dipped, not ported. The dialled number routes (the table's `+4420` → `fixed`) and the
    /// callee's user keeps `;npdi` so that no one dips again.
    @Test func npdiWithoutRoutingNumberRoutesByTheDialledNumber() throws {
        let tel = try Self.route(Self.pstnAnswer("tel:+442079460000;npdi", service: "E2U+pstn:tel"))
        #expect(tel.peerName == "fixed")
        #expect(tel.requestUser == "+442079460000;npdi")
        let sip = try Self.route(Self.pstnAnswer("sip:+442079460000;npdi@127.0.0.3;user=phone"))
        #expect(sip.peerName == "fixed")
        #expect(sip.requestUser == "+442079460000;npdi")
    }

    /// Without the request's route question (callers that have none), a routing number goes to the static table.
    @Test func withoutAQueryTheRoutingNumberGoesToTheTable() {
        var trace = PipelineTrace.off
        let route = Self.border.enumRoute(
            for: Self.dialled,
            answer: Self.pstnAnswer("tel:+442079460000;npdi;rn=+447911123456", service: "E2U+pstn:tel"), trace: &trace)
        #expect(route.peerName == "other")
    }
}

extension ENUMRoute {
    fileprivate var peerName: String? {
        if case .peer(let peer, _) = self { peer.name } else { nil }
    }
}
