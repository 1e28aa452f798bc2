import GatehousePolicy
import Testing

/// The `limits` of peers and realms (`admission.per_source` takes the realm's keys: `AdmissionPolicyTests`): rates
/// as `N` or `{ rate, burst }`, the defaults, and each mistake located to its line and column.
struct LimitsPolicyTests {
    @Test func peerLimitsReadEveryKey() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                peers:
                  lab-pbx:
                    realm: access
                    addresses: [127.0.0.2/32]
                    limits:
                      calls_per_second: 20                           # new calls: initial INVITEs
                      registers_per_second: 5
                      messages_per_second: { rate: 200, burst: 400 } # everything, responses included
                      concurrent_calls: 100
                      on_excess: reject                              # 503 with Retry-After; drop: nothing
                  carrier:
                    realm: interconnect
                    addresses: [127.0.0.3]
                    limits:
                      calls_per_second: { rate: 1_000_000 }
                      registers_per_second: { rate: 1, burst: 1_000_000 }
                      concurrent_calls: 10_000_000
                      on_excess: drop
                      block_offenders: true
                  plain:
                    realm: access
                    addresses: [127.0.0.4]
                """)
        #expect(
            policy.peer(named: "lab-pbx")?.limits
                == TrafficLimits(
                    calls: RateSetting(perSecond: 20), registers: RateSetting(perSecond: 5),
                    messages: RateSetting(perSecond: 200, burst: 400), concurrentCalls: 100, onExcess: .reject))
        #expect(
            policy.peer(named: "carrier")?.limits
                == TrafficLimits(
                    calls: RateSetting(perSecond: 1_000_000, burst: 1_000_000),
                    registers: RateSetting(perSecond: 1, burst: 1_000_000), concurrentCalls: 10_000_000,
                    onExcess: .drop, blockOffenders: true))
        // Without limits a peer has none of its own; on_excess and block_offenders fall back to admission's.
        let plain = try #require(policy.peer(named: "plain"))
        #expect(plain.limits == TrafficLimits())
        #expect(plain.limits.isEmpty)
        #expect(plain.limits.onExcess == nil && plain.limits.blockOffenders == nil)
    }

    @Test func aRateAloneIsAlsoItsBurst() {
        #expect(RateSetting(perSecond: 20) == RateSetting(perSecond: 20, burst: 20))
        #expect(RateSetting(perSecond: 20, burst: 60).description == "20/s (burst 60)")
    }

    @Test func realmLimitsReadEveryKeyButConcurrentCalls() throws {
        let policy = try PolicyFixtures.load(
            """
            version: 1
            node: { name: t }
            realms:
              access:
                listen: ["udp://127.0.0.10:5060"]
                limits:
                  messages_per_second: { rate: 2000, burst: 4000 }
                  registers_per_second: 200
                  calls_per_second: 50
                  on_excess: drop
                  block_offenders: true
              interconnect:
                listen: ["udp://127.0.0.20:5060"]
            """)
        #expect(
            policy.realm(named: "access")?.limits
                == TrafficLimits(
                    calls: RateSetting(perSecond: 50), registers: RateSetting(perSecond: 200),
                    messages: RateSetting(perSecond: 2000, burst: 4000), onExcess: .drop, blockOffenders: true))
        #expect(policy.realm(named: "interconnect")?.limits == TrafficLimits())

        let found = PolicyFixtures.diagnostics(
            """
            version: 1
            node: { name: t }
            realms:
              access:
                listen: ["udp://127.0.0.10:5060"]
                limits: { concurrent_calls: 10, calls_per_second: -1 }
            """)
        #expect(found.map(\.located) == ["unknown-key@6:15", "bad-value@6:55"])
        #expect(
            found.first?.message
                == "'concurrent_calls' is not a key of realm 'access' limits (expected: calls_per_second, "
                + "registers_per_second, messages_per_second, on_excess, block_offenders)")
        #expect(found.last?.message == "realm 'access' limits.calls_per_second must be between 1 and 1000000, not -1")
    }

    @Test func peerMistakesAreLocated() {
        let found = PolicyFixtures.diagnostics(
            PolicyFixtures.head + """
                peers:
                  pbx:
                    realm: access
                    addresses: [127.0.0.2]
                    limits:
                      calls_per_second: 0
                      registers_per_second: "5/s"
                      messages_per_second: { burst: 10 }
                      concurrent_calls: 0
                      on_excess: 503
                      block_offenders: yes
                      calls_per_minute: 60
                  carrier:
                    realm: interconnect
                    addresses: [127.0.0.3]
                    limits: { calls_per_second: { rate: 5, burst: 0, per: 1s }, messages_per_second: [5] }
                  trunk:
                    realm: interconnect
                    addresses: [127.0.0.5]
                    limits: 20
                """)
        #expect(
            found.map(\.located) == [
                "unknown-key@19:7",
                "bad-value@13:25",
                "wrong-type@14:29",
                "missing-key@15:28",
                "bad-value@16:25",
                "bad-value@17:18",
                "wrong-type@18:24",
                "unknown-key@23:54",
                "bad-value@23:51",
                "wrong-type@23:86",
                "wrong-type@27:13",
            ])
        #expect(found[0].message.hasPrefix("'calls_per_minute' is not a key of peer 'pbx' limits (expected: "))
        #expect(found[1].message == "peer 'pbx' limits.calls_per_second must be between 1 and 1000000, not 0")
        #expect(
            found[2].message
                == "peer 'pbx' limits.registers_per_second '5/s' is not a rate: write N (per second) or "
                + "{ rate: N, burst: B }")
        #expect(found[3].message == "peer 'pbx' limits.messages_per_second needs 'rate'")
        #expect(found[4].message == "peer 'pbx' limits.concurrent_calls must be between 1 and 10000000, not 0")
        #expect(found[5].message == "peer 'pbx' limits.on_excess '503' is not one of reject, drop")
        #expect(found[6].message == "peer 'pbx' limits.block_offenders must be true or false, not 'yes'")
        #expect(found[8].message == "peer 'carrier' limits.calls_per_second.burst must be between 1 and 1000000, not 0")
        #expect(found[10].message == "peer 'trunk' limits must be a mapping")
    }
}
