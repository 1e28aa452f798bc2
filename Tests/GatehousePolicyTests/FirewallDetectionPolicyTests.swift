import GatehousePolicy
import Testing

/// The `firewall:` and `detection:` sections: defaults, every key, `off`, and each mistake located.
struct FirewallDetectionPolicyTests {
    @Test func withoutTheSectionsTheKernelBlocklistIsOffAndDetectionHasItsDefaults() throws {
        let policy = try PolicyFixtures.load(PolicyFixtures.head)
        #expect(policy.firewall == nil)
        #expect(policy.detection == DetectionSettings())
        #expect(policy.detection.scanners == .block)
        #expect(policy.detection.sweeps == DetectionSettings.Threshold(count: 20, window: .seconds(60)))
        #expect(policy.detection.enumeration == DetectionSettings.Threshold(count: 10, window: .seconds(60)))
        #expect(policy.detection.malformed == DetectionSettings.Threshold(count: 20, window: .seconds(10)))
        #expect(policy.detection.blockFor == .seconds(3600))
        // An empty section turns the kernel blocklist on, in the default table.
        #expect(try PolicyFixtures.load(PolicyFixtures.head + "firewall: {}\n").firewall == FirewallSettings())
    }

    /// The example of policies/README.md, as written there.
    @Test func theReferenceExample() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                firewall: { kernel_blocklist: true, table: gatehouse }
                detection:
                  block_for: 1h                  # a detection's first block; repeats double it up to admission.block.max
                  scanners: block                # block | drop | log (sanity.scanners decides the message itself)
                  sweeps: { distinct: 20, within: 60s, action: block }
                  enumeration: { distinct: 10, within: 60s, action: block }
                  malformed: { count: 20, within: 10s, action: block }
                """)
        #expect(policy.firewall == FirewallSettings(kernelBlocklist: true, table: "gatehouse"))
        #expect(policy.detection == DetectionSettings())
    }

    @Test func everyKeyAndOff() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                firewall: { kernel_blocklist: false, table: gh-lab_2 }
                detection:
                  block_for: 10m
                  scanners: log
                  sweeps: off
                  enumeration: { distinct: 5, action: drop }
                  malformed: { within: 30s }
                """)
        #expect(policy.firewall == FirewallSettings(kernelBlocklist: false, table: "gh-lab_2"))
        #expect(
            policy.detection
                == DetectionSettings(
                    scanners: .log, sweeps: nil,
                    enumeration: DetectionSettings.Threshold(count: 5, window: .seconds(60), action: .drop),
                    malformed: DetectionSettings.Threshold(count: 20, window: .seconds(30)), blockFor: .seconds(600)))
    }

    @Test func mistakesAreLocated() {
        let found = PolicyFixtures.diagnostics(
            PolicyFixtures.head + """
                firewall: { kernel_blocklist: yes please, table: "inet gatehouse", chain: input }
                detection:
                  block_for: 0s
                  scanners: ban
                  sweeps: { distinct: 1, within: 2h }
                  enumeration: { count: 10 }
                  malformed: { count: 20, action: reject }
                """)
        #expect(
            found.map(\.located) == [
                "unknown-key@8:68",
                "wrong-type@8:31",
                "bad-name@8:50",
                "bad-value@10:14",
                "bad-value@11:13",
                "bad-value@12:23",
                "bad-value@12:34",
                "unknown-key@13:18",
                "bad-value@14:35",
            ])
        #expect(found.map(\.file) == Array(repeating: "test.yaml", count: found.count))
        #expect(found[2].message == "firewall.table 'inet gatehouse' must be 1 to 64 letters, digits, '-' and '_'")
        #expect(found[4].message == "detection.scanners 'ban' is not one of block, drop, log")
        #expect(found[5].message == "detection.sweeps.distinct must be between 2 and 10000, not 1")
        #expect(found[8].message == "detection.malformed.action 'reject' is not one of block, drop, log")
    }
}
