import Border
import Foundation
import GatehousePolicy

/// One blocked source as operators see it (`gatehouse block list`, the admin API).
public struct BlockedSource: Sendable, Hashable {
    public var address: IPAddress
    /// Why: `scanner`, `sweep`, `enumeration`, `malformed-storm`, `authentication-failures`, `repeated-offender`,
    /// `blocked-by-operator`.
    public var reason: String
    /// How long the block has left.
    public var remaining: Duration
    /// When it ends, on the wall clock (computed from `remaining` when asked).
    public var expires: Date
    /// 0 for a first block; n for the n-th repeat within the escalation window (its duration doubled n times).
    public var escalation: Int
    /// Whether the kernel's nftables set holds the address too (its packets are dropped before user space).
    public var kernel: Bool
}

/// Operators' hands on the blocklist: list, block, unblock. Each goes through the engine's admission control on
/// its event loop, so the userspace list, its counters and the kernel set change together.
extension GatehouseNode {
    /// The blocks in force, most recent first.
    public func blocklist() async -> [BlockedSource] {
        let (entries, now) = await engine.blocklistEntries()
        let mirror = kernelBlocklist.withLockedValue { $0 }
        let inKernel = await mirror?.addresses() ?? []
        return entries.map { Self.blockedSource($0, now: now, kernel: inKernel.contains($0.address)) }
    }

    /// Blocks `address` for `duration` (escalated if it was blocked recently); nil when the allowlist covers it.
    @discardableResult
    public func block(
        _ address: IPAddress, for duration: Duration, reason: AdmissionReason.Code = .blockedByOperator
    ) async -> BlockedSource? {
        guard let (entry, now) = await engine.block(address, for: duration, reason: reason) else {
            logger.notice("not blocked: the allowlist covers \(address)")
            return nil
        }
        logger.notice(
            "blocked by an operator",
            metadata: ["source": "\(address)", "until": "\(entry.until)", "reason": "\(reason)"])
        let mirror = kernelBlocklist.withLockedValue { $0 }
        let inKernel = await mirror?.addresses()?.contains(address) ?? false
        return Self.blockedSource(entry, now: now, kernel: inKernel)
    }

    /// Lifts the block on `address` (and forgets its escalation); returns whether it was blocked.
    @discardableResult
    public func unblock(_ address: IPAddress) async -> Bool {
        let wasBlocked = await engine.unblock(address)
        if wasBlocked { logger.notice("unblocked by an operator", metadata: ["source": "\(address)"]) }
        return wasBlocked
    }

    static func blockedSource(_ entry: BlocklistEntry, now: AdmissionInstant, kernel: Bool) -> BlockedSource {
        let remaining = entry.until - now
        let seconds = Double(remaining.components.seconds) + Double(remaining.components.attoseconds) / 1e18
        return BlockedSource(
            address: entry.address, reason: entry.reason.rawValue, remaining: remaining,
            expires: Date(timeIntervalSinceNow: seconds), escalation: entry.escalation, kernel: kernel)
    }
}

extension CallEngine {
    /// The blocks in force, and the instant they were read at.
    func blocklistEntries() async -> ([BlocklistEntry], AdmissionInstant) {
        (try? await loop.submit { () -> ([BlocklistEntry], AdmissionInstant) in
            let now = self.admissionNow
            return (self.admission.blocklist.list(at: now), now)
        }.get()) ?? ([], .zero)
    }

    /// Blocks `address` through admission control (mirrored to the kernel); nil when allowlisted.
    func block(
        _ address: IPAddress, for duration: Duration, reason: AdmissionReason.Code
    ) async -> (BlocklistEntry, AdmissionInstant)? {
        try? await loop.submit { () -> (BlocklistEntry, AdmissionInstant)? in
            let now = self.admissionNow
            let outcome = self.admission.block(
                address, for: duration, reason: reason, at: now, enforcer: &self.enforcer)
            guard case .blocked(let entry) = outcome else { return nil }
            return (entry, now)
        }.get()
    }

    /// Lifts a block through admission control (mirrored to the kernel); whether there was one.
    func unblock(_ address: IPAddress) async -> Bool {
        (try? await loop.submit { () -> Bool in
            let wasBlocked = self.admission.blocklist.contains(address, at: self.admissionNow)
            self.admission.unblock(address, enforcer: &self.enforcer)
            return wasBlocked
        }.get()) ?? false
    }
}
