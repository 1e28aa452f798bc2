import GatehousePolicy
import SIPMessage
import Testing

@testable import Border

/// remove, add and set, with wildcards, compact names, protected headers, conditions and the trace each rule leaves.
@Suite struct HeaderRuleTests {
    typealias F = NormalizationFixtures

    @Test func removeNamesAndWildcardsIgnoringCase() throws {
        var message = try F.message()
        let trace = try F.inbound(
            [HeaderRule(try F.remove("x-*")), HeaderRule(try F.remove("P-Preferred-Identity", "user-agent"))],
            on: &message)
        #expect(
            trace == [
                "rule 1 (remove x-*): removed X-Acme-Account, X-Acme-Route, x-debug",
                "rule 2 (remove P-Preferred-Identity, User-Agent): removed P-Preferred-Identity, User-Agent",
            ])
        let lines = F.headerLines(message)
        #expect(!lines.contains { $0.lowercased().hasPrefix("x-") })
        #expect(!lines.contains { $0.hasPrefix("User-Agent") || $0.hasPrefix("P-Preferred-Identity") })
        #expect(lines.contains("P-Asserted-Identity: \"Alice\" <sip:+442079460123@pbx.example>, <tel:+442079460123>"))
    }

    /// A compact name stands for its long name, whichever way round: `k` removes `Supported:`, `Supported` removes
    /// `k:`, and a wildcard is matched against the long name.
    @Test func compactNamesCountAsTheirLongName() throws {
        var message = try F.message()
        try F.inbound([HeaderRule(try F.remove("Supported")), HeaderRule(try F.remove("c"))], on: &message)
        #expect(!F.headerLines(message).contains { $0.hasPrefix("k:") || $0.hasPrefix("c:") })

        var other = try F.message()
        let trace = try F.inbound([HeaderRule(try F.remove("su*", "CONTENT-T*"))], on: &other)
        #expect(trace == ["rule 1 (remove su*, CONTENT-T*): removed Supported, Content-Type"])
    }

    /// `C*` covers Call-ID, CSeq, Contact and Content-Length, all protected: only Content-Type goes. A protected
    /// header named exactly (possible in a model built in code; a policy refuses it) is not removed either.
    @Test func wildcardsPassOverProtectedHeaders() throws {
        var message = try F.message()
        let trace = try F.inbound(
            [HeaderRule(try F.remove("C*")), HeaderRule(.remove([HeaderPattern(name: .via)]))], on: &message)
        #expect(trace == ["rule 1 (remove C*): removed Content-Type", "rule 2 (remove Via): nothing to remove"])
        let names = F.headerLines(message).map { $0.prefix { $0 != ":" } }
        #expect(
            names == [
                "v", "Max-Forwards", "f", "t", "i", "CSeq", "m", "X-Acme-Account", "X-Acme-Route", "x-debug",
                "P-Preferred-Identity", "P-Asserted-Identity", "User-Agent", "k", "Require", "Proxy-Require", "l",
            ])
    }

    @Test func addAppendsButNeverDoublesASingleValuedHeader() throws {
        var message = try F.message()
        let trace = try F.inbound(
            [
                HeaderRule(.add("X-Trunk", value: "pbx-1")), HeaderRule(.add("X-Trunk", value: "pbx-2")),
                HeaderRule(.add(.userAgent, value: "gatehouse")), HeaderRule(.add(.subject, value: "hello")),
                HeaderRule(.add(.callID, value: "forged")),
            ], on: &message)
        #expect(
            trace == [
                "rule 1 (add X-Trunk): added X-Trunk: pbx-1",
                "rule 2 (add X-Trunk): added X-Trunk: pbx-2",
                "rule 3 (add User-Agent): not added: User-Agent allows one field and has one (use set)",
                "rule 4 (add Subject): added Subject: hello",
                "rule 5 (add Call-ID): not applied: Call-ID is protected",
            ])
        let lines = F.headerLines(message)
        #expect(lines.suffix(4) == ["l: 0", "X-Trunk: pbx-1", "X-Trunk: pbx-2", "Subject: hello"])
        #expect(lines.filter { $0.hasPrefix("User-Agent") } == ["User-Agent: AcmePBX/1.0"])
    }

    @Test func setReplacesEveryFieldOrAdds() throws {
        var message = try F.message(
            """
            OPTIONS sip:gatehouse.test SIP/2.0\r
            Via: SIP/2.0/UDP 127.0.0.2;branch=z9hG4bK-2\r
            From: <sip:pbx@pbx.example>;tag=1\r
            To: <sip:gatehouse.test>\r
            Call-ID: o-1\r
            CSeq: 1 OPTIONS\r
            X-Route: a\r
            k: timer\r
            X-Route: b\r
            \r

            """)
        let trace = try F.inbound(
            [
                HeaderRule(.set("x-route", value: "c")), HeaderRule(.set(.supported, value: "100rel")),
                HeaderRule(.set(.userAgent, value: "gatehouse")),
            ], on: &message, context: RuleContext(peer: "pbx", method: .options))
        #expect(
            trace == [
                "rule 1 (set x-route): set x-route: c (replacing 2 fields)",
                "rule 2 (set Supported): set Supported: 100rel (replacing 1 field)",
                "rule 3 (set User-Agent): added User-Agent: gatehouse",
            ])
        #expect(
            F.headerLines(message).suffix(4) == [
                "x-route: c", "Supported: 100rel", "User-Agent: gatehouse", "Content-Length: 0",
            ])
    }

    @Test func conditionsOnMethodPeerAndHeaders() throws {
        let addTrunk = HeaderAction.add("X-Trunk", value: "pbx-1")
        let rules = [
            HeaderRule(addTrunk, when: RuleCondition(methods: [.invite, .message])),
            HeaderRule(addTrunk, when: RuleCondition(methods: [.bye])),
            HeaderRule(addTrunk, when: RuleCondition(peers: ["carrier"])),
            HeaderRule(
                addTrunk,
                when: RuleCondition(peers: ["pbx", "other"], hasHeader: try HeaderPattern(parsing: "x-acme-*"))),
            HeaderRule(addTrunk, when: RuleCondition(hasHeader: try HeaderPattern(parsing: "X-Absent"))),
            HeaderRule(addTrunk, when: RuleCondition(hasHeader: HeaderPattern(name: "k"))),
            HeaderRule(
                addTrunk,
                when: RuleCondition(
                    header: HeaderValueMatch(target: .header("X-Acme-Route"), pattern: try RewritePattern("^b$")))),
            HeaderRule(
                addTrunk,
                when: RuleCondition(
                    header: HeaderValueMatch(target: .header(.from), pattern: try RewritePattern("Bob")))),
            HeaderRule(
                addTrunk,
                when: RuleCondition(
                    header: HeaderValueMatch(target: .requestURI, pattern: try RewritePattern("user=phone")))),
            // All parts must hold: the method does, the header does not.
            HeaderRule(
                addTrunk,
                when: RuleCondition(methods: [.invite], hasHeader: try HeaderPattern(parsing: "X-Absent"))),
        ]
        var message = try F.message()
        let trace = try F.inbound(rules, on: &message)
        #expect(
            trace == [
                "rule 1 (add X-Trunk): added X-Trunk: pbx-1",
                "rule 2 (add X-Trunk): skipped: method INVITE is not BYE",
                "rule 3 (add X-Trunk): skipped: peer 'pbx' is not 'carrier'",
                "rule 4 (add X-Trunk): added X-Trunk: pbx-1",
                "rule 5 (add X-Trunk): skipped: no X-Absent header",
                "rule 6 (add X-Trunk): added X-Trunk: pbx-1",
                "rule 7 (add X-Trunk): added X-Trunk: pbx-1",
                "rule 8 (add X-Trunk): skipped: no From value matches 'Bob'",
                "rule 9 (add X-Trunk): added X-Trunk: pbx-1",
                "rule 10 (add X-Trunk): skipped: no X-Absent header",
            ])

        // From no peer (the IMS core), and a response: its method is its CSeq's.
        var response = try F.message(F.ok)
        let context = try #require(RuleContext(peer: nil, message: response))
        #expect(context.method == .invite)
        let responseTrace = try F.inbound(
            [
                rules[0], rules[2],
                HeaderRule(
                    addTrunk,
                    when: RuleCondition(header: HeaderValueMatch(target: .requestURI, pattern: try RewritePattern("")))),
            ],
            on: &response, context: context)
        #expect(
            responseTrace == [
                "rule 1 (add X-Trunk): added X-Trunk: pbx-1",
                "rule 2 (add X-Trunk): skipped: no peer is not 'carrier'",
                "rule 3 (add X-Trunk): skipped: no request_uri value matches ''",
            ])
    }

    /// Rules run in order, each on what the one before left; a trace that does not record gets nothing.
    @Test func rulesSeeTheWorkOfEarlierRulesAndTheTraceCanBeOff() throws {
        let rules = [
            HeaderRule(try F.remove("X-Acme-*")),
            HeaderRule(
                .add("X-Seen", value: "yes"), when: RuleCondition(hasHeader: HeaderPattern(name: "X-Acme-Route"))),
            HeaderRule(.set("X-Acme-Route", value: "z")),
            HeaderRule(
                .add("X-Seen", value: "later"), when: RuleCondition(hasHeader: HeaderPattern(name: "X-Acme-Route"))),
        ]
        var message = try F.message()
        var trace = PipelineTrace.off
        try F.stage.applyInbound(PeerNormalization(inbound: rules), to: &message, context: F.context, trace: &trace)
        #expect(trace.entries.isEmpty)
        let lines = F.headerLines(message)
        #expect(lines.suffix(2) == ["X-Acme-Route: z", "X-Seen: later"])
        #expect(!lines.contains("X-Seen: yes"))
    }

    /// A peer with nothing to normalize leaves the message byte for byte.
    @Test func emptyNormalizationChangesNothing() throws {
        var message = try F.message()
        let before = message.serialize()
        var trace = PipelineTrace(recording: true)
        try F.stage.applyInbound(PeerNormalization(), to: &message, context: F.context, trace: &trace)
        F.stage.applyOutbound(PeerNormalization(), to: &message, context: F.context, trace: &trace)
        #expect(message.serialize() == before)
        #expect(trace.entries.isEmpty)
        #expect(before == Array(F.invite.utf8))
    }
}
