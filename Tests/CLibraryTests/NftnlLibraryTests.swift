import CNftnl
import Testing

/// libnftnl + libmnl build an nftables netlink batch in memory; nothing is sent to the kernel.
@Suite("libnftnl + libmnl")
struct NftnlLibraryTests {
    @Test("a NEWTABLE batch for table inet gatehouse builds and parses back")
    func buildAndParseTableBatch() throws {
        let table = try #require(nftnl_table_alloc())
        defer { nftnl_table_free(table) }
        #expect(nftnl_table_set_str(table, UInt16(NFTNL_TABLE_NAME.rawValue), "gatehouse") == 0)
        nftnl_table_set_u32(table, UInt16(NFTNL_TABLE_FAMILY.rawValue), UInt32(NFPROTO_INET))

        let pageSize = gh_mnl_socket_buffer_size()
        #expect(pageSize >= 4096)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 2 * pageSize, alignment: 16)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: 2 * pageSize)

        let batch = try #require(mnl_nlmsg_batch_start(buffer, pageSize))
        defer { mnl_nlmsg_batch_stop(batch) }
        var seq: UInt32 = 1000

        _ = nftnl_batch_begin(mnl_nlmsg_batch_current(batch).assumingMemoryBound(to: CChar.self), seq)
        seq += 1
        #expect(mnl_nlmsg_batch_next(batch))

        let header = try #require(
            nftnl_nlmsg_build_hdr(
                mnl_nlmsg_batch_current(batch).assumingMemoryBound(to: CChar.self),
                UInt16(NFT_MSG_NEWTABLE.rawValue), UInt16(NFPROTO_INET),
                UInt16(NLM_F_CREATE | NLM_F_ACK), seq))
        seq += 1
        nftnl_table_nlmsg_build_payload(header, table)
        #expect(mnl_nlmsg_batch_next(batch))

        _ = nftnl_batch_end(mnl_nlmsg_batch_current(batch).assumingMemoryBound(to: CChar.self), seq)
        #expect(mnl_nlmsg_batch_next(batch))

        let size = mnl_nlmsg_batch_size(batch)
        #expect(size > 0)

        // Walk the batch: begin, NEWTABLE (nftables subsystem), end.
        var types: [UInt16] = []
        var remaining = Int32(size)
        var message: UnsafeMutablePointer<nlmsghdr>? = mnl_nlmsg_batch_head(batch)
            .assumingMemoryBound(to: nlmsghdr.self)
        while let current = message, mnl_nlmsg_ok(current, remaining) {
            types.append(current.pointee.nlmsg_type)
            message = mnl_nlmsg_next(current, &remaining)
        }
        let newTable = UInt16(NFNL_SUBSYS_NFTABLES << 8) | UInt16(NFT_MSG_NEWTABLE.rawValue)
        #expect(types == [UInt16(NFNL_MSG_BATCH_BEGIN), newTable, UInt16(NFNL_MSG_BATCH_END)])
        #expect(remaining == 0)

        // Parse the NEWTABLE message into a fresh table object.
        let parsed = try #require(nftnl_table_alloc())
        defer { nftnl_table_free(parsed) }
        #expect(nftnl_table_nlmsg_parse(header, parsed) >= 0)
        let name = try #require(nftnl_table_get_str(parsed, UInt16(NFTNL_TABLE_NAME.rawValue)))
        #expect(String(cString: name) == "gatehouse")
        #expect(nftnl_table_get_u32(parsed, UInt16(NFTNL_TABLE_FAMILY.rawValue)) == UInt32(NFPROTO_INET))
    }
}
