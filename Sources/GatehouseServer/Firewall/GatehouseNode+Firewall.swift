import Border
import Firewall
import GatehousePolicy
import Logging

/// The kernel blocklist's lifecycle: installed at start when the policy's `firewall:` section asks for it, kept in
/// step with the policy on reload (a changed table or listener set is rebuilt; `kernel_blocklist: false` or a
/// removed section deletes it), removed at stop. Blocks in force are copied into a new table, so a reload never
/// unblocks anyone in the kernel.
extension GatehouseNode {
    /// Installs the table `policy` asks for (if any) and hands it to the engine.
    func startKernelBlocklist(_ policy: Policy) async {
        guard let settings = policy.firewall, settings.kernelBlocklist else { return }
        let mirror = KernelBlocklistMirror.install(
            settings, listeners: policy.realms.flatMap(\.listeners), logger: logger)
        kernelBlocklist.withLockedValue { $0 = mirror }
        await engine.useKernelBlocklist(mirror)
    }

    /// Detaches the table from the engine and deletes it.
    func stopKernelBlocklist() async {
        guard
            let mirror = kernelBlocklist.withLockedValue({ current in
                defer { current = nil }
                return current
            })
        else {
            return
        }
        await engine.useKernelBlocklist(nil)
        await mirror.uninstall()
    }

    /// Brings the kernel table in line with a reloaded policy; nothing happens when neither the settings nor the
    /// listeners changed.
    func reconcileKernelBlocklist(_ policy: Policy) async {
        let current = kernelBlocklist.withLockedValue { $0 }
        let wanted = policy.firewall.flatMap { $0.kernelBlocklist ? $0 : nil }
        let listeners = policy.realms.flatMap(\.listeners).flatMap(KernelBlocklistMirror.guarded)
        if let current, current.settings == wanted,
            current.ruleset == (try? BlocklistRuleset(table: current.ruleset.table, listeners: listeners))
        {
            return
        }
        if current == nil, wanted == nil { return }
        logger.notice(
            "firewall settings changed: rebuilding the kernel blocklist",
            metadata: ["table": "\(wanted?.table ?? "none")", "was": "\(current?.ruleset.table ?? "none")"])
        await stopKernelBlocklist()
        await startKernelBlocklist(policy)
    }
}

extension CallEngine {
    /// Mirrors blocklist changes into `mirror` from now on (nil: user space only), starting with the blocks in force.
    func useKernelBlocklist(_ mirror: KernelBlocklistMirror?) async {
        try? await loop.submit {
            self.enforcer.mirror = mirror
            let now = self.admissionNow
            mirror?.add(self.admission.blocklist.list(at: now), at: now)
        }.get()
    }
}
