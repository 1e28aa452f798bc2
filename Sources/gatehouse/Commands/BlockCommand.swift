import ArgumentParser
import Foundation
import GatehouseServer
import NIOHTTP1

/// `gatehouse block list|add|remove`: a running node's blocklist, through its admin API.
struct BlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block",
        abstract: "List, add or lift blocks on a running node (the userspace blocklist and its nftables set).",
        subcommands: [List.self, Add.self, Remove.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the blocks in force.")

        @OptionGroup var options: AdminAddressOptions

        func run() async throws {
            let reply = try await options.fetch("/api/blocklist")
            if options.json { return print(reply.text, terminator: "") }
            let document = try options.decode(BlocklistDocument.self, from: reply)
            print(
                Table.render(
                    ["ADDRESS", "REASON", "REMAINING", "EXPIRES", "REPEAT", "KERNEL"],
                    document.entries.map {
                        [
                            $0.address, $0.reason, "\($0.remainingSeconds) s", $0.expires, "\($0.escalation)",
                            $0.kernel ? "yes" : "no",
                        ]
                    }))
            print("\(document.entries.count) blocked")
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Block an address (escalated like any repeat offender; refused for an allowlisted one).")

        @Argument(help: "The IPv4 or IPv6 address.") var address: String
        @Option(name: .customLong("for"), help: "How long: 30s, 10m, 2h (at most 7 days).") var duration = "1h"
        @OptionGroup var options: AdminAddressOptions

        func run() async throws {
            let body = try JSONEncoderForAdmin.encode(BlockRequest(address: address, duration: duration))
            let reply = try await options.fetch("/api/blocklist", method: .POST, body: body, accepting: [201])
            if options.json { return print(reply.text, terminator: "") }
            let block = try options.decode(BlockDocument.self, from: reply)
            print("blocked \(block.address) for \(block.remainingSeconds) s\(block.kernel ? " (kernel set too)" : "")")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift the block on an address.")

        @Argument(help: "The IPv4 or IPv6 address.") var address: String
        @OptionGroup var options: AdminAddressOptions

        func run() async throws {
            let encoded = address.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? address
            _ = try await options.fetch("/api/blocklist/\(encoded)", method: .DELETE)
            print("unblocked \(address)")
        }
    }
}

/// The admin API's JSON conventions (snake_case keys).
enum JSONEncoderForAdmin {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return Array(try encoder.encode(value))
    }
}
