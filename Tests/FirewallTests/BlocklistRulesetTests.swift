import CNftnl
import Testing

@testable import Firewall

/// The batches `BlocklistRuleset` builds, read back without a socket: message order, flags, and what libnftnl
/// parses out of them.
@Suite("nftables blocklist batches")
struct BlocklistRulesetTests {
    static let listeners = [
        GuardedListener(address: FirewallAddress(parsing: "192.0.2.10")!, transportProtocol: .udp, port: 5060),
        GuardedListener(address: FirewallAddress(parsing: "192.0.2.10")!, transportProtocol: .tcp, port: 5060),
        GuardedListener(address: FirewallAddress(parsing: "2001:db8::10")!, transportProtocol: .udp, port: 5060),
        GuardedListener(address: FirewallAddress(parsing: "0.0.0.0")!, transportProtocol: .tcp, port: 5061),
    ]

    @Test("install resets the table, then creates both sets, the chain and one rule per listener")
    func installBatch() throws {
        let ruleset = try BlocklistRuleset(table: "gatehouse", listeners: Self.listeners + [Self.listeners[0]])
        #expect(ruleset.listeners == Self.listeners)
        let batch = ruleset.installBatch(sequence: 100)
        let messages = NetlinkMessages(batch.bytes)
        typealias M = NetlinkMessages
        #expect(
            messages.types == [
                M.begin, M.type(NFT_MSG_NEWTABLE), M.type(NFT_MSG_DELTABLE), M.type(NFT_MSG_NEWTABLE),
                M.type(NFT_MSG_NEWSET), M.type(NFT_MSG_NEWSET), M.type(NFT_MSG_NEWCHAIN),
                M.type(NFT_MSG_NEWRULE), M.type(NFT_MSG_NEWRULE), M.type(NFT_MSG_NEWRULE), M.type(NFT_MSG_NEWRULE),
                M.end,
            ])
        #expect(batch.expectedAcknowledgements == 10)
        #expect(messages.messages.map(\.sequence) == Array(100...111))
        // Every message but the batch's own asks for an answer.
        for message in messages.messages.dropFirst().dropLast() {
            #expect(message.flags & UInt16(NLM_F_ACK) != 0)
        }
        #expect(batch.contains(sequence: 110) && !batch.contains(sequence: 111) && !batch.contains(sequence: 99))

        let set = messages.messages[4].withParsed(
            alloc: nftnl_set_alloc, free: nftnl_set_free, parse: { nftnl_set_nlmsg_parse($0, $1) },
            read: { set in
                (
                    String(cString: nftnl_set_get_str(set, UInt16(NFTNL_SET_NAME.rawValue))),
                    nftnl_set_get_u32(set, UInt16(NFTNL_SET_FLAGS.rawValue)),
                    nftnl_set_get_u32(set, UInt16(NFTNL_SET_KEY_LEN.rawValue))
                )
            })
        #expect(set?.0 == "blocked4")
        #expect(set?.1 == NFT_SET_TIMEOUT.rawValue)
        #expect(set?.2 == 4)

