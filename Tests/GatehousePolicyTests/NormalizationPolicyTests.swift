import GatehousePolicy
import SIPMessage
import Testing

/// `peers.NAME.normalize`: the rule syntax read into the model, and every mistake with its position.
struct NormalizationPolicyTests {
    @Test func readsEveryKeyIntoTheModel() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + #"""
                peers:
                  pbx:
                    realm: access
                    addresses: [127.0.0.2]
                    normalize:
                      inbound:
                        - remove: "X-*"
                        - remove: [P-Preferred-Identity, user-agent, k]
                        - { add: { header: X-Trunk, value: pbx-1 }, when: { method: INVITE } }
                        - set: { header: User-Agent, value: gatehouse }
                        - rewrite: { header: f, part: user, pattern: '^0(\d+)$', replacement: '+44$1' }
                        - { rewrite: { header: request_uri, part: host, pattern: '.*', replacement: carrier.example }, when: { header: { name: X-Route, matches: 'b' } } }
                        - rewrite: { header: User-Agent, pattern: 'PBX', replacement: 'P$$X' }
                      outbound:
                        - { set: { header: X-Origin, value: "a b" }, when: { peer: [carrier], method: [INVITE, MESSAGE], has_header: "P-*" } }
                        - rewrite: { header: request_uri, part: params, pattern: '^$', replacement: 'transport=tcp' }
                      long_header_names: true
                      strip_unsupported_requires: true
                      max_forwards: 70
                      private_headers: ["X-Acme-*", Remote-Party-ID]
                  carrier:
                    realm: interconnect
                    addresses: [127.0.0.3]
                """#)
        let pbx = try #require(policy.peer(named: "pbx"))
        let expected = PeerNormalization(
            inbound: [
                HeaderRule(.remove([try HeaderPattern(parsing: "X-*")])),
                HeaderRule(
                    .remove([
                        HeaderPattern(name: .pPreferredIdentity), HeaderPattern(name: .userAgent),
                        HeaderPattern(name: .supported),
                    ])),
                HeaderRule(.add("X-Trunk", value: "pbx-1"), when: RuleCondition(methods: [.invite])),
                HeaderRule(.set(.userAgent, value: "gatehouse")),
                HeaderRule(
                    .rewrite(
                        HeaderRewrite(
                            target: .header(.from), part: .user, pattern: try RewritePattern(#"^0(\d+)$"#),
                            replacement: try RewriteReplacement(parsing: "+44$1")))),
                HeaderRule(
                    .rewrite(
                        HeaderRewrite(
                            target: .requestURI, part: .host, pattern: try RewritePattern(".*"),
                            replacement: try RewriteReplacement(parsing: "carrier.example"))),
                    when: RuleCondition(
                        header: HeaderValueMatch(target: .header("X-Route"), pattern: try RewritePattern("b")))),
                HeaderRule(
                    .rewrite(
                        HeaderRewrite(
                            target: .header(.userAgent), pattern: try RewritePattern("PBX"),
                            replacement: try RewriteReplacement(parsing: "P$$X")))),
            ],
            outbound: [
                HeaderRule(
                    .set("X-Origin", value: "a b"),
                    when: RuleCondition(
                        methods: [.invite, .message], peers: ["carrier"], hasHeader: try HeaderPattern(parsing: "P-*"))),
                HeaderRule(
                    .rewrite(
                        HeaderRewrite(
                            target: .requestURI, part: .params, pattern: try RewritePattern("^$"),
                            replacement: try RewriteReplacement(parsing: "transport=tcp")))),
            ],
            longHeaderNames: true, stripUnsupportedRequires: true, maxForwards: 70,
            privateHeaders: [try HeaderPattern(parsing: "X-Acme-*"), HeaderPattern(name: "Remote-Party-ID")])
        #expect(pbx.normalization == expected)
        #expect(
            pbx.normalization.inbound.map(\.description) == [
                "remove X-*", "remove P-Preferred-Identity, User-Agent, Supported", "add X-Trunk", "set User-Agent",
                "rewrite From user", "rewrite request_uri host", "rewrite User-Agent value",
            ])
        #expect(pbx.normalization.inbound[6].action == expected.inbound[6].action)
        #expect(try #require(policy.peer(named: "carrier")).normalization.isEmpty)
    }

    @Test func shippedPolicy() throws {
        let ibcf = try PolicyFixtures.shipped("carrier-interconnect.yaml")
        let normalization = try #require(ibcf.peer(named: "carrier-b")).normalization
        #expect(normalization.inbound.map(\.description) == ["remove X-*", "rewrite request_uri user"])
        #expect(normalization.outbound.map(\.description) == ["set User-Agent"])
        #expect(normalization.longHeaderNames && normalization.maxForwards == 70)
        #expect(try #require(ibcf.peer(named: "carrier-a")).normalization.isEmpty)
    }

    /// The model's pieces on their own: wildcards against long names, replacements, capture-group counting.
    @Test func patternsAndReplacements() throws {
        let wildcard = try HeaderPattern(parsing: "x-*")
        #expect(wildcard.isWildcard && wildcard.description == "x-*")
        #expect(wildcard.matches("X-Foo") && wildcard.matches("x-bar") && !wildcard.matches(.from))
        #expect(try HeaderPattern(parsing: "S*").matches(HeaderName("k")))  // Supported, written compact
        #expect(try HeaderPattern(parsing: "f").matches(.from))
        #expect(throws: HeaderPattern.SyntaxError.self) { try HeaderPattern(parsing: "*") }
        #expect(throws: HeaderPattern.SyntaxError.self) { try HeaderPattern(parsing: "X-*-Y") }
        #expect(throws: HeaderPattern.SyntaxError.self) { try HeaderPattern(parsing: "X Foo") }
        #expect(throws: HeaderPattern.SyntaxError.self) { try HeaderPattern(parsing: "X:Foo") }

        let replacement = try RewriteReplacement(parsing: "+44$1 costs $$5 ($0)")
        #expect(replacement.highestGroup == 1)
        #expect(replacement.expand { ["0207", "207"][$0] } == "+44207 costs $5 (0207)")
        #expect(try RewriteReplacement(parsing: "plain").highestGroup == nil)
        #expect(
            throws: RewriteReplacement.SyntaxError(
                message: "'$' must be followed by a group number 0–9, or written '$$' for a dollar sign", offset: 3)
        ) {
            try RewriteReplacement(parsing: "ab $x")
        }

        #expect(try RewritePattern(#"^0(\d+)$"#).captureGroupLimit == 1)
        #expect(try RewritePattern(#"(a)(?:b)(?<name>c)(?=d)(?!e)\(f\)[(g)]"#).captureGroupLimit == 2)
        #expect(try RewritePattern(#"[\]()](h)"#).captureGroupLimit == 1)
        let pattern = try RewritePattern(#"^0(\d+)$"#)
        #expect(
            pattern.replacingFirstMatch(in: "02079460000", with: try RewriteReplacement(parsing: "+44$1"))
                == "+442079460000")
        #expect(pattern.replacingFirstMatch(in: "+442079460000", with: try RewriteReplacement(parsing: "+44$1")) == nil)
        // The first match only: `.*` does not also replace the empty match at the end.
        #expect(
            try RewritePattern(".*").replacingFirstMatch(in: "pbx", with: try RewriteReplacement(parsing: "c")) == "c")
        #expect(
            try RewritePattern("a(x)?").replacingFirstMatch(in: "ab", with: try RewriteReplacement(parsing: "[$1]"))
                == "[]b")
    }

    /// Every mistake in one file, each at its line and column (the head is 7 lines, so `peers:` is line 8).
    @Test func diagnostics() {
        let found = PolicyFixtures.diagnostics(
            PolicyFixtures.head + #"""
                peers:
                  pbx:
                    realm: access
                    addresses: [127.0.0.2]
                    normalize:
                      inbound:
                        - remove: [Via, "*", "X-*-Y", request_uri]
                        - { add: { header: X-A, value: a }, set: { header: X-B, value: b } }
                        - { when: { method: INVITE } }
                        - rewrite: { header: From, pattern: 'x', replacement: y }
                        - rewrite: { header: Content-Type, part: user, pattern: 'x', replacement: y }
                        - rewrite: { header: X-A, part: port, pattern: 'x', replacement: y }
                        - rewrite: { header: X-A, pattern: '(x', replacement: y }
                        - rewrite: { header: X-A, pattern: '(x)', replacement: '$2' }
                        - rewrite: { header: X-A, pattern: 'x', replacement: 'a$b' }
                        - set: { header: "Call-ID", value: "x" }
                        - add: { header: X-A, value: "a\r\nVia: evil" }
                        - add: { header: "X A", value: a }
                        - add: { header: "X-*", value: a }
                        - { remove: X-A, when: { method: invite, peer: [ghost, "bad name"], has_header: request_uri } }
                        - { remove: X-A, when: { header: { name: X-A, matches: '[' }, colour: red } }
                        - set: { header: Max-Forwards, value: "99" }
                      outbound: { remove: X-A }
                      max_forwards: 0
                      long_header_names: yes
                      private_headers: [CSeq, "X-Acme-*"]
                      lenient: true
                """#)
        #expect(
            found.map(\.located) == [
                "unknown-key@34:7",  // the normalize mapping's keys are checked first
                "protected-header@14:20",  // remove: Via
                "bad-header-name@14:25",  // "*"
                "bad-header-name@14:30",  // "X-*-Y"
                "bad-header-name@14:39",  // request_uri
                "bad-rule@15:50",  // two actions: at the second
                "bad-rule@16:11",  // no action
                "protected-header@17:30",  // From's value (tags)
                "bad-value@18:50",  // Content-Type has no URI: at the part
                "bad-value@19:41",  // part: port
                "bad-regex@20:47",  // '(x': the end of the pattern, inside the quotes
                "bad-replacement@21:64",  // $2, with one group
                "bad-replacement@22:64",  // 'a$b': at the '$'
                "protected-header@23:26",
                "bad-value@24:38",  // CR LF (a value written on several lines is located at its start)
                "bad-header-name@25:26",
                "bad-header-name@26:26",  // a wildcard cannot be added
                "bad-method@27:42",
                "bad-name@27:64",
                "bad-header-name@27:89",
                "unknown-key@28:71",
                "bad-regex@28:65",
                "protected-header@29:26",
                "wrong-type@30:17",
                "wrong-type@32:26",
                "bad-value@31:21",
                "protected-header@33:25",
                "unknown-peer@27:57",  // checked once every peer is known
            ])
        #expect(
            found[1].message
                == "peer 'pbx' normalize inbound rule 1 remove: Via is protected: Gatehouse writes it for each leg")
        #expect(found.first { $0.code == .badRule }?.message.contains("2 actions (add, set)") == true)
        #expect(
            found.first { $0.located == "protected-header@17:30" }?.message.contains("part: user, host or params")
                == true)
        #expect(found.first { $0.located == "bad-replacement@21:64" }?.message.contains("has 1 group") == true)
        #expect(found.first { $0.located == "protected-header@29:26" }?.message.contains("max_forwards") == true)
        #expect(found.last?.message == "peer 'pbx' normalize inbound rule 14 when: peer 'ghost' is not defined")
    }
}
