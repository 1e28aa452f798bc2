import ArgumentParser
import Foundation
import GatehouseServer
import NIOHTTP1

/// Where a running node's admin listener is (`admin.listen` in its policy).
struct AdminAddressOptions: ParsableArguments {
    @Option(name: .long, help: "The node's admin listener, HOST:PORT (admin.listen in its policy).")
    var admin: String = "127.0.0.1:9060"

    @Flag(name: .long, help: "Print the API's JSON instead of a table.")
    var json = false

    func client() throws -> AdminClient {
        guard let client = AdminClient(address: admin) else {
            throw ValidationError("--admin '\(admin)' is not HOST:PORT")
        }
        return client
    }

    /// Asks `path`; exits 1 with the node's error (or the connection's) when it fails.
    func fetch(
        _ path: String, method: HTTPMethod = .GET, body: [UInt8] = [], accepting statuses: Set<Int> = [200]
    ) async throws -> AdminClient.Reply {
        let reply: AdminClient.Reply
        do {
            reply = try await client().request(method, path, body: body)
        } catch let error as ValidationError {
            throw error
        } catch {
            printToStandardError("gatehouse: \(error)")
            throw ExitCode(1)
        }
        guard statuses.contains(reply.status) else {
            printToStandardError("gatehouse: \(path) answered \(reply.status): \(reply.text)")
            throw ExitCode(1)
        }
        return reply
    }

    func decode<T: Decodable>(_ type: T.Type, from reply: AdminClient.Reply) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(type, from: Data(reply.body))
        } catch {
            printToStandardError("gatehouse: the node's answer could not be read: \(error)")
            throw ExitCode(1)
        }
    }
}

/// `gatehouse status`: the node at a glance.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show a running node's state, calls, registrations and counters.")

    @OptionGroup var options: AdminAddressOptions

    func run() async throws {
        let reply = try await options.fetch("/api/status")
        if options.json { return print(reply.text, terminator: "") }
        let status = try options.decode(StatusDocument.self, from: reply)
        let state = status.draining ? "draining" : (status.ready ? "ready" : "starting")
        print("node \(status.node) (gatehouse \(status.version)), \(state), up \(status.uptimeSeconds) s")
        print("policy generation \(status.policy.generation) from \(status.policy.file ?? "memory")", terminator: "")
        print(", reloads \(status.policy.reloadsApplied) applied, \(status.policy.reloadsRefused) refused")
        print("calls: \(status.calls.active) in progress (\(status.calls.answered) answered)")
        print("registrations: \(status.registrations.relayed) relayed, \(status.registrations.ims) IMS sets")
        let messages = status.messages
        let responses = messages.responses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        print("messages: \(messages.received) received; responses \(responses.joined(separator: ", "))")
        print("refused \(messages.refused), dropped \(messages.dropped), unparseable \(messages.unparseable)")
        if let refusal = status.recentRefusals.first {
            print("latest refusal: \(refusal.method) from \(refusal.source): \(refusal.status) \(refusal.reason)")
        }
    }
}

/// `gatehouse calls`: calls in progress.
struct CallsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls", abstract: "List a running node's calls in progress.")

    @OptionGroup var options: AdminAddressOptions

    @Option(help: "Only calls from or to this peer.") var peer: String?
    @Option(help: "Only calls from or to this realm.") var realm: String?
    @Option(help: "Only calls in this state: setup or answered.") var state: String?
    @Option(help: "At most this many calls.") var limit: Int?

    func run() async throws {
        var query: [String] = []
        for (key, value) in [("peer", peer), ("realm", realm), ("state", state), ("limit", limit.map(String.init))] {
            if let value {
                query.append("\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)")
            }
        }
        let path = "/api/calls" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        let reply = try await options.fetch(path)
        if options.json { return print(reply.text, terminator: "") }
        let document = try options.decode(CallsDocument.self, from: reply)
        print(
            Table.render(
                ["ID", "STATE", "CALLER", "CALLEE", "FROM", "TO", "SECONDS", "QOS"],
                document.calls.map { call in
                    [
                        "\(call.id)", call.state, call.caller, call.callee, "\(call.fromPeer)@\(call.fromRealm)",
                        "\(call.toPeer)@\(call.toRealm)", String(format: "%.0f", call.durationSeconds),
                        call.policyControl?.summary ?? "-",
                    ]
                }))
        print("\(document.calls.count) shown of \(document.total) in progress")
    }
}

/// `gatehouse registrations`: who is registered through the node and with its IMS core.
struct RegistrationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registrations", abstract: "List the registrations a running node relays and holds.")

    @OptionGroup var options: AdminAddressOptions

    func run() async throws {
        let reply = try await options.fetch("/api/registrations")
        if options.json { return print(reply.text, terminator: "") }
        let document = try options.decode(RegistrationsDocument.self, from: reply)
        if !document.relayed.isEmpty {
            print("Relayed (NAT bindings):")
            print(
                Table.render(
                    ["AOR", "CONTACT", "REALM", "NAT", "EXPIRES IN"],
                    document.relayed.map {
                        [
                            $0.addressOfRecord, $0.contact, $0.realm, $0.nat,
                            $0.expiresInSeconds.map { "\($0) s" } ?? "-",
                        ]
                    }))
        }
        if !document.ims.isEmpty {
            let now = Int(Date().timeIntervalSince1970)
            print("IMS core:")
            print(
                Table.render(
                    ["IMPU", "IMPI", "CONTACT", "S-CSCF", "EXPIRES IN"],
                    document.ims.map {
                        [
                            $0.publicIdentity, $0.privateIdentity, $0.contact, $0.scscf,
                            "\(max(0, $0.expiresAt - now)) s",
                        ]
                    }))
        }
        print("\(document.relayed.count) relayed, \(document.ims.count) IMS contacts")
    }
}

/// Plain text columns.
enum Table {
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return ([header] + rows).map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
