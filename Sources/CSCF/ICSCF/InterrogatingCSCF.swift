import IMSInterfaces
import SIPMessage

/// The I-CSCF (3GPP TS 24.229 §5.3): the home network's entry point, which asks the HSS which S-CSCF serves a user
/// and hands the request to it.
///
/// ```
///   REGISTER ──► UAR (IMPU, IMPI, visited network, type) ──► HSS
///                      │ UAA: assigned S-CSCF name ──────────── configured? ─► that S-CSCF
///                      │       (not configured: UAR again, type registrationAndCapabilities)
///                      │ UAA: capabilities ───────────────────► the configured S-CSCF with all mandatory and
///                      │                                         the most optional capabilities
///                      └ UAA: failure ─► 403; no capable S-CSCF ─► 600; HSS unreachable ─► 480
///   request to IMPU ─► LIR ──► HSS ─► serving S-CSCF, or one chosen by capabilities (unregistered service)
/// ```
///
/// Stateless between requests: each call asks the HSS (TS 29.228 §6.1.1, §6.1.4), so there is nothing to mutate.
/// The Cx calls may block on the HSS's store; the assembly calls these off the event loops. The trusted-domain
/// check of TS 24.229 §5.3.1.2 is the assembly's: it hands this I-CSCF only REGISTERs from its own P-CSCF.
public struct InterrogatingCSCF: Sendable {
    /// An S-CSCF this I-CSCF may hand requests to, with its capabilities (TS 29.228 §6.7).
    public struct ServerEntry: Hashable, Sendable {
        /// The S-CSCF's SIP URI as the HSS knows it, `sip:scscf.ims.gatehouse.test`.
        public var name: String
        public var capabilities: Set<Int>

        public init(name: String, capabilities: Set<Int> = []) {
            self.name = name
            self.capabilities = capabilities
        }
    }

    public let servers: [ServerEntry]
    let cx: any CxServer

    public init(servers: [ServerEntry], cx: any CxServer) {
        self.servers = servers
        self.cx = cx
    }

    /// 600 Busy Everywhere: no S-CSCF can serve the user (TS 24.229 §5.3.1.2).
    static let busyEverywhere = SIPStatus(600, "Busy Everywhere")

    /// The configured S-CSCF of this name (exact, or the same SIP URI by RFC 3261 §19.1.4), with its spelling.
    func configuredServer(named name: String) -> String? {
        if let entry = servers.first(where: { $0.name == name }) { return entry.name }
        guard let uri = try? URI(parsing: name) else { return nil }
        return servers.first { entry in (try? URI(parsing: entry.name)).map { $0.isEquivalent(to: uri) } ?? false }?
            .name
    }

    /// The configured S-CSCF with every mandatory capability and the most optional ones; on a tie, the first
    /// configured (TS 29.228 §6.7). Nil when none has the mandatory ones.
    func server(with capabilities: SCSCFCapabilities) -> String? {
        let mandatory = Set(capabilities.mandatory)
        let optional = Set(capabilities.optional)
        var best: (name: String, score: Int)?
        for entry in servers where mandatory.isSubset(of: entry.capabilities) {
            let score = optional.intersection(entry.capabilities).count
            if best == nil || score > best!.score { best = (entry.name, score) }
        }
        return best?.name
    }

    /// The rejection when no configured S-CSCF has the capabilities.
    static func noCapableServer(_ capabilities: SCSCFCapabilities) -> CSCFRejection {
        CSCFRejection(
            busyEverywhere, reason: "no-capable-scscf",
            "no configured S-CSCF has the mandatory capabilities \(capabilities.mandatory.sorted())")
    }

    /// 480 for an HSS that could not be asked (TS 24.229 §5.3.1.2: the I-CSCF answers 480 when the Cx query fails).
    static func hssUnreachable(_ error: any Error) -> CSCFRejection {
        CSCFRejection(.temporarilyUnavailable, reason: "hss-unreachable", "the HSS did not answer: \(error)")
    }
}
