import GatehousePolicy
import Testing

/// The `admission:` section: the reference's example, every key, the defaults, and each mistake located to its
/// line and column.
struct AdmissionPolicyTests {
    @Test func withoutTheSectionEveryKeyHasItsDocumentedDefault() throws {
        let admission = try PolicyFixtures.load(PolicyFixtures.head).admission
        #expect(admission == AdmissionSettings())
        #expect(admission.perSource.isEmpty)
        #expect(admission.onExcess == .reject)
        #expect(admission.retryAfter == nil)
        #expect(admission.overload == nil)
        #expect(admission.block == BlockSettings())
        #expect(admission.allowlist.isEmpty)
        let block = try #require(admission.block)
        #expect(block.violations == 20)
        #expect(block.window == .seconds(10))
        #expect(block.duration == .seconds(60))
        #expect(block.maximumDuration == .seconds(86_400))
        #expect(try PolicyFixtures.load(PolicyFixtures.head + "admission: {}\n").admission == AdmissionSettings())
    }

    /// The example of policies/README.md, as written there.
    @Test func theReferenceExample() throws {
        let admission = try PolicyFixtures.load(
            PolicyFixtures.head + """
                admission:
                  per_source:                         # each source address on its own, on every realm
                    messages_per_second: { rate: 50, burst: 100 }
                    calls_per_second: 5
                  on_excess: reject                   # reject (503 with Retry-After) | drop
                  retry_after: 30s                    # optional: a fixed Retry-After instead of the computed one
                  overload: { high: 5000, low: 4000, retry_after: 10s }
                  block: { after: 20, within: 10s, for: 60s, max: 24h }   # or: block: off
                  allowlist: [192.0.2.0/24, "2001:db8::/32"]
                """
        ).admission
        #expect(
            admission
                == AdmissionSettings(
                    perSource: TrafficLimits(
                        calls: RateSetting(perSecond: 5), messages: RateSetting(perSecond: 50, burst: 100)),
                    onExcess: .reject, retryAfter: .seconds(30),
                    overload: OverloadSettings(high: 5000, low: 4000, retryAfter: .seconds(10)),
                    block: BlockSettings(
                        violations: 20, window: .seconds(10), duration: .seconds(60), maximumDuration: .seconds(86_400)),
                    allowlist: [
                        try #require(IPPrefix(parsing: "192.0.2.0/24")),
                        try #require(IPPrefix(parsing: "2001:db8::/32")),
                    ]
                ))
    }

    @Test func everyKey() throws {
        let admission = try PolicyFixtures.load(
            PolicyFixtures.head + """
                admission:
                  per_source:
                    calls_per_second: { rate: 2, burst: 6 }
                    registers_per_second: 1
                    messages_per_second: 1_000
                    on_excess: reject
                    block_offenders: false
                  on_excess: drop
                  retry_after: 1h
                  overload: { high: 2, low: 1 }
                  block: { after: 10_000, within: 100ms, for: 24h, max: 168h }
                  allowlist: [198.51.100.7, "2001:db8::5", 0.0.0.0/0]
                """
        ).admission
        #expect(
            admission.perSource
                == TrafficLimits(
                    calls: RateSetting(perSecond: 2, burst: 6), registers: RateSetting(perSecond: 1),
                    messages: RateSetting(perSecond: 1000), onExcess: .reject, blockOffenders: false))
        #expect(admission.onExcess == .drop)
        #expect(admission.retryAfter == .seconds(3600))
        // The overload guard's Retry-After defaults to 10 s.
        #expect(admission.overload == OverloadSettings(high: 2, low: 1, retryAfter: .seconds(10)))
        #expect(
            admission.block
                == BlockSettings(
                    violations: 10_000, window: .milliseconds(100), duration: .seconds(86_400),
                    maximumDuration: .seconds(604_800)))
        #expect(admission.allowlist.map(\.description) == ["198.51.100.7/32", "2001:db8::5/128", "0.0.0.0/0"])
    }

    @Test func blockIsOnByDefaultTakesPartialSettingsAndCanBeTurnedOff() throws {
        let off = try PolicyFixtures.load(PolicyFixtures.head + "admission: { block: off }\n").admission
        #expect(off.block == nil)
        let partial = try PolicyFixtures.load(PolicyFixtures.head + "admission: { block: { for: 5m } }\n").admission
        #expect(partial.block == BlockSettings(duration: .seconds(300)))
        // `max` may equal `for`: no escalation.
        let flat = try PolicyFixtures.load(PolicyFixtures.head + "admission: { block: { for: 1h, max: 60m } }\n")
        #expect(flat.admission.block == BlockSettings(duration: .seconds(3600), maximumDuration: .seconds(3600)))
    }

    @Test func mistakesAreLocated() {
        let found = PolicyFixtures.diagnostics(
            PolicyFixtures.head + """
                admission:
                  per_source:
                    calls_per_second: 20/s
                    registers_per_second: { rate: 0 }
                    messages_per_second: { rate: 10, burst: 1_000_001 }
                    concurrent_calls: 5
                  on_excess: refuse
                  retry_after: 1500ms
                  overload: { high: 100, low: 100 }
                  block: { after: 0, within: 10, for: 2h, max: 1h }
                  allowlist: [192.0.2.0/24, "198.51.100.7:5060", 10.0.0.1/8, example.com]
                  colour: red
                """)
        #expect(
            found.map(\.located) == [
                "unknown-key@19:3",
                "unknown-key@13:5",
                "wrong-type@10:23",
                "bad-value@11:35",
                "bad-value@12:45",
                "bad-value@14:14",
                "bad-value@15:16",
                "bad-value@16:31",
                "bad-value@17:19",
                "bad-duration@17:30",
                "bad-value@17:48",
                "bad-address@18:29",
                "bad-prefix-length@18:50",
                "bad-address@18:62",
            ])
        #expect(found.map(\.file) == Array(repeating: "test.yaml", count: found.count))
        #expect(found[0].message.hasPrefix("'colour' is not a key of admission (expected: per_source, on_excess"))
        // per_source takes a realm's keys: concurrent_calls belongs to peers only.
        #expect(
            found[1].message
                == "'concurrent_calls' is not a key of admission.per_source (expected: calls_per_second, "
                + "registers_per_second, messages_per_second, on_excess, block_offenders)")
        #expect(
            found[2].message
                == "admission.per_source.calls_per_second '20/s' is not a rate: write N (per second) or "
                + "{ rate: N, burst: B }")
        #expect(
            found[3].message == "admission.per_source.registers_per_second.rate must be between 1 and 1000000, not 0")
        #expect(found[4].message.hasSuffix("burst must be between 1 and 1000000, not 1000001"))
        #expect(found[5].message == "admission.on_excess 'refuse' is not one of reject, drop")
        #expect(
            found[6].message == "admission.retry_after must be whole seconds (Retry-After counts seconds), not 1500ms")
        #expect(found[7].message == "admission.overload.low (100) must be below high (100)")
        #expect(found[8].message == "admission.block.after must be between 1 and 10000, not 0")
        #expect(
            found[9].message
                == "admission.block.within '10' is not a duration: write a whole number and ms, s, m or h")
        #expect(found[10].message == "admission.block.max (1h) must not be less than for (2h)")
        #expect(found[11].message == "admission.allowlist '198.51.100.7:5060': an address or block, no port")
        #expect(found[12].message.contains("did you mean 10.0.0.0/8?"))
    }

    @Test func retryAftersAreWholeSecondsWithinAnHour() {
        func located(_ admission: String) -> [String] {
            PolicyFixtures.diagnostics(PolicyFixtures.head + "admission: \(admission)\n").map(\.located)
        }
        #expect(located("{ overload: { high: 10, low: 5, retry_after: 2500ms } }") == ["bad-value@8:57"])
        #expect(located("{ overload: { high: 10, low: 5, retry_after: 0s } }") == ["bad-value@8:57"])
        #expect(located("{ retry_after: 2h }") == ["bad-value@8:27"])
        #expect(located("{ retry_after: 500ms }") == ["bad-value@8:27"])
        #expect(located("{ retry_after: 30 }") == ["bad-duration@8:27"])
        #expect(located("{ retry_after: 2000ms }").isEmpty)
    }

    @Test func wrongShapes() {
        func located(_ admission: String) -> [String] {
            PolicyFixtures.diagnostics(PolicyFixtures.head + "admission: \(admission)\n").map(\.located)
        }
        #expect(located("[reject]") == ["wrong-type@8:12"])
        #expect(located("{ per_source: 5 }") == ["wrong-type@8:26"])
        #expect(located("{ allowlist: 10.0.0.1 }") == ["wrong-type@8:25"])
        #expect(located("{ block: on }") == ["wrong-type@8:21"])
        #expect(located("{ overload: { high: 10 } }") == ["missing-key@8:24"])
        #expect(located("{ overload: { high: 1, low: 0 } }") == ["bad-value@8:32"])
        #expect(located("{ on_excess: [drop] }") == ["wrong-type@8:25"])
    }
}