        let chain = messages.messages[6].withParsed(
            alloc: nftnl_chain_alloc, free: nftnl_chain_free, parse: { nftnl_chain_nlmsg_parse($0, $1) },
            read: { chain in
                (
                    nftnl_chain_get_u32(chain, UInt16(NFTNL_CHAIN_HOOKNUM.rawValue)),
                    nftnl_chain_get_s32(chain, UInt16(NFTNL_CHAIN_PRIO.rawValue))
                )
            })
        #expect(chain?.0 == UInt32(NF_INET_PRE_ROUTING.rawValue))
        #expect(chain?.1 == -300)
    }

    @Test("a listener's rule checks family, protocol, port, destination, then the set; counts; drops")
    func ruleExpressions() throws {
        let ruleset = try BlocklistRuleset(listeners: Self.listeners)
        let rules = NetlinkMessages(ruleset.installBatch(sequence: 1).bytes).messages.filter {
            $0.type == NetlinkMessages.type(NFT_MSG_NEWRULE)
        }
        func expressionNames(_ message: NetlinkMessages.Message) -> [String] {
            message.withParsed(
                alloc: nftnl_rule_alloc, free: nftnl_rule_free, parse: { nftnl_rule_nlmsg_parse($0, $1) },
                read: { rule in
                    var names: [String] = []
                    let iterator = nftnl_expr_iter_create(rule)
                    defer { nftnl_expr_iter_destroy(iterator) }
                    while let expression = nftnl_expr_iter_next(iterator) {
                        names.append(String(cString: nftnl_expr_get_str(expression, UInt16(NFTNL_EXPR_NAME))))
                    }
                    return names
                }) ?? []
        }
        let specific = [
            "meta", "cmp", "meta", "cmp", "payload", "cmp", "payload", "cmp", "payload", "lookup", "counter",
            "immediate",
        ]
        #expect(expressionNames(rules[0]) == specific)
        #expect(expressionNames(rules[2]) == specific)
        // A wildcard listener matches any local destination instead of one address.
        #expect(
            expressionNames(rules[3]) == [
                "meta", "cmp", "meta", "cmp", "payload", "cmp", "fib", "cmp", "payload", "lookup", "counter",
                "immediate",
            ])
    }

    @Test("a block replaces the element: plain add, delete, add with the timeout and the comment")
    func blockBatch() throws {
        let ruleset = try BlocklistRuleset(listeners: Self.listeners)
        let address = try #require(FirewallAddress(parsing: "2001:db8::66"))
        let batch = ruleset.blockBatch(
            [KernelBlock(address: address, timeout: .seconds(90), comment: "scanner")], sequence: 7)
        let messages = NetlinkMessages(batch.bytes)
        typealias M = NetlinkMessages
        #expect(
            messages.types == [
                M.begin, M.type(NFT_MSG_NEWSETELEM), M.type(NFT_MSG_DELSETELEM), M.type(NFT_MSG_NEWSETELEM), M.end,
            ])
        #expect(messages.messages[3].flags & UInt16(NLM_F_EXCL) != 0)
        #expect(messages.messages[1].flags & UInt16(NLM_F_EXCL) == 0)

        var copy = messages.messages[3].bytes
        let elements = copy.withUnsafeMutableBytes { raw in
            KernelBlocklistElement.parse(raw.baseAddress!.assumingMemoryBound(to: nlmsghdr.self))
        }
        #expect(elements == [KernelBlocklistElement(address: address, timeout: .seconds(90), comment: "scanner")])
        let setName = messages.messages[3].withParsed(
            alloc: nftnl_set_alloc, free: nftnl_set_free, parse: { nftnl_set_elems_nlmsg_parse($0, $1) },
            read: { String(cString: nftnl_set_get_str($0, UInt16(NFTNL_SET_NAME.rawValue))) })
        #expect(setName == "blocked6")
    }

    @Test("an unblock adds plainly, then deletes, so an address not blocked is no error")
    func unblockBatch() throws {
        let ruleset = try BlocklistRuleset(listeners: Self.listeners)
        let addresses = [FirewallAddress(parsing: "198.51.100.7")!, FirewallAddress(parsing: "198.51.100.8")!]
        let messages = NetlinkMessages(ruleset.unblockBatch(addresses, sequence: 1).bytes)
        typealias M = NetlinkMessages
        let pair = [M.type(NFT_MSG_NEWSETELEM), M.type(NFT_MSG_DELSETELEM)]
        #expect(messages.types == [M.begin] + pair + pair + [M.end])
    }

    @Test("uninstall adds the table plainly, then deletes it")
    func uninstallBatch() throws {
        let ruleset = try BlocklistRuleset(table: "gh-lab_1", listeners: [])
        #expect(
            NetlinkMessages(ruleset.uninstallBatch(sequence: 1).bytes).types == [
                NetlinkMessages.begin, NetlinkMessages.type(NFT_MSG_NEWTABLE), NetlinkMessages.type(NFT_MSG_DELTABLE),
                NetlinkMessages.end,
            ])
    }

    @Test("a list request is one GETSETELEM dump for the family's set")
    func listRequest() throws {
        let ruleset = try BlocklistRuleset(listeners: [])
        let messages = NetlinkMessages(ruleset.listRequest(.ipv6, sequence: 42)).messages
        #expect(messages.count == 1)
        #expect(messages.first?.type == NetlinkMessages.type(NFT_MSG_GETSETELEM))
        #expect((messages.first?.flags ?? 0) & UInt16(NLM_F_DUMP) == UInt16(NLM_F_DUMP))
        #expect(messages.first?.sequence == 42)
    }

    @Test("table names nft can write without quotes; timeouts in whole milliseconds, 1 ms to 30 days")
    func validation() throws {
        for bad in ["", "has space", "semi;colon", String(repeating: "x", count: 65)] {
            #expect(throws: FirewallError.self) { try BlocklistRuleset(table: bad, listeners: []) }
        }
        #expect(BlocklistRuleset.milliseconds(.seconds(90)) == 90_000)
        #expect(BlocklistRuleset.milliseconds(.microseconds(10)) == 1)
        #expect(BlocklistRuleset.milliseconds(.seconds(365 * 86_400)) == 30 * 86_400 * 1000)
    }

    @Test("addresses parse and print in both families")
    func addresses() throws {
        #expect(FirewallAddress(parsing: "10.231.0.2")?.bytes == [10, 231, 0, 2])
        #expect(FirewallAddress(parsing: "2001:DB8::1")?.description == "2001:db8::1")
        #expect(FirewallAddress(parsing: "0.0.0.0")?.isUnspecified == true)
        #expect(FirewallAddress(parsing: "10.231.0") == nil)
        #expect(FirewallAddress(parsing: "[::1]") == nil)
        #expect(FirewallAddress(bytes: [1, 2, 3]) == nil)
    }
}
