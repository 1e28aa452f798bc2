import GatehousePolicy
import SIPMessage
import Testing

/// Routes: the lab policy's decisions, how each condition matches, and every routing mistake with its position.
struct RouteTableTests {
    /// A request as the lab sees it: from the peer at `source` on `realm`, to `sip:USER@HOST`.
    static func query(
        _ policy: Policy, from source: String, realm: String, user: String?, host: String = "127.0.0.20",
        method: SIPMethod = .invite
    ) throws -> RouteQuery {
        RouteQuery(
            sourceRealm: realm, sourcePeer: policy.peer(for: source, realm: realm)?.name, method: method,
            requestURIHost: try Host(parsing: host), user: user)
    }

    @Test func labDecisions() throws {
        let lab = try PolicyFixtures.shipped("lab.yaml")
        let table = lab.routes

        let outbound = table.decide(try Self.query(lab, from: "127.0.0.2", realm: "access", user: "+15559870000"))
        #expect(outbound.target == .peer("lab-carrier"))
        #expect(outbound.routeID == "pbx-e164")
        #expect(outbound.matched == ["from_peer lab-pbx", "number_prefix +1 (user +15559870000)"])
        #expect(
            outbound.description
                == "route 'pbx-e164': from_peer lab-pbx, number_prefix +1 (user +15559870000) → peer:lab-carrier")

        // The +1 555 123 range is ENUM's.
        let enumRange = table.decide(try Self.query(lab, from: "127.0.0.2", realm: "access", user: "+15551230000"))
        #expect(enumRange.target == .enumLookup)
        #expect(enumRange.routeID == "pbx-enum")

        // Routes see numbers after the PBX's numbering made them E.164: a national number as dialled matches no
        // route of its own.
        let national = table.decide(try Self.query(lab, from: "127.0.0.2", realm: "access", user: "5559870000"))
        #expect(national.routeID == "no-route")

        let toPBX = table.decide(try Self.query(lab, from: "127.0.0.3", realm: "interconnect", user: "+15550190001"))
        #expect(toPBX.target == .peer("lab-pbx"))
        #expect(toPBX.routeID == "carrier-to-pbx")

        let toIMS = table.decide(try Self.query(lab, from: "127.0.0.3", realm: "interconnect", user: "+15550100001"))
        #expect(toIMS.target == .ims)
        #expect(toIMS.routeID == "carrier-to-ims")

        let handset = table.decide(
            try Self.query(
                lab, from: "127.0.0.4", realm: "access", user: "alice", host: "IMS.gatehouse.test", method: .register))
        #expect(handset.target == .ims)
        #expect(handset.matched == ["from_realm access", "domain ims.gatehouse.test"])

        let unknown = table.decide(try Self.query(lab, from: "127.0.0.3", realm: "interconnect", user: "+15559999999"))
        #expect(unknown.target == .reject(SIPStatus(404, "Not Found")))
        #expect(unknown.routeID == "no-route")
        #expect(unknown.description == "route 'no-route': catch-all → reject:404 Not Found")

        // A stranger on the access side dialling a number is no peer: only the catch-all is left.
        let stranger = table.decide(try Self.query(lab, from: "127.0.0.99", realm: "access", user: "+15551230000"))
        #expect(stranger.routeID == "no-route")
        #expect(stranger.routesTried == 6)

