import CNftnl
import Synchronization

/// Gatehouse's blocklist in the kernel: the table `BlocklistRuleset` describes, created by `install()`, changed by
/// `block` and `unblock`, read by `elements()`, removed by `uninstall()`.
///
/// Every call is one netlink round trip (a batch the kernel applies whole, or a dump), made under a lock, so calls
/// from several threads reach the kernel one at a time and in order. Without CAP_NET_ADMIN every call throws
/// `.permissionDenied`; the caller then keeps its blocklist in user space.
public final class KernelBlocklist: Sendable {
    public let ruleset: BlocklistRuleset
    private let socket: Mutex<NetlinkSocket>

    /// Opens the netlink socket; nothing is sent yet.
    public init(_ ruleset: BlocklistRuleset) throws(FirewallError) {
        self.ruleset = ruleset
        socket = Mutex(try NetlinkSocket())
    }

    /// Creates the table afresh (replacing one a previous run left), with empty sets.
    public func install() throws(FirewallError) {
        try perform("creating table inet \(ruleset.table)") { ruleset.installBatch(sequence: $0) }
    }

    /// Deletes the table, if it exists.
    public func uninstall() throws(FirewallError) {
        try perform("deleting table inet \(ruleset.table)") { ruleset.uninstallBatch(sequence: $0) }
    }

    /// Blocks each address for its timeout, replacing a block it already has.
    public func block(_ blocks: [KernelBlock]) throws(FirewallError) {
        guard !blocks.isEmpty else { return }
        try perform("blocking \(blocks.map(\.address.description).joined(separator: ", "))") {
            ruleset.blockBatch(blocks, sequence: $0)
        }
    }

    /// Lifts the blocks on `addresses` (an address not blocked is no error).
    public func unblock(_ addresses: [FirewallAddress]) throws(FirewallError) {
        guard !addresses.isEmpty else { return }
        try perform("unblocking \(addresses.map(\.description).joined(separator: ", "))") {
            ruleset.unblockBatch(addresses, sequence: $0)
        }
    }

    /// The addresses in the sets now, IPv4 first, with what the kernel says of their timeouts.
    public func elements() throws(FirewallError) -> [KernelBlocklistElement] {
        var found: [KernelBlocklistElement] = []
        for family in [FirewallAddress.Family.ipv4, .ipv6] {
            try socket.withLock { (socket) throws(FirewallError) in
                let sequence = socket.reserveSequence(1)
                let request = ruleset.listRequest(family, sequence: sequence)
                try socket.dump(request, sequence: sequence, "listing set \(BlocklistRuleset.set(for: family))") {
                    found += KernelBlocklistElement.parse($0)
                }
            }
        }
        return found
    }

    private func perform(_ what: String, _ build: (UInt32) -> NetlinkBatch) throws(FirewallError) {
        try socket.withLock { (socket) throws(FirewallError) in
            let batch = build(socket.sequence)
            _ = socket.reserveSequence(batch.expectedAcknowledgements + 2)
            try socket.perform(batch, what)
        }
    }
}

/// One element of a blocklist set as the kernel reports it.
public struct KernelBlocklistElement: Hashable, Sendable, CustomStringConvertible {
    public var address: FirewallAddress
    /// The timeout it was added with; nil for none.
    public var timeout: Duration?
    /// The time left until the kernel removes it; nil for none.
    public var expires: Duration?
    /// The comment it was added with (Gatehouse writes the block's reason).
    public var comment: String?

    public init(address: FirewallAddress, timeout: Duration? = nil, expires: Duration? = nil, comment: String? = nil) {
        self.address = address
        self.timeout = timeout
        self.expires = expires
        self.comment = comment
    }

    public var description: String {
        "\(address)" + (expires.map { " expires \($0)" } ?? "") + (comment.map { " (\($0))" } ?? "")
    }

    /// The elements of one GETSETELEM answer message.
    static func parse(_ header: UnsafeMutablePointer<nlmsghdr>) -> [KernelBlocklistElement] {
        guard let set = nftnl_set_alloc() else { return [] }
        defer { nftnl_set_free(set) }
        guard nftnl_set_elems_nlmsg_parse(header, set) >= 0,
            let iterator = nftnl_set_elems_iter_create(set)
        else { return [] }
        defer { nftnl_set_elems_iter_destroy(iterator) }
        var elements: [KernelBlocklistElement] = []
        var element = nftnl_set_elems_iter_next(iterator)
        while let current = element {
            if let parsed = parse(element: current) { elements.append(parsed) }
            element = nftnl_set_elems_iter_next(iterator)
        }
        return elements
    }

    private static func parse(element: OpaquePointer) -> KernelBlocklistElement? {
        var length: UInt32 = 0
        guard let key = nftnl_set_elem_get(element, UInt16(NFTNL_SET_ELEM_KEY), &length),
            let address = FirewallAddress(bytes: Array(UnsafeRawBufferPointer(start: key, count: Int(length))))
        else { return nil }
        var parsed = KernelBlocklistElement(address: address)
        if nftnl_set_elem_is_set(element, UInt16(NFTNL_SET_ELEM_TIMEOUT)) {
            parsed.timeout = .milliseconds(nftnl_set_elem_get_u64(element, UInt16(NFTNL_SET_ELEM_TIMEOUT)))
        }
        if nftnl_set_elem_is_set(element, UInt16(NFTNL_SET_ELEM_EXPIRATION)) {
            parsed.expires = .milliseconds(nftnl_set_elem_get_u64(element, UInt16(NFTNL_SET_ELEM_EXPIRATION)))
        }
        if let data = nftnl_set_elem_get(element, UInt16(NFTNL_SET_ELEM_USERDATA), &length) {
            parsed.comment = comment(in: UnsafeRawBufferPointer(start: data, count: Int(length)))
        }
        return parsed
    }

    /// The comment TLV of element userdata: type, length, NUL-terminated text.
    static func comment(in userdata: UnsafeRawBufferPointer) -> String? {
        var index = 0
        while index + 2 <= userdata.count {
            let type = userdata[index]
            let length = Int(userdata[index + 1])
            let start = index + 2
            guard start + length <= userdata.count else { return nil }
            if type == UInt8(NFTNL_UDATA_SET_ELEM_COMMENT.rawValue) {
                let text = userdata[start..<(start + length)].prefix { $0 != 0 }
                return String(decoding: text, as: UTF8.self)
            }
            index = start + length
        }
        return nil
    }
}
