import GatehousePolicy
import SIPMessage
import Testing

@testable import Border

/// The example of `policies/README.md`, loaded from YAML and applied to a PBX's INVITE in both directions.
@Suite struct NormalizationPolicyExampleTests {
    typealias F = NormalizationFixtures

    static let policy = #"""
        version: 1
        node: { name: t }
        realms:
          access: { listen: ["udp://127.0.0.10:5060"] }
        peers:
          pbx:
            realm: access
            addresses: [127.0.0.2]
            normalize:
              inbound:
                - remove: "X-*"
                - remove: [P-Preferred-Identity, User-Agent]
                - { add: { header: X-Trunk, value: pbx-1 }, when: { method: INVITE } }
                - set: { header: Subject, value: "from the PBX" }
                - rewrite: { header: From, part: user, pattern: '^0(\d+)$', replacement: '+44$1' }
                - { rewrite: { header: request_uri, part: host, pattern: '.*', replacement: carrier.example },
                    when: { header: { name: X-Trunk, matches: 'pbx' } } }
              outbound:
                - set: { header: User-Agent, value: gatehouse }
              long_header_names: true
              strip_unsupported_requires: true
              max_forwards: 30
              private_headers: ["X-Acme-*"]
        """#

    @Test func inboundThenOutbound() throws {
        let policy = try PolicyLoader.load(yaml: Self.policy, file: "example.yaml")
        let normalization = try #require(policy.peer(named: "pbx")).normalization
        var message = try F.message()
        var trace = PipelineTrace(recording: true)
        try F.stage.applyInbound(normalization, to: &message, context: F.context, trace: &trace)
        #expect(
            trace.entries.map(\.text) == [
                "private_headers: removed X-Acme-Account, X-Acme-Route",
                "rule 1 (remove X-*): removed x-debug",
                "rule 2 (remove P-Preferred-Identity, User-Agent): removed P-Preferred-Identity, User-Agent",
                "rule 3 (add X-Trunk): added X-Trunk: pbx-1",
                "rule 4 (set Subject): added Subject: from the PBX",
                "rule 5 (rewrite From user): '02079460123' → '+442079460123'",
                "rule 6 (rewrite request_uri host): 'gatehouse.test' → 'carrier.example'",
                "max_forwards: lowered 70 to 30",
                "strip_unsupported_requires: removed foo from Require",
                "strip_unsupported_requires: removed bar from Proxy-Require",
            ])
        F.stage.applyOutbound(normalization, to: &message, context: F.context, trace: &trace)
        #expect(
            F.lines(message) == [
                "INVITE sip:02079460000@carrier.example;user=phone SIP/2.0",
                "Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-1",
                "Max-Forwards: 30",
                #"From: "Alice" <sip:+442079460123@pbx.example;user=phone>;tag=a1"#,
                "To: <sip:02079460000@gatehouse.test>",
                "Call-ID: call-1@pbx.example",
                "CSeq: 1 INVITE",
                "Contact: <sip:alice@127.0.0.2:5060>",
                #"P-Asserted-Identity: "Alice" <sip:+442079460123@pbx.example>, <tel:+442079460123>"#,
                "Supported: timer",
                "Require: 100rel",
                "Content-Type: application/sdp",
                "Content-Length: 0",
                "X-Trunk: pbx-1",
                "Subject: from the PBX",
                "User-Agent: gatehouse",
            ])
        #expect(trace.entries.last?.stage == .outboundNormalization)
    }
}
