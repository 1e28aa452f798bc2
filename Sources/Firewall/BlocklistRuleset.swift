import CNftnl
import Glibc

/// Gatehouse's own nftables table, and every netlink batch that changes it: built here as bytes, sent by
/// `KernelBlocklist` (so tests can read a batch without a socket or CAP_NET_ADMIN).
///
/// The table, as `nft list table inet gatehouse` shows it:
///
/// ```
/// table inet gatehouse {
///     set blocked4 { type ipv4_addr; flags timeout; }
///     set blocked6 { type ipv6_addr; flags timeout; }
///     chain guard {
///         type filter hook prerouting priority raw; policy accept;
///         meta nfproto ipv4 meta l4proto udp udp dport 5060 ip daddr 192.0.2.10 ip saddr @blocked4 counter drop
///         …one rule per SIP listener…
///     }
/// }
/// ```
///
/// **Why prerouting at priority raw (-300).** It runs after defragmentation (-400), so the transport header is
/// whole, and before connection tracking (-200), so a blocked flood never creates conntrack entries and never
/// meets another table's filter rules: it costs the kernel a few comparisons and a hash lookup per packet. Rules
/// are scoped to the node's own listeners (destination address, protocol, port; a wildcard listener matches any
/// address of this host by `fib daddr type local`), so a block cuts a source off from Gatehouse and from nothing
/// else, and traffic routed through the host is never touched.
///
/// **Why rebuilt whole.** `install` adds the table, deletes it and creates it again in one batch: whatever a
/// previous run left (a crash skips `uninstall`) goes, atomically, and adding rules never duplicates them.
public struct BlocklistRuleset: Hashable, Sendable {
    /// The table's name (family `inet`); default `gatehouse`.
    public let table: String
    /// The listeners the drop rules protect.
    public let listeners: [GuardedListener]

    public static let defaultTable = "gatehouse"
    /// The set of blocked IPv4 sources.
    public static let ipv4Set = "blocked4"
    /// The set of blocked IPv6 sources.
    public static let ipv6Set = "blocked6"
    /// The base chain holding the drop rules.
    public static let chain = "guard"
    /// NF_IP_PRI_RAW: after defragmentation, before connection tracking.
    public static let priority: Int32 = -300
    /// The longest timeout an element gets (30 days): a longer block (an operator's "for a year") lasts a month in
    /// the kernel and its full length in the userspace list, which keeps dropping the source after that.
    public static let maximumTimeout: Duration = .seconds(30 * 86_400)

    /// - Throws: `.invalidArgument` for a table name that is empty, longer than 64 bytes, or not made of letters,
    ///   digits, `_` and `-` (what `nft` can name on its command line without quotes).
    public init(table: String = BlocklistRuleset.defaultTable, listeners: [GuardedListener]) throws(FirewallError) {
        let allowed = table.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
                || (UInt8(ascii: "0")...UInt8(ascii: "9"))
                    .contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard !table.isEmpty, table.utf8.count <= 64, allowed else {
            throw FirewallError(.invalidArgument, "table name '\(table)': 1 to 64 letters, digits, _ or -")
        }
        self.table = table
        var unique: [GuardedListener] = []
        for listener in listeners where !unique.contains(listener) { unique.append(listener) }
        self.listeners = unique
    }

    /// The set holding addresses of `family`.
    public static func set(for family: FirewallAddress.Family) -> String {
        family == .ipv4 ? ipv4Set : ipv6Set
    }

    // MARK: Batches

