import CNftnl
import Glibc

/// The expressions of the blocklist's drop rules, one small builder each, in the order the kernel runs them.
///
/// A rule `meta nfproto ipv4 meta l4proto udp udp dport 5060 ip daddr 192.0.2.10 ip saddr @blocked4 counter drop`
/// becomes: load `nfproto` into register 1 and compare it; load `l4proto` and compare; load the transport header's
/// bytes 2–3 (the destination port) and compare; load the destination address and compare; load the source address
/// and look it up in the set; count; give the verdict. The cheap comparisons come first, so a packet to another
/// service never costs a set lookup.
enum RuleExpressions {
    /// `meta KEY` into register 1.
    static func meta(_ key: nft_meta_keys) -> OpaquePointer? {
        let expression = nftnl_expr_alloc("meta")
        nftnl_expr_set_u32(expression, UInt16(NFTNL_EXPR_META_KEY), key.rawValue)
        nftnl_expr_set_u32(expression, UInt16(NFTNL_EXPR_META_DREG), NFT_REG_1.rawValue)
        return expression
    }

    /// Register 1 equals `data`.
    static func equals(_ data: [UInt8]) -> OpaquePointer? {
        let expression = nftnl_expr_alloc("cmp")
        nftnl_expr_set_u32(expression, UInt16(NFTNL_EXPR_CMP_SREG), NFT_REG_1.rawValue)
        nftnl_expr_set_u32(expression, UInt16(NFTNL_EXPR_CMP_OP), NFT_CMP_EQ.rawValue)
        _ = data.withUnsafeBytes { raw in
            nftnl_expr_set(expression, UInt16(NFTNL_EXPR_CMP_DATA), raw.baseAddress, UInt32(raw.count))
        }
        return expression
    }

    /// `length` bytes at `offset` of the `base` header into register 1.
    static func payload(_ base: nft_payload_bases, offset: UInt32, length: UInt32) -> OpaquePointer? {
        let expression = nftnl_expr_alloc("payload")
        nftnl_expr_set_u32(expression, UInt16(NFTNL_EXPR_PAYLOAD_BASE), base.rawValue)
        nftnl_expr_set_u32(expression, UInt16(NFTNL_EXPR_PAYLOAD_OFFSET), offset)
        nftnl_expr_set_u32(expression, UInt16(NFTNL_EXPR_PAYLOAD_LEN), length)
        nftnl_expr_set_u32(expression, UInt16(NFTNL_EXPR_PAYLOAD_DREG), NFT_REG_1.rawValue)
        return expression
    }

    /// `fib daddr type` into register 1: the route type of the destination (RTN_LOCAL for an address of this host).
    static func destinationAddressType() -> OpaquePointer? {
        let expression = nftnl_expr_alloc("fib")
        nftnl_expr_set_u32(expression, UInt16(NFTNL_EXPR_FIB_FLAGS), UInt32(NFTA_FIB_F_DADDR.rawValue))
        nftnl_expr_set_u32(
            expression, UInt16(NFTNL_EXPR_FIB_RESULT), UInt32(NFT_FIB_RESULT_ADDRTYPE.rawValue))
        nftnl_expr_set_u32(expression, UInt16(NFTNL_EXPR_FIB_DREG), NFT_REG_1.rawValue)
        return expression
    }

    /// Register 1 is an element of the set `name` (created in the same batch with `id`).
    static func lookup(set name: String, id: UInt32) -> OpaquePointer? {
        let expression = nftnl_expr_alloc("lookup")
        nftnl_expr_set_u32(expression, UInt16(NFTNL_EXPR_LOOKUP_SREG), NFT_REG_1.rawValue)
        nftnl_expr_set_str(expression, UInt16(NFTNL_EXPR_LOOKUP_SET), name)
        nftnl_expr_set_u32(expression, UInt16(NFTNL_EXPR_LOOKUP_SET_ID), id)
        return expression
    }

    /// `counter`: packets and bytes, what `nft list ruleset` shows.
    static func counter() -> OpaquePointer? { nftnl_expr_alloc("counter") }

    /// The verdict `drop`.
    static func drop() -> OpaquePointer? {
        let expression = nftnl_expr_alloc("immediate")
        nftnl_expr_set_u32(expression, UInt16(NFTNL_EXPR_IMM_DREG), NFT_REG_VERDICT.rawValue)
        nftnl_expr_set_u32(expression, UInt16(NFTNL_EXPR_IMM_VERDICT), UInt32(NF_DROP))
        return expression
    }

    /// RTN_LOCAL of <linux/rtnetlink.h>: the route type of an address of this host.
    static let localRouteType: UInt32 = 2

    /// A 32-bit value in host byte order, as `cmp` compares a `meta` or `fib` result.
    static func hostOrder(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }
}
