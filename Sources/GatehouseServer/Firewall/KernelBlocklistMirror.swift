import Border
import Dispatch
import Firewall
import GatehousePolicy
import Logging
import NIOConcurrencyHelpers
import SIPMessage

/// The kernel copy of admission control's blocklist: every block and unblock the engine makes is replayed into
/// Gatehouse's nftables table (`Firewall.KernelBlocklist`), so a blocked source's packets are dropped before they
/// reach user space. The userspace `Blocklist` stays the authority (allowlist, escalation, expiry); the kernel
/// elements carry the same timeouts, so they lapse on their own even if an unblock is lost.
///
/// Netlink calls block for a round trip, so they run on a serial queue of their own, in the order the engine asked
/// for them; the engine's event loop never waits on the kernel. A failure is logged (once per kind of error) and
/// the userspace blocklist keeps working.
final class KernelBlocklistMirror: Sendable {
    let settings: FirewallSettings
    let ruleset: BlocklistRuleset
    private let kernel: KernelBlocklist
    private let queue: DispatchQueue
    private let logger: Logger
    /// Error codes already logged, so a kernel that keeps refusing is not a log line per block.
    private let reported = NIOLockedValueBox<Set<FirewallError.Code>>([])

    /// Creates Gatehouse's table for `settings` and `listeners`; nil, logged once, when the kernel refuses (no
    /// CAP_NET_ADMIN, no nf_tables): the node then blocks in user space only.
    static func install(
        _ settings: FirewallSettings, listeners: [SIPEndpoint], logger: Logger
    ) -> KernelBlocklistMirror? {
        do throws(FirewallError) {
            let ruleset = try BlocklistRuleset(table: settings.table, listeners: listeners.flatMap(Self.guarded))
            let kernel = try KernelBlocklist(ruleset)
            try kernel.install()
            logger.notice(
                "kernel blocklist installed: nftables table inet \(settings.table)",
                metadata: ["listeners": "\(ruleset.listeners.map(\.description))"])
            return KernelBlocklistMirror(settings: settings, ruleset: ruleset, kernel: kernel, logger: logger)
        } catch {
            if error.code == .permissionDenied {
                logger.warning(
                    "no CAP_NET_ADMIN: the blocklist stays in user space (firewall.kernel_blocklist needs it)",
                    metadata: ["table": "\(settings.table)"])
            } else {
                logger.error(
                    "the kernel blocklist could not be installed; the blocklist stays in user space",
                    metadata: ["table": "\(settings.table)", "error": "\(error)"])
            }
            return nil
        }
    }

    private init(settings: FirewallSettings, ruleset: BlocklistRuleset, kernel: KernelBlocklist, logger: Logger) {
        self.settings = settings
        self.ruleset = ruleset
        self.kernel = kernel
        self.logger = logger
        queue = DispatchQueue(label: "gatehouse.kernel-blocklist")
    }

    /// The kernel's protocol and port for each listener: TLS is TCP; a host that is not an address (never the
    /// case for a validated policy) guards nothing.
    static func guarded(_ endpoint: SIPEndpoint) -> [GuardedListener] {
        guard let address = FirewallAddress(parsing: endpoint.host), let port = UInt16(exactly: endpoint.port) else {
            return []
        }
        return [
            GuardedListener(address: address, transportProtocol: endpoint.transport == .udp ? .udp : .tcp, port: port)
        ]
    }

    /// Blocks each entry's address for what is left of it at `now`.
    func add(_ entries: [BlocklistEntry], at now: AdmissionInstant) {
        let blocks = entries.compactMap { entry -> KernelBlock? in
            guard let address = FirewallAddress(parsing: entry.address.description), entry.until > now else {
                return nil
            }
            return KernelBlock(address: address, timeout: entry.until - now, comment: entry.reason.rawValue)
        }
        guard !blocks.isEmpty else { return }
        queue.async { [self] in
            do throws(FirewallError) {
                try kernel.block(blocks)
            } catch {
                report(error)
            }
        }
    }

    /// Lifts the blocks on `addresses`.
    func remove(_ addresses: [IPAddress]) {
        let kernelAddresses = addresses.compactMap { FirewallAddress(parsing: $0.description) }
        guard !kernelAddresses.isEmpty else { return }
        queue.async { [self] in
            do throws(FirewallError) {
                try kernel.unblock(kernelAddresses)
            } catch {
                report(error)
            }
        }
    }

    /// The addresses in the kernel's sets once every change asked for so far is applied; nil when the kernel
    /// cannot be read.
    func addresses() async -> Set<IPAddress>? {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                do throws(FirewallError) {
                    let elements = try kernel.elements()
                    continuation.resume(
                        returning: Set(elements.compactMap { IPAddress(parsing: $0.address.description) }))
                } catch {
                    report(error)
                    continuation.resume(returning: nil)
                }
            }
        }
    }

    /// Deletes the table, after every change asked for so far.
    func uninstall() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { [self] in
                do throws(FirewallError) {
                    try kernel.uninstall()
                    logger.notice("kernel blocklist removed: nftables table inet \(ruleset.table)")
                } catch {
                    report(error)
                }
                continuation.resume()
            }
        }
    }

    private func report(_ error: FirewallError) {
        let isNew = reported.withLockedValue { $0.insert(error.code).inserted }
        guard isNew else { return }
        logger.error(
            "the kernel blocklist refused a change; the userspace blocklist still applies",
            metadata: ["table": "\(ruleset.table)", "error": "\(error)"])
    }
}

/// The engine's `BlocklistEnforcer`: forwards admission control's adds and removes to the kernel mirror when the
/// policy has one, and does nothing otherwise.
struct KernelEnforcer: BlocklistEnforcer {
    var mirror: KernelBlocklistMirror?

    mutating func add(_ entry: BlocklistEntry) { mirror?.add([entry], at: entry.since) }
    mutating func remove(_ address: IPAddress) { mirror?.remove([address]) }
    /// The userspace list is the authority; the kernel's own view is `KernelBlocklistMirror.addresses()`.
    func list(at now: AdmissionInstant) -> [BlocklistEntry] { [] }
}
