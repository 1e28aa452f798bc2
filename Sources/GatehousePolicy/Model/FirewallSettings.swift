/// The kernel side of the border (the `firewall:` section): whether blocked sources are also dropped by nftables,
/// before their packets reach user space, and in which table.
///
/// Absent from a policy, the blocklist stays in user space only: several nodes in one process (tests, benchmarks)
/// must not fight over one kernel table, and a node without CAP_NET_ADMIN has no use for one.
public struct FirewallSettings: Sendable, Hashable {
    /// Whether blocks are mirrored into an nftables set. Default true (the section is there to say so).
    public var kernelBlocklist: Bool
    /// The `inet` table Gatehouse creates at start and deletes at stop. Default `gatehouse`.
    public var table: String

    public static let defaultTable = "gatehouse"

    public init(kernelBlocklist: Bool = true, table: String = FirewallSettings.defaultTable) {
        self.kernelBlocklist = kernelBlocklist
        self.table = table
    }
}
