import GatehousePolicy
import Logging
import Media
import Testing

@testable import GatehouseServer

/// The admin listener's and metrics' pure parts: request targets, the counter mirror, the log level control.
struct OperationsUnitTests {
    @Test func requestTargetsArePercentDecodedWithTheirQuery() {
        let request = AdminRequest(method: "GET", target: "/api/calls?peer=carrier%20b&state=answered&limit=5&flag")
        #expect(request.path == "/api/calls")
        #expect(request.query == ["peer": "carrier b", "state": "answered", "limit": "5", "flag": ""])
        #expect(AdminRequest(method: "GET", target: "/").query.isEmpty)
        #expect(AdminRequest(method: "GET", target: "/a%2Fb?x=1+2").path == "/a/b")
        #expect(AdminRequest(method: "GET", target: "/?x=1+2").query["x"] == "1 2")
    }

    @Test func theMirrorAddsOnlyWhatIsNewAndSurvivesARestartedSource() {
        var mirror = CounterMirror()
        let key = HandleKey(name: "gatehouse_x_total", labels: ["a": "b"])
        #expect(mirror.advance(key, to: 5) == 5)
        #expect(mirror.advance(key, to: 5) == 0)
        #expect(mirror.advance(key, to: 9) == 4)
        #expect(mirror.advance(key, to: 2) == 2)  // the source started again from zero
        #expect(mirror.advance(HandleKey(name: "gatehouse_x_total", labels: [:]), to: 1) == 1)
    }

    @Test func theLogLevelFollowsThePolicyUnlessTheCommandLineFixedIt() {
        let control = LogLevelControl()
        #expect(control.apply(.debug) == .debug)
        var logger = Logger(label: "t", factory: { control.standardErrorHandler(label: $0) })
        #expect(logger.logLevel == .debug)
        control.apply(.error)
        #expect(logger.logLevel == .error)
        logger.logLevel = .trace  // ignored: the control decides
        #expect(logger.logLevel == .error)
        let fixed = LogLevelControl(.warning, fixed: true)
        #expect(fixed.apply(.trace) == .warning)
    }

    @Test func metricsExpositionHasHelpForEveryFamily() async throws {
        let metrics = NodeMetrics()
        metrics.callAttempted(from: "pbx", to: "carrier")
        metrics.callAnswered(from: "pbx", to: "carrier", setup: .milliseconds(300))
        metrics.callFailed(from: "pbx", to: "carrier", status: 486)
        metrics.export("gatehouse_sip_dropped_total", ["reason": "blocked"], total: 3)
        metrics.set("gatehouse_calls_active", ["to_peer": "carrier"], 2)
        metrics.dtlsAssociationFailed(leg: "caller", reason: .fingerprintMismatch)
        metrics.dtlsAssociationFailed(leg: "caller", reason: .fingerprintMismatch)
        metrics.dtlsAssociationFailed(leg: "callee", reason: .timedOut)
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        let families = Set(
            text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] })
        let helped = Set(
            text.split(separator: "\n").filter { $0.hasPrefix("# HELP ") }.map { $0.split(separator: " ")[2] })
        #expect(!families.isEmpty && families == helped)
        #expect(text.contains(#"gatehouse_calls_failed_total{class="4xx",from_peer="pbx",to_peer="carrier"} 1"#))
        #expect(text.contains(#"gatehouse_call_setup_seconds_bucket{to_peer="carrier",le="0.5"} 1"#))
        #expect(text.contains(#"gatehouse_sip_dropped_total{reason="blocked"} 3"#))
        #expect(text.contains(#"gatehouse_media_dtls_failures_total{leg="caller",reason="fingerprint-mismatch"} 2"#))
        #expect(text.contains(#"gatehouse_media_dtls_failures_total{leg="callee",reason="timed-out"} 1"#))
        metrics.clear("gatehouse_calls_active", ["to_peer": "carrier"])
        #expect(!String(decoding: metrics.exposition(), as: UTF8.self).contains("gatehouse_calls_active{"))
    }
}
