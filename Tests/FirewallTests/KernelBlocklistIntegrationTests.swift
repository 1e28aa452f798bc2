import Foundation
import TestSupport
import Testing

@testable import Firewall

/// The blocklist table in a real kernel: in a network namespace the test makes (so nothing touches the host's
/// rules), checked with `nft` itself. Needs root (CAP_NET_ADMIN) and nftables, as `make test` provides.
@Suite("nftables blocklist in a network namespace", .serialized)
struct KernelBlocklistIntegrationTests {
    static let listeners = [
        GuardedListener(address: FirewallAddress(parsing: "10.231.1.1")!, transportProtocol: .udp, port: 5060),
        GuardedListener(address: FirewallAddress(parsing: "10.231.1.1")!, transportProtocol: .tcp, port: 5061),
        GuardedListener(address: FirewallAddress(parsing: "::")!, transportProtocol: .udp, port: 5060),
    ]

    /// Runs `body` with a namespace of its own and a `KernelBlocklist` whose socket lives in it; deletes the
    /// namespace whatever happens.
    func withNamespace(
        _ suffix: String, table: String = "gatehouse",
        _ body: (NetworkNamespace, KernelBlocklist, String) async throws -> Void
    ) async throws {
        let nft = try #require(ExternalProcess.find("nft"), "nft not found: install nftables")
        let namespace = try await NetworkNamespace.create("gh-fw-\(suffix)-\(getpid() % 10_000)")
        do {
            let ruleset = try BlocklistRuleset(table: table, listeners: Self.listeners)
            let blocklist = try await namespace.perform { try KernelBlocklist(ruleset) }
            try await body(namespace, blocklist, nft)
        } catch {
            await namespace.delete()
            throw error
        }
        await namespace.delete()
    }

    @Test("install creates the table, sets and rules; a second install replaces it rather than adding rules")
    func install() async throws {
        try await withNamespace("install") { namespace, blocklist, nft in
            try blocklist.install()
            try blocklist.install()
            let listing = try await namespace.run(nft, ["-j", "list", "table", "inet", "gatehouse"])
            #expect(listing.status == 0, "\(listing.output)")
            let json = try JSONSerialization.jsonObject(with: Data(listing.output.utf8)) as? [String: Any]
            let items = (json?["nftables"] as? [[String: Any]]) ?? []
            let sets = items.compactMap { $0["set"] as? [String: Any] }
            #expect(Set(sets.compactMap { $0["name"] as? String }) == ["blocked4", "blocked6"])
            #expect(sets.allSatisfy { ($0["flags"] as? [String]) == ["timeout"] })
            let chains = items.compactMap { $0["chain"] as? [String: Any] }
            #expect(chains.count == 1)
            #expect(chains.first?["hook"] as? String == "prerouting")
            #expect(chains.first?["prio"] as? Int == -300)
            #expect(items.compactMap { $0["rule"] }.count == Self.listeners.count)

            let text = try await namespace.run(nft, ["list", "chain", "inet", "gatehouse", "guard"]).output
            #expect(text.contains("udp dport 5060 ip daddr 10.231.1.1 ip saddr @blocked4 counter packets 0"))
            #expect(text.contains("tcp dport 5061 ip daddr 10.231.1.1 ip saddr @blocked4 counter"))
            #expect(text.contains("fib daddr type local ip6 saddr @blocked6 counter"))
        }
    }

    @Test("blocks land in the sets with their timeouts and reasons, list back, and lift")
    func blockListUnblock() async throws {
        try await withNamespace("elements") { namespace, blocklist, nft in
            try blocklist.install()
            let v4 = try #require(FirewallAddress(parsing: "10.231.1.2"))
            let v6 = try #require(FirewallAddress(parsing: "2001:db8::2"))
            try blocklist.block([
                KernelBlock(address: v4, timeout: .seconds(600), comment: "scanner"),
                KernelBlock(address: v6, timeout: .seconds(60)),
            ])
            // Blocking again replaces the element (a longer, escalated block) instead of failing.
            try blocklist.block([KernelBlock(address: v4, timeout: .seconds(1200), comment: "scanner")])

            let elements = try blocklist.elements()
            #expect(elements.map(\.address) == [v4, v6])
            #expect(elements.first?.timeout == .seconds(1200))
            #expect(elements.first?.comment == "scanner")
            #expect((elements.first?.expires ?? .zero) > .seconds(1100))

            let set4 = try await namespace.run(nft, ["list", "set", "inet", "gatehouse", "blocked4"]).output
            #expect(set4.contains("10.231.1.2 timeout 20m expires"), "\(set4)")
            #expect(set4.contains("comment \"scanner\""), "\(set4)")
            let set6 = try await namespace.run(nft, ["-j", "list", "set", "inet", "gatehouse", "blocked6"]).output
            #expect(set6.contains("2001:db8::2"))

            try blocklist.unblock([v4, FirewallAddress(parsing: "10.231.1.99")!])
            #expect(try blocklist.elements().map(\.address) == [v6])
        }
    }

    @Test("an element's timeout runs out in the kernel without Gatehouse")
    func timeoutExpires() async throws {
        try await withNamespace("timeout") { _, blocklist, _ in
            try blocklist.install()
            try blocklist.block([KernelBlock(address: FirewallAddress(parsing: "10.231.1.3")!, timeout: .seconds(1))])
            #expect(try blocklist.elements().count == 1)
            #expect(try await eventually(.seconds(5)) { try blocklist.elements().isEmpty })
        }
    }

    @Test("uninstall deletes the table, and is no error when there is none")
    func uninstall() async throws {
        try await withNamespace("uninstall", table: "gh-other") { namespace, blocklist, nft in
            try blocklist.install()
            #expect(try await namespace.run(nft, ["list", "tables"]).output.contains("table inet gh-other"))
            try blocklist.uninstall()
            try blocklist.uninstall()
            #expect(try await !namespace.run(nft, ["list", "tables"]).output.contains("gh-other"))
            // Listing a table that is not there is the kernel's ENOENT, as a typed error.
            #expect(throws: FirewallError.self) { try blocklist.elements() }
        }
    }
}
