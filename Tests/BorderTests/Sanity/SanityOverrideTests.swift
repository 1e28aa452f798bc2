import GatehousePolicy
import SIPMessage
import Testing

@testable import Border

/// A realm's and a peer's own `sanity`: the ingress stages pick the peer's settings, else its realm's, else the
/// node's, so one sloppy PBX can be let through without relaxing the checks for everyone else.
@Suite struct SanityOverrideTests {
    static let policy = """
        version: 1
        node: { name: t }
        realms:
          access:
            listen: ["udp://127.0.0.10:5060"]
            sanity: { action: drop }
          interconnect:
            listen: ["udp://127.0.0.20:5060"]
        peers:
          old-pbx: { realm: access, addresses: ["127.0.0.2"], sanity: { disable: [missing-from-tag] } }
          strict-pbx: { realm: access, addresses: ["127.0.0.3"], sanity: { action: reject } }
          carrier: { realm: interconnect, addresses: ["127.0.0.30"] }
        """

    /// The fixture INVITE without its From tag.
    static func untagged() throws -> SIPMessage {
        try SanityFixtures.message(SanityFixtures.invite.setting("From", "\"Lab PBX\" <sip:+15550190001@127.0.0.2>"))
    }

    func outcome(from source: String, realm: String, _ border: BorderPolicy) throws -> String {
        var message = try Self.untagged()
        var admission = try AdmissionControl(border.admission)
        var trace = PipelineTrace.off
        do throws(IngressRejection) {
            _ = try border.ingress(
                &message, arrival: IngressArrival(source: IPAddress(parsing: source)!, realm: realm, now: .zero),
                admission: &admission, trace: &trace)
            return "passed"
        } catch {
            return error.summary
        }
    }

    @Test func thePeersSettingsWinOverItsRealmsAndTheRealmsOverTheNodes() throws {
        let border = BorderPolicy(policy: try PolicyLoader.load(yaml: Self.policy, file: "t.yaml"))
        // old-pbx turns the check off (and keeps its realm's drop for the rest).
        #expect(try outcome(from: "127.0.0.2", realm: "access", border) == "passed")
        #expect(border.sanityCheck(for: border.policy.peer(named: "old-pbx"), realm: "access").settings.action == .drop)
        // strict-pbx keeps the check and is answered, where its realm would drop.
        #expect(try outcome(from: "127.0.0.3", realm: "access", border) == "missing-from-tag 400")
        // An unknown source on the access realm gets the realm's drop.
        #expect(try outcome(from: "127.0.0.9", realm: "access", border) == "missing-from-tag drop")
        // The interconnect realm has no sanity of its own: the node's reject.
        #expect(try outcome(from: "127.0.0.30", realm: "interconnect", border) == "missing-from-tag 400")
    }

    @Test func withoutOverridesEveryMessageGetsTheNodesChecks() throws {
        let plain = try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: t }
                realms: { access: { listen: ["udp://127.0.0.10:5060"] } }
                peers: { pbx: { realm: access, addresses: ["127.0.0.2"] } }
                sanity: { disable: [missing-from-tag] }
                """, file: "t.yaml")
        let border = BorderPolicy(policy: plain)
        #expect(border.sanityByPeer.isEmpty && border.sanityByRealm.isEmpty)
        #expect(border.sanityCheck(for: plain.peer(named: "pbx"), realm: "access").settings == plain.sanity)
        #expect(try outcome(from: "127.0.0.2", realm: "access", border) == "passed")
    }
}
