import Media
import NIOConcurrencyHelpers
import Prometheus

/// The node's Prometheus metrics: one registry per node (several nodes share a test process, and each scrape must
/// show only its own), fed two ways.
///
/// - Events only the call path sees (a call attempted, answered, failed; its setup time) are recorded as they
///   happen.
/// - Counts the node already keeps (`NodeCounters`, `TransportCounters`, admission control's decisions) are not
///   counted twice on the hot path: at each scrape, `export(_:…)` advances a Prometheus counter by what the
///   source counted since the last scrape (`CounterMirror`), and gauges are set from values read then.
///
/// Series are made through the registry itself rather than swift-metrics' factory, because only the registry
/// takes help texts, and `promtool check metrics` (and anyone reading `/metrics`) wants one per family
/// (`MetricCatalog`).
public final class NodeMetrics: Sendable {
    /// What `/metrics` serializes.
    public let registry: PrometheusCollectorRegistry
    private let mirror = NIOLockedValueBox(CounterMirror())

    public init() {
        registry = PrometheusCollectorRegistry()
    }

    // MARK: Events from the call path

    /// A call was routed and its outbound INVITE sent.
    func callAttempted(from source: String, to destination: String) {
        counter("gatehouse_calls_attempted_total", ["from_peer": source, "to_peer": destination]).increment()
    }

    /// A call's initial INVITE got a 2xx, `setup` after the caller's INVITE arrived.
    func callAnswered(from source: String, to destination: String, setup: Duration) {
        counter("gatehouse_calls_answered_total", ["from_peer": source, "to_peer": destination]).increment()
        registry.makeDurationHistogram(
            descriptor: MetricCatalog.descriptor("gatehouse_call_setup_seconds"), labels: [("to_peer", destination)],
            buckets: MetricCatalog.setupBuckets
        ).record(setup)
    }

    /// A call ended before it was answered: a final error from the callee, a timeout, a cancel, no route.
    func callFailed(from source: String, to destination: String, status: Int) {
        counter(
            "gatehouse_calls_failed_total",
            ["from_peer": source, "to_peer": destination, "class": Self.statusClass(status)]
        ).increment()
    }

    /// A call's media stream ended: what each leg carried (the caller's leg, the callee's leg).
    func mediaStreamEnded(caller: StreamReport.Leg, callee: StreamReport.Leg) {
        for (leg, report) in [("caller", caller), ("callee", callee)] {
            counter("gatehouse_media_rtp_packets_total", ["leg": leg]).increment(by: Int64(report.rtpPackets))
            counter("gatehouse_media_rtp_bytes_total", ["leg": leg]).increment(by: Int64(report.rtpBytes))
            counter("gatehouse_media_rtcp_packets_total", ["leg": leg]).increment(by: Int64(report.rtcpPackets))
            counter("gatehouse_media_lost_packets_total", ["leg": leg]).increment(by: Int64(report.lost))
            counter("gatehouse_media_dropped_packets_total", ["leg": leg]).increment(by: Int64(report.dropped))
            counter("gatehouse_media_srtp_auth_failures_total", ["leg": leg])
                .increment(by: Int64(report.srtpAuthenticationFailures))
            counter("gatehouse_media_srtp_replays_total", ["leg": leg]).increment(by: Int64(report.srtpReplays))
        }
        counter("gatehouse_media_streams_total", [:]).increment()
    }

    /// A leg's DTLS-SRTP association failed (`leg` caller or callee); `reason` is the error's code without its
    /// `dtls-` prefix (`fingerprint-mismatch`, `handshake-failed`, `timed-out`, …), so the series stay few.
    func dtlsAssociationFailed(leg: String, reason: DTLSError.Code) {
        let name = reason.rawValue.hasPrefix("dtls-") ? String(reason.rawValue.dropFirst(5)) : reason.rawValue
        counter("gatehouse_media_dtls_failures_total", ["leg": leg, "reason": name]).increment()
    }

    // MARK: Scrape-time export

    /// Advances the counter `name{labels}` to `total`, a count its source keeps; a total lower than last time
    /// (the source restarted) is taken as counted from zero.
    func export(_ name: String, _ labels: [String: String], total: Int) {
        let key = HandleKey(name: name, labels: labels)
        let delta = mirror.withLockedValue { $0.advance(key, to: total) }
        // Made even at 0, so that a series is present from the first scrape and rate() has a start.
        let series = counter(name, labels)
        if delta > 0 { series.increment(by: Int64(delta)) }
    }

    /// Sets the gauge `name` (no labels) to `value`.
    func set(_ name: String, _ value: Double) {
        set(name, [:], value)
    }

    /// Sets the gauge `name{labels}` to `value`.
    func set(_ name: String, _ labels: [String: String], _ value: Double) {
        registry.makeGauge(descriptor: MetricCatalog.descriptor(name), labels: labels.sorted { $0.key < $1.key })
            .set(value)
    }

    /// Removes the gauge `name{labels}`: its subject is gone (a peer with no calls left).
    func clear(_ name: String, _ labels: [String: String]) {
        registry.unregisterGauge(
            registry.makeGauge(descriptor: MetricCatalog.descriptor(name), labels: labels.sorted { $0.key < $1.key }))
    }

    /// The text exposition format (version 0.0.4).
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }

    // MARK: Helpers

    private func counter(_ name: String, _ labels: [String: String]) -> Prometheus.Counter {
        registry.makeCounter(descriptor: MetricCatalog.descriptor(name), labels: labels.sorted { $0.key < $1.key })
    }

    /// `2xx`, `4xx`…: responses by class keep the series few.
    static func statusClass(_ code: Int) -> String { "\(code / 100)xx" }
}

/// A metric series: a name and its labels.
struct HandleKey: Hashable, Sendable {
    let name: String
    let labels: [String: String]
}

/// The totals last exported per series, so that each scrape adds only what is new.
struct CounterMirror: Sendable {
    private var exported: [HandleKey: Int] = [:]

    /// How much to add to `key` to reach `total`.
    mutating func advance(_ key: HandleKey, to total: Int) -> Int {
        let previous = exported[key] ?? 0
        exported[key] = total
        return total >= previous ? total - previous : total
    }
}