    /// Creates the table afresh: sets, chain and one drop rule per listener (see the type's comment).
    public func installBatch(sequence: UInt32) -> NetlinkBatch {
        var batch = NetlinkBatch(sequence: sequence)
        appendTableReset(to: &batch)
        batch.append(NFT_MSG_NEWTABLE, family: Self.family, flags: NLM_F_CREATE) { header in
            withTable { nftnl_table_nlmsg_build_payload(header, $0) }
        }
        for (index, family) in [FirewallAddress.Family.ipv4, .ipv6].enumerated() {
            batch.append(NFT_MSG_NEWSET, family: Self.family, flags: NLM_F_CREATE) { header in
                withSet(family, id: UInt32(index + 1)) { nftnl_set_nlmsg_build_payload(header, $0) }
            }
        }
        batch.append(NFT_MSG_NEWCHAIN, family: Self.family, flags: NLM_F_CREATE) { header in
            withChain { nftnl_chain_nlmsg_build_payload(header, $0) }
        }
        for listener in listeners {
            batch.append(NFT_MSG_NEWRULE, family: Self.family, flags: NLM_F_CREATE | NLM_F_APPEND) { header in
                withRule(for: listener) { nftnl_rule_nlmsg_build_payload(header, $0) }
            }
        }
        return batch
    }

    /// Deletes the table, whether or not it exists (adding it first makes the delete never fail).
    public func uninstallBatch(sequence: UInt32) -> NetlinkBatch {
        var batch = NetlinkBatch(sequence: sequence)
        appendTableReset(to: &batch)
        return batch
    }

    /// Blocks each address for its timeout (at least 1 ms, at most `maximumTimeout`), replacing any element it
    /// has: the element is added plainly (a no-op if present), deleted, and added again with the timeout, so
    /// neither "exists" nor "does not exist" can fail the batch.
    public func blockBatch(_ blocks: [KernelBlock], sequence: UInt32) -> NetlinkBatch {
        var batch = NetlinkBatch(sequence: sequence)
        for block in blocks {
            appendElement(block.address, to: &batch, type: NFT_MSG_NEWSETELEM, flags: NLM_F_CREATE)
            appendElement(block.address, to: &batch, type: NFT_MSG_DELSETELEM)
            appendElement(
                block.address, to: &batch, type: NFT_MSG_NEWSETELEM, flags: NLM_F_CREATE | NLM_F_EXCL,
                timeout: block.timeout, comment: block.comment)
        }
        return batch
    }

    /// Lifts the blocks on `addresses`, present or not (each is added plainly first, then deleted).
    public func unblockBatch(_ addresses: [FirewallAddress], sequence: UInt32) -> NetlinkBatch {
        var batch = NetlinkBatch(sequence: sequence)
        for address in addresses {
            appendElement(address, to: &batch, type: NFT_MSG_NEWSETELEM, flags: NLM_F_CREATE)
            appendElement(address, to: &batch, type: NFT_MSG_DELSETELEM)
        }
        return batch
    }

    /// A dump request for the elements of the set of `family` (not a batch: a plain GETSETELEM with NLM_F_DUMP).
    public func listRequest(_ family: FirewallAddress.Family, sequence: UInt32) -> [UInt8] {
        let size = gh_mnl_socket_buffer_size()
        return withUnsafeTemporaryAllocation(byteCount: size, alignment: 16) { page in
            page.initializeMemory(as: UInt8.self, repeating: 0)
            let start = page.baseAddress!.assumingMemoryBound(to: CChar.self)
            guard
                let header = nftnl_nlmsg_build_hdr(
                    start, UInt16(NFT_MSG_GETSETELEM.rawValue), Self.family, UInt16(NLM_F_DUMP | NLM_F_ACK), sequence)
            else { return [] }
            withSet(family, id: 0) { nftnl_set_elems_nlmsg_build_payload(header, $0) }
            return Array(UnsafeRawBufferPointer(start: page.baseAddress, count: Int(header.pointee.nlmsg_len)))
        }
    }

    // MARK: Objects

    /// NFPROTO_INET: one table for IPv4 and IPv6.
    static let family = UInt16(NFPROTO_INET)

    private func appendTableReset(to batch: inout NetlinkBatch) {
        batch.append(NFT_MSG_NEWTABLE, family: Self.family, flags: NLM_F_CREATE) { header in
            withTable { nftnl_table_nlmsg_build_payload(header, $0) }
        }
        batch.append(NFT_MSG_DELTABLE, family: Self.family) { header in
            withTable { nftnl_table_nlmsg_build_payload(header, $0) }
        }
    }

