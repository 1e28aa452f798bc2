import GatehousePolicy

/// Something that keeps blocked addresses out: the userspace `Blocklist` (the default, consulted per message), or
/// later an nftables set that drops their packets before they reach user space.
///
/// Admission control decides who is blocked and for how long; an enforcer only carries the decision out. Every
/// change goes through `add` and `remove`, so a kernel enforcer can mirror the userspace list exactly; `duration`
/// of an entry is what an nftables set element's timeout would be, so the kernel lifts a block on its own even if a
/// `remove` is lost.
public protocol BlocklistEnforcer {
    /// Blocks `entry.address` until `entry.until`, replacing any block it has.
    mutating func add(_ entry: BlocklistEntry)
    /// Lifts the block on `address`, if there is one.
    mutating func remove(_ address: IPAddress)
    /// The blocks in force at `now`.
    func list(at now: AdmissionInstant) -> [BlocklistEntry]
}
