import GatehousePolicy
import SIPMessage
import Testing

@testable import Border

/// The detection state machines on an injected clock: sweeps, enumeration, malformed storms and scanners, their
/// windows, thresholds and actions.
@Suite struct ThreatDetectorTests {
    static let scanner = ipv4(203, 0, 113, 66)
    static let other = ipv4(203, 0, 113, 67)

    static func detector(
        scanners: DetectionSettings.Action = .block,
        sweeps: DetectionSettings.Threshold? = DetectionSettings.Threshold(count: 5, window: .seconds(10)),
        enumeration: DetectionSettings.Threshold? = DetectionSettings.Threshold(count: 4, window: .seconds(10)),
        malformed: DetectionSettings.Threshold? = DetectionSettings.Threshold(count: 3, window: .seconds(5))
    ) -> ThreatDetector {
        ThreatDetector(
            ThreatDetector.Configuration(
                DetectionSettings(
                    scanners: scanners, sweeps: sweeps, enumeration: enumeration, malformed: malformed,
                    blockFor: .seconds(600))))
    }

    @Test func anOPTIONSSweepOfDistinctTargetsIsDetectedAtTheThreshold() {
        var detector = Self.detector()
        for index in 1...4 {
            #expect(
                detector.requestReceived(
                    .options, requestURI: "sip:100@10.0.0.\(index)", isInitial: true, from: Self.scanner,
                    at: at(Int64(index))) == nil)
        }
        let detection = detector.requestReceived(
            .options, requestURI: "sip:100@10.0.0.5", isInitial: true, from: Self.scanner, at: at(5))
        #expect(detection?.reason == .sweep)
        #expect(detection?.action == .block)
        #expect(detection?.source == Self.scanner)
        #expect(detection?.blockFor == .seconds(600))
        #expect(detection?.dropsMessage == true)
        // The count starts again after a detection.
        #expect(
            detector.requestReceived(
                .options, requestURI: "sip:100@10.0.0.6", isInitial: true, from: Self.scanner, at: at(6)) == nil)
    }

    @Test func theSameTargetAgainInDialogRequestsAndOtherMethodsDoNotCount() {
        var detector = Self.detector()
        // A phone re-registering, pinging its proxy, or calling many numbers is not sweeping.
        for second in 1...20 {
            #expect(
                detector.requestReceived(
                    .register, requestURI: "sip:ims.example", isInitial: true, from: Self.scanner, at: at(Int64(second))
                )
                    == nil)
            #expect(
                detector.requestReceived(
                    .invite, requestURI: "sip:\(second)@ims.example", isInitial: true, from: Self.scanner,
                    at: at(Int64(second))) == nil)
            #expect(
                detector.requestReceived(
                    .options, requestURI: "sip:\(second)@ims.example", isInitial: false, from: Self.scanner,
                    at: at(Int64(second))) == nil)
        }
    }

    @Test func targetsOutsideTheWindowAreForgotten() {
        var detector = Self.detector()
        // Four distinct targets, one every 3 s: never five within 10 s.
        for index in 0..<12 {
            #expect(
                detector.requestReceived(
                    .register, requestURI: "sip:\(index)@ims.example", isInitial: true, from: Self.scanner,
                    at: at(Int64(index * 3))) == nil)
        }
    }

    @Test func sourcesAreCountedApart() {
        var detector = Self.detector()
        for index in 1...4 {
            for source in [Self.scanner, Self.other] {
                #expect(
                    detector.requestReceived(
                        .options, requestURI: "sip:\(index)@x", isInitial: true, from: source, at: at(1)) == nil)
            }
        }
        #expect(
            detector.requestReceived(.options, requestURI: "sip:5@x", isInitial: true, from: Self.other, at: at(2))?
                .source == Self.other)
    }

    @Test func enumerationCountsDistinctUsersAnswered404Or401() {
        var detector = Self.detector()
        // 200s and 5xx tell an enumerator nothing; repeated 401s for one user are a phone registering.
        #expect(detector.responseSent(status: 200, user: "a", to: Self.scanner, at: at(1)) == nil)
        #expect(detector.responseSent(status: 503, user: "b", to: Self.scanner, at: at(1)) == nil)
        for _ in 1...5 {
            #expect(detector.responseSent(status: 401, user: "alice", to: Self.scanner, at: at(1)) == nil)
        }
        #expect(detector.responseSent(status: 404, user: "100", to: Self.scanner, at: at(2)) == nil)
        #expect(detector.responseSent(status: 407, user: "101", to: Self.scanner, at: at(3)) == nil)
        let detection = detector.responseSent(status: 404, user: "102", to: Self.scanner, at: at(4))
        #expect(detection?.reason == .enumeration)
    }

    @Test func aMalformedStormIsDetectedWithinItsWindowOnly() {
        var detector = Self.detector()
        #expect(detector.parseFailed(from: Self.scanner, at: at(0)) == nil)
        #expect(detector.parseFailed(from: Self.scanner, at: at(4)) == nil)
        // The first failure is out of the 5 s window by now: two within it.
        #expect(detector.parseFailed(from: Self.scanner, at: at(6)) == nil)
        #expect(detector.parseFailed(from: Self.scanner, at: at(7))?.reason == .malformedStorm)
    }

    @Test func dropMutesTheSourceForTheWindowAndLogDoesNot() {
        var dropping = Self.detector(
            malformed: DetectionSettings.Threshold(count: 2, window: .seconds(5), action: .drop))
        _ = dropping.parseFailed(from: Self.scanner, at: at(1))
        let detection = dropping.parseFailed(from: Self.scanner, at: at(2))
        #expect(detection?.action == .drop)
        #expect(detection?.dropsMessage == true)
        #expect(dropping.isMuted(Self.scanner, at: at(6)))
        #expect(!dropping.isMuted(Self.scanner, at: at(7)))
        #expect(!dropping.isMuted(Self.other, at: at(3)))

        var logging = Self.detector(malformed: DetectionSettings.Threshold(count: 2, window: .seconds(5), action: .log))
        _ = logging.parseFailed(from: Self.scanner, at: at(1))
        let logged = logging.parseFailed(from: Self.scanner, at: at(2))
        #expect(logged?.action == .log)
        #expect(logged?.dropsMessage == false)
        #expect(!logging.isMuted(Self.scanner, at: at(3)))
    }

    @Test func aDetectionTurnedOffNeverFires() {
        var detector = Self.detector(sweeps: nil, enumeration: nil, malformed: nil)
        for index in 1...50 {
            #expect(
                detector.requestReceived(
                    .options, requestURI: "sip:\(index)@x", isInitial: true, from: Self.scanner, at: at(1)) == nil)
            #expect(detector.responseSent(status: 404, user: "\(index)", to: Self.scanner, at: at(1)) == nil)
            #expect(detector.parseFailed(from: Self.scanner, at: at(1)) == nil)
        }
    }

    @Test func scannersGetThePolicysAction() {
        var detector = Self.detector(scanners: .log)
        let detection = detector.scannerMatched(from: Self.scanner, pattern: "friendly-scanner", at: at(1))
        #expect(detection.reason == .scanner)
        #expect(detection.action == .log)
        #expect(detection.detail == "friendly-scanner")
    }

    @Test func sweepingForgetsQuietSources() {
        var window = DistinctTargetWindow<IPAddress>(threshold: 3, window: .seconds(10), capacity: 8)
        let first = window.record("a", for: Self.scanner, at: at(0))
        let second = window.record("b", for: Self.scanner, at: at(1))
        #expect(!first && !second)
        #expect(window.count(of: Self.scanner, at: at(5)) == 2)
        #expect(window.count(of: Self.scanner, at: at(10)) == 1)
        let early = window.sweep(at: at(5))
        let late = window.sweep(at: at(11))
        #expect(early == 0 && late == 1)
        #expect(window.trackedCount == 0)
    }

    @Test func trackedSourcesAreBoundedByCapacity() {
        var window = DistinctTargetWindow<IPAddress>(threshold: 3, window: .seconds(10), capacity: 4)
        for index in 0..<100 { _ = window.record("a", for: ipv4(198, 51, 100, UInt8(index)), at: at(1)) }
        #expect(window.trackedCount == 4)
    }
}