    private func withTable(_ body: (OpaquePointer) -> Void) {
        guard let table = nftnl_table_alloc() else { return }
        defer { nftnl_table_free(table) }
        nftnl_table_set_str(table, UInt16(NFTNL_TABLE_NAME.rawValue), self.table)
        nftnl_table_set_u32(table, UInt16(NFTNL_TABLE_FAMILY.rawValue), UInt32(Self.family))
        body(table)
    }

    private func withSet(_ family: FirewallAddress.Family, id: UInt32, _ body: (OpaquePointer) -> Void) {
        guard let set = nftnl_set_alloc() else { return }
        defer { nftnl_set_free(set) }
        nftnl_set_set_str(set, UInt16(NFTNL_SET_TABLE.rawValue), table)
        nftnl_set_set_str(set, UInt16(NFTNL_SET_NAME.rawValue), Self.set(for: family))
        nftnl_set_set_u32(set, UInt16(NFTNL_SET_FAMILY.rawValue), UInt32(Self.family))
        if id > 0 {
            // nft's datatype numbers (ipv4_addr 7, ipv6_addr 8), so `nft list` prints addresses.
            nftnl_set_set_u32(set, UInt16(NFTNL_SET_KEY_TYPE.rawValue), family == .ipv4 ? 7 : 8)
            nftnl_set_set_u32(set, UInt16(NFTNL_SET_KEY_LEN.rawValue), family == .ipv4 ? 4 : 16)
            nftnl_set_set_u32(set, UInt16(NFTNL_SET_FLAGS.rawValue), NFT_SET_TIMEOUT.rawValue)
            nftnl_set_set_u32(set, UInt16(NFTNL_SET_ID.rawValue), id)
        }
        body(set)
    }

    private func withChain(_ body: (OpaquePointer) -> Void) {
        guard let chain = nftnl_chain_alloc() else { return }
        defer { nftnl_chain_free(chain) }
        nftnl_chain_set_str(chain, UInt16(NFTNL_CHAIN_TABLE.rawValue), table)
        nftnl_chain_set_str(chain, UInt16(NFTNL_CHAIN_NAME.rawValue), Self.chain)
        nftnl_chain_set_u32(chain, UInt16(NFTNL_CHAIN_FAMILY.rawValue), UInt32(Self.family))
        nftnl_chain_set_str(chain, UInt16(NFTNL_CHAIN_TYPE.rawValue), "filter")
        nftnl_chain_set_u32(chain, UInt16(NFTNL_CHAIN_HOOKNUM.rawValue), UInt32(NF_INET_PRE_ROUTING.rawValue))
        nftnl_chain_set_s32(chain, UInt16(NFTNL_CHAIN_PRIO.rawValue), Self.priority)
        nftnl_chain_set_u32(chain, UInt16(NFTNL_CHAIN_POLICY.rawValue), UInt32(NF_ACCEPT))
        body(chain)
    }