        // The lab's IMS core is the embedded one (IMSPolicyTests checks its settings and subscribers).
        #expect(lab.ims?.domain == "ims.gatehouse.test" && lab.ims?.nextHop == nil && lab.ims?.embedded != nil)
    }

    @Test func firstMatchWinsAndNoRouteExplainsItself() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                routes:
                  - { match: { method: [OPTIONS, MESSAGE] }, to: "reject:405" }
                  - { id: nine, match: { number_prefix: "9" }, to: "reject:403 Forbidden Here" }
                  - { id: nines, match: { user: "9+" }, to: "reject:486" }
                """)
        let table = policy.routes
        #expect(table.routes.map(\.id) == ["route-1", "nine", "nines"])
        let options = table.decide(RouteQuery(sourceRealm: "access", method: .options, user: "999"))
        #expect(options.target == .reject(SIPStatus(405, "Method Not Allowed")))
        #expect(options.matched == ["method OPTIONS"])
        let nine = table.decide(RouteQuery(sourceRealm: "access", method: .invite, user: "999;npdi"))
        #expect(nine.target == .reject(SIPStatus(403, "Forbidden Here")))
        let none = table.decide(RouteQuery(sourceRealm: "access", method: .invite, user: "+999"))
        #expect(none.target == nil && none.routeID == nil && none.routesTried == 3)
        #expect(none.description == "no route matched (3 tried)")
    }

    @Test func numberPrefixesAndPatterns() throws {
        let plus = RouteMatch(numberPrefix: "+1555")
        let bare = RouteMatch(numberPrefix: "1555")
        let pattern = RouteMatch(user: try UserPattern("[2-9][0-9]{9}"))
        let table = RouteTable(routes: [
            Route(id: "plus", match: plus, target: .ims),
            Route(id: "bare", match: bare, target: .ims),
            Route(id: "pattern", match: pattern, target: .ims),
        ])
        func decided(_ user: String?) -> String? {
            table.decide(RouteQuery(sourceRealm: "a", method: .invite, user: user)).routeID
        }
        #expect(decided("+15550001111") == "plus")
        #expect(decided("15550001111") == "bare")
        #expect(decided("+1555-000-1111") == nil)  // visual separators are the numbering issue's
        #expect(decided("1555abc") == nil)  // not a number
        #expect(decided("5550001111") == "pattern")
        #expect(decided("55500011112") == nil)  // the pattern must match the whole user part
        #expect(decided(nil) == nil)
        #expect(RouteMatch().isEmpty && !plus.isEmpty)
    }

    @Test func domainAndRealmConditions() throws {
        let match = RouteMatch(fromRealm: "access", domain: try Host(parsing: "Example.COM"))
        let table = RouteTable(routes: [Route(id: "d", match: match, target: .peer("x"))])
        func decided(_ realm: String, _ host: String?) throws -> RouteTarget? {
            table.decide(
                RouteQuery(sourceRealm: realm, method: .invite, requestURIHost: try host.map { try Host(parsing: $0) })
            ).target
        }
        #expect(try decided("access", "example.com") == .peer("x"))
        #expect(try decided("access", "example.org") == nil)
        #expect(try decided("access", nil) == nil)
        #expect(try decided("core", "example.com") == nil)
    }

    @Test func routeErrorsAreLocated() throws {
        let found = PolicyFixtures.diagnostics(
            PolicyFixtures.head + """
                peers:
                  pbx: { realm: access, addresses: [127.0.0.2] }
                  block: { realm: interconnect, addresses: [10.0.0.0/8] }
                routes:
                  - { match: { from_realm: core }, to: ims }
                  - { match: { from_peer: ghost, method: [invite, "IN VITE"] }, to: "peer:ghost" }
                  - { match: { user: "\\\\+1(55" }, to: "reject:399" }
                  - { match: { user: '[0-9' }, to: "reject:4xx" }
                  - { match: { user: "a{2,1}" }, to: "teleport:mars" }
                  - { match: { number_prefix: "+1-555" }, to: "peer:block" }
                  - { id: dup, match: { from_realm: interconnect, from_peer: pbx }, to: "reject:404" }
                  - { id: dup, match: {}, to: "reject:404" }
                  - { match: { domain: "bad..host" }, to: "reject:404" }
                  - { mtch: {}, to: "reject:404" }
                """)
        #expect(
            found.map(\.located) == [
                "unknown-realm@12:28",
                "missing-ims@12:40",
                "unknown-peer@13:27",
                "bad-method@13:43",
                "bad-method@13:51",
                "unknown-peer@13:69",
                "bad-regex@14:30",  // the end of the pattern, inside the quotes, counting `\\` as two
                "bad-status@14:39",
                "bad-regex@15:27",
                "bad-status@15:36",
                "bad-regex@16:23",
                "bad-target@16:38",
                "bad-number-prefix@17:31",
                "no-destination@17:47",
                "conflicting-match@18:62",
                "duplicate-route@19:11",
                "unreachable-route@20:5",
                "bad-value@20:24",
                "unknown-key@21:7",
                "missing-key@21:5",
                "unreachable-route@21:5",
            ])
        try #require(found.count == 21)
        #expect(found[3].message.contains("did you mean INVITE?"))
        #expect(found[6].message.contains("at character 7 of the pattern: expected ')'"))
        #expect(found[8].message.contains("expected ']'"))
        #expect(found[16].message.contains("route 'dup' before it matches every request"))
        #expect(found[14].message.contains("peer 'pbx' talks to realm 'access'"))
    }
}
