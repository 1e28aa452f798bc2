import GatehousePolicy
import Testing

@testable import Border

@Suite struct BlocklistTests {
    static let offender = ipv4(203, 0, 113, 7)

    @Test func blocksUntilExpiry() throws {
        var blocklist = try Blocklist()
        let outcome = blocklist.add(Self.offender, for: .seconds(60), reason: .repeatedOffender, at: at(100))
        #expect(
            outcome
                == .blocked(
                    BlocklistEntry(address: Self.offender, since: at(100), until: at(160), reason: .repeatedOffender)))
        #expect(blocklist.contains(Self.offender, at: at(100)))
        #expect(blocklist.contains(Self.offender, at: at(160) - .nanoseconds(1)))
        #expect(!blocklist.contains(Self.offender, at: at(160)))
        #expect(!blocklist.contains(ipv4(203, 0, 113, 8), at: at(100)))
        #expect(blocklist.list(at: at(120)).map(\.address) == [Self.offender])
        #expect(blocklist.list(at: at(160)).isEmpty)
    }

    @Test func repeatedBlocksDoubleUpToTheMaximum() throws {
        var blocklist = try Blocklist(
            Blocklist.Configuration(escalationWindow: .seconds(600), maximumDuration: .seconds(300)))
        var time = at(0)
        var durations: [Duration] = []
        for _ in 0..<5 {
            guard
                case .blocked(let entry) = blocklist.add(
                    Self.offender, for: .seconds(60), reason: .repeatedOffender, at: time)
            else {
                Issue.record("not blocked")
                return
            }
            durations.append(entry.duration)
            // Come back just after the block ends, well within the window.
            time = entry.until + .seconds(1)
        }
        #expect(durations == [.seconds(60), .seconds(120), .seconds(240), .seconds(300), .seconds(300)])
    }

    @Test func escalationResetsOnceTheWindowHasPassed() throws {
        var blocklist = try Blocklist(Blocklist.Configuration(escalationWindow: .seconds(600)))
        _ = blocklist.add(Self.offender, for: .seconds(60), reason: .repeatedOffender, at: at(0))
        _ = blocklist.add(Self.offender, for: .seconds(60), reason: .repeatedOffender, at: at(100))
        #expect(blocklist.entry(for: Self.offender, at: at(100))?.escalation == 1)
        // That block ended at 220; 600 s later the history is gone.
        let outcome = blocklist.add(Self.offender, for: .seconds(60), reason: .repeatedOffender, at: at(820))
        #expect(
            outcome
                == .blocked(
                    BlocklistEntry(address: Self.offender, since: at(820), until: at(880), reason: .repeatedOffender)))
    }

    @Test func allowlistedAddressesAreNeverBlocked() throws {
        let allowlist = [IPPrefix(parsing: "127.0.0.0/29")!, IPPrefix(parsing: "2001:db8::/32")!]
        var blocklist = try Blocklist(Blocklist.Configuration(allowlist: allowlist))
        let carrier = ipv4(127, 0, 0, 3)
        let v6 = IPAddress(parsing: "[2001:db8::77]")!
        for address in [carrier, v6] {
            #expect(blocklist.add(address, for: .seconds(60), reason: .blockedByOperator, at: .zero) == .allowlisted)
            blocklist.add(BlocklistEntry(address: address, since: .zero, until: at(60), reason: .blockedByOperator))
            #expect(!blocklist.contains(address, at: .zero))
        }
        #expect(
            blocklist.add(ipv4(127, 0, 0, 8), for: .seconds(60), reason: .blockedByOperator, at: .zero) != .allowlisted)
        #expect(blocklist.list(at: .zero).count == 1)
    }

    @Test func sweepReportsEachEndedBlockOnceAndForgetsOldHistory() throws {
        var blocklist = try Blocklist(Blocklist.Configuration(escalationWindow: .seconds(100)))
        _ = blocklist.add(Self.offender, for: .seconds(10), reason: .repeatedOffender, at: .zero)
        _ = blocklist.add(ipv4(203, 0, 113, 9), for: .seconds(50), reason: .blockedByOperator, at: .zero)
        #expect(blocklist.sweep(at: at(5)).isEmpty)
        #expect(blocklist.sweep(at: at(10)).map(\.address) == [Self.offender])
        #expect(blocklist.sweep(at: at(20)).isEmpty)
        #expect(blocklist.recordCount == 2)
        #expect(blocklist.sweep(at: at(110)).map(\.address) == [ipv4(203, 0, 113, 9)])
        #expect(blocklist.recordCount == 1)
        #expect(blocklist.sweep(at: at(150)).isEmpty)
        #expect(blocklist.recordCount == 0)
    }

    @Test func removeLiftsTheBlockAndItsHistory() throws {
        var blocklist = try Blocklist()
        _ = blocklist.add(Self.offender, for: .seconds(60), reason: .repeatedOffender, at: .zero)
        blocklist.remove(Self.offender)
        #expect(!blocklist.contains(Self.offender, at: .zero))
        #expect(
            blocklist.add(Self.offender, for: .seconds(60), reason: .repeatedOffender, at: at(1))
                == .blocked(
                    BlocklistEntry(address: Self.offender, since: at(1), until: at(61), reason: .repeatedOffender)))
    }

    @Test func capacityBoundsTheList() throws {
        var blocklist = try Blocklist(Blocklist.Configuration(capacity: 100))
        for index in 0..<10_000 {
            _ = blocklist.add(
                .v4(.init(value: 0xC633_6400 | UInt32(index))), for: .seconds(60), reason: .repeatedOffender, at: .zero)
        }
        #expect(blocklist.recordCount == 100)
        #expect(blocklist.list(at: .zero).count == 100)
    }

    @Test func prefixesMatchByFamilyAndLength() {
        let v4 = IPPrefix(parsing: "198.51.100.0/24")!
        #expect(v4.contains(ipv4(198, 51, 100, 77)))
        #expect(!v4.contains(ipv4(198, 51, 101, 77)))
        #expect(!v4.contains(IPAddress(parsing: "::ffff:198.51.101.1")!))
        #expect(v4.contains(IPAddress(parsing: "::ffff:198.51.100.1")!))
        #expect(IPPrefix(parsing: "198.51.100.1/24") == nil)
        #expect(IPPrefix(parsing: "198.51.100.0/33") == nil)
        #expect(IPPrefix(parsing: "0.0.0.0/0")!.contains(ipv4(8, 8, 8, 8)))
        let v6 = IPPrefix(parsing: "2001:db8:1::/48")!
        #expect(v6.contains(IPAddress(parsing: "2001:db8:1:ffff::1")!))
        #expect(!v6.contains(IPAddress(parsing: "2001:db8:2::1")!))
        #expect(!v6.contains(ipv4(32, 1, 13, 184)))
        #expect(IPPrefix(parsing: "2001:db8::1/127") == nil)
        #expect(IPPrefix(parsing: "2001:db8::1")!.length == 128)
        #expect(IPPrefix(parsing: "2001:db8::/96")!.contains(IPAddress(parsing: "2001:db8::ffff:1")!))
        #expect(IPAddress(parsing: "not-an-address") == nil)
    }
}

/// A stand-in for the nftables enforcer: records what it is told.
struct RecordingEnforcer: BlocklistEnforcer {
    var entries: [IPAddress: BlocklistEntry] = [:]
    var removed: [IPAddress] = []

    mutating func add(_ entry: BlocklistEntry) { entries[entry.address] = entry }

    mutating func remove(_ address: IPAddress) {
        entries[address] = nil
        removed.append(address)
    }

    func list(at now: AdmissionInstant) -> [BlocklistEntry] { entries.values.filter { $0.isActive(at: now) } }
}