    private func withRule(for listener: GuardedListener, _ body: (OpaquePointer) -> Void) {
        guard let rule = nftnl_rule_alloc() else { return }
        defer { nftnl_rule_free(rule) }
        nftnl_rule_set_str(rule, UInt16(NFTNL_RULE_TABLE.rawValue), table)
        nftnl_rule_set_str(rule, UInt16(NFTNL_RULE_CHAIN.rawValue), Self.chain)
        nftnl_rule_set_u32(rule, UInt16(NFTNL_RULE_FAMILY.rawValue), UInt32(Self.family))
        let isIPv4 = listener.address.family == .ipv4
        let add = { (expression: OpaquePointer?) in if let expression { nftnl_rule_add_expr(rule, expression) } }
        add(RuleExpressions.meta(NFT_META_NFPROTO))
        add(RuleExpressions.equals([UInt8(isIPv4 ? NFPROTO_IPV4 : NFPROTO_IPV6)]))
        add(RuleExpressions.meta(NFT_META_L4PROTO))
        add(RuleExpressions.equals([listener.transportProtocol.rawValue]))
        add(RuleExpressions.payload(NFT_PAYLOAD_TRANSPORT_HEADER, offset: 2, length: 2))
        add(RuleExpressions.equals([UInt8(listener.port >> 8), UInt8(listener.port & 0xFF)]))
        if listener.address.isUnspecified {
            add(RuleExpressions.destinationAddressType())
            add(RuleExpressions.equals(RuleExpressions.hostOrder(RuleExpressions.localRouteType)))
        } else {
            add(RuleExpressions.payload(NFT_PAYLOAD_NETWORK_HEADER, offset: isIPv4 ? 16 : 24, length: isIPv4 ? 4 : 16))
            add(RuleExpressions.equals(listener.address.bytes))
        }
        add(RuleExpressions.payload(NFT_PAYLOAD_NETWORK_HEADER, offset: isIPv4 ? 12 : 8, length: isIPv4 ? 4 : 16))
        add(RuleExpressions.lookup(set: Self.set(for: listener.address.family), id: isIPv4 ? 1 : 2))
        add(RuleExpressions.counter())
        add(RuleExpressions.drop())
        withComment(NFTNL_UDATA_RULE_COMMENT.rawValue, "gatehouse \(listener)") { data, length in
            nftnl_rule_set_data(rule, UInt16(NFTNL_RULE_USERDATA.rawValue), data, length)
        }
        body(rule)
    }

    private func appendElement(
        _ address: FirewallAddress, to batch: inout NetlinkBatch, type: nf_tables_msg_types, flags: Int32 = 0,
        timeout: Duration? = nil, comment: String? = nil
    ) {
        batch.append(type, family: Self.family, flags: flags) { header in
            withSet(address.family, id: 0) { set in
                guard let element = nftnl_set_elem_alloc() else { return }
                _ = address.bytes.withUnsafeBytes { raw in
                    nftnl_set_elem_set(element, UInt16(NFTNL_SET_ELEM_KEY), raw.baseAddress, UInt32(raw.count))
                }
                if let timeout {
                    nftnl_set_elem_set_u64(element, UInt16(NFTNL_SET_ELEM_TIMEOUT), Self.milliseconds(timeout))
                }
                if let comment {
                    withComment(NFTNL_UDATA_SET_ELEM_COMMENT.rawValue, comment) { data, length in
                        _ = nftnl_set_elem_set(element, UInt16(NFTNL_SET_ELEM_USERDATA), data, length)
                    }
                }
                nftnl_set_elem_add(set, element)
                nftnl_set_elems_nlmsg_build_payload(header, set)
            }
        }
    }

    /// A timeout in whole milliseconds, 1 ms to `maximumTimeout`.
    static func milliseconds(_ timeout: Duration) -> UInt64 {
        let clamped = min(max(timeout, .milliseconds(1)), maximumTimeout)
        let (seconds, attoseconds) = clamped.components
        return UInt64(seconds) * 1000 + UInt64(attoseconds / 1_000_000_000_000_000)
    }

    /// `text` as nft's comment TLV (type `type`, NUL-terminated, at most 127 bytes), passed to `body`.
    private func withComment(
        _ type: UInt32, _ text: String, _ body: (UnsafeRawPointer, UInt32) -> Void
    ) {
        guard let buffer = nftnl_udata_buf_alloc(UInt32(NFT_USERDATA_MAXLEN)) else { return }
        defer { nftnl_udata_buf_free(buffer) }
        let bounded = String(decoding: text.utf8.prefix(Int(NFTNL_UDATA_COMMENT_MAXLEN) - 1), as: UTF8.self)
        guard nftnl_udata_put_strz(buffer, UInt8(type), bounded), let data = nftnl_udata_buf_data(buffer) else {
            return
        }
        body(data, nftnl_udata_buf_len(buffer))
    }
}

/// One address to block in the kernel, for how long, and why (the element's comment, shown by `nft list set`).
public struct KernelBlock: Hashable, Sendable {
    public var address: FirewallAddress
    public var timeout: Duration
    public var comment: String?

    public init(address: FirewallAddress, timeout: Duration, comment: String? = nil) {
        self.address = address
        self.timeout = timeout
        self.comment = comment
    }
}
