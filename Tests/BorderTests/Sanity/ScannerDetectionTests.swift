import Border
import GatehousePolicy
import SIPMessage
import Testing

/// Scanner detection in the sanity stage: the built-in User-Agents and From/To markers, the policy's own patterns,
/// drop or reject, and that a scanner is told nothing else.
@Suite struct ScannerDetectionTests {
    typealias F = SanityFixtures

    @Test(arguments: ScannerDetector.builtinUserAgents)
    func everyBuiltinUserAgentIsDropped(_ pattern: String) throws {
        let rejection = try sanityOutcome(F.invite.setting("User-Agent", "x \(pattern)/1.0"))
        #expect(rejection?.summary == "scanner drop")
        #expect(rejection?.detail == "User-Agent matches scanner pattern '\(pattern)'")
    }

    /// As the tools send them (SIPVicious' svmap, sipcli, the VaxSIP SDK) and in any case.
    @Test(arguments: [
        "friendly-scanner", "SIPVicious 0.3.4", "sipcli/v1.8", "VaxSIPUserAgent/3.1", "IWAR", "Sundayddr",
    ])
    func realScannerUserAgents(_ userAgent: String) throws {
        #expect(try sanityOutcome(F.request(.options).setting("User-Agent", userAgent))?.code == "scanner")
    }

    @Test(arguments: ["sipsak 0.9.8", "SIPp/3.7", "LabPBX/1.0", "Asterisk PBX 20.5.0", "Linphone/5.2"])
    func honestUserAgentsPass(_ userAgent: String) throws {
        #expect(try sanityOutcome(F.request(.options).setting("User-Agent", userAgent)) == nil)
    }

    @Test func sipviciousFromAndToMarkersWithoutAUserAgent() throws {
        let svwar = F.request(.register, uri: "sip:127.0.0.10").setting("User-Agent", nil)
            .setting("From", "\"sipvicious\"<sip:100@1.1.1.1>;tag=6663").setting(
                "To", "\"sipvicious\"<sip:100@1.1.1.1>")
        let rejection = try sanityOutcome(svwar)
        #expect(rejection?.summary == "scanner drop")
        #expect(rejection?.detail == "From matches scanner pattern 'sipvicious'")
        #expect(try sanityOutcome(F.invite.setting("To", "<sip:SIPVicious@127.0.0.10>"))?.code == "scanner")
    }

    @Test func aSecondUserAgentCannotHideTheFirst() throws {
        #expect(try sanityOutcome(F.invite + ["User-Agent: friendly-scanner"])?.code == "scanner")
    }

    /// Checked first: a scanner's malformed request learns nothing from a 400.
    @Test func scannersAreCheckedBeforeAnythingElse() throws {
        let broken = F.invite.setting("Call-ID", nil).setting("Max-Forwards", "0").setting("User-Agent", "sipcli")
        #expect(try sanityOutcome(broken)?.summary == "scanner drop")
    }

    @Test func thePolicyAddsPatternsOrReplacesTheBuiltinList() throws {
        let added = F.stage(SanitySettings(scanners: .init(userAgents: ["Evil-Dialer"])))
        #expect(try sanityOutcome(F.invite.setting("User-Agent", "evil-dialer 2.0"), added)?.code == "scanner")
        #expect(try sanityOutcome(F.invite.setting("User-Agent", "friendly-scanner"), added)?.code == "scanner")
        let own = F.stage(SanitySettings(scanners: .init(builtin: false, userAgents: ["sipsak"])))
        #expect(try sanityOutcome(F.invite.setting("User-Agent", "friendly-scanner"), own) == nil)
        #expect(try sanityOutcome(F.invite.setting("From", "\"sipvicious\"<sip:1@1.1.1.1>;tag=1"), own) == nil)
        let rejection = try sanityOutcome(F.invite.setting("User-Agent", "sipsak 0.9.8"), own)
        #expect(rejection?.detail == "User-Agent matches scanner pattern 'sipsak'")
        let none = F.stage(SanitySettings(scanners: .init(builtin: false)))
        #expect(try sanityOutcome(F.invite.setting("User-Agent", "friendly-scanner"), none) == nil)
    }

    @Test func rejectAnswersWithThePolicysStatusButNeverAnACK() throws {
        let reject = F.stage(SanitySettings(scanners: .init(action: .reject(.forbidden))))
        #expect(try sanityOutcome(F.invite.setting("User-Agent", "friendly-scanner"), reject)?.summary == "scanner 403")
        let notFound = F.stage(SanitySettings(scanners: .init(action: .reject(.notFound))))
        #expect(try sanityOutcome(F.invite.setting("User-Agent", "sipcli"), notFound)?.summary == "scanner 404")
        let ack = F.request(.ack).setting("To", "<sip:b@127.0.0.10>;tag=t").setting("User-Agent", "sipcli")
        #expect(try sanityOutcome(ack, reject)?.summary == "scanner drop")
        // The checks' own action does not apply to scanners.
        let checksDropped = F.stage(SanitySettings(action: .drop, scanners: .init(action: .reject(.forbidden))))
        #expect(try sanityOutcome(F.invite.setting("User-Agent", "sipcli"), checksDropped)?.summary == "scanner 403")
    }

    @Test func responsesAreNotScanned() throws {
        #expect(try sanityOutcome(F.ok + ["Server: friendly-scanner"]) == nil)
        #expect(try sanityOutcome(F.ok + ["User-Agent: friendly-scanner"]) == nil)
    }

    @Test func theTraceSaysWhichPatternMatched() throws {
        var trace = PipelineTrace(recording: true)
        let message = try F.message(F.invite.setting("User-Agent", "friendly-scanner"))
        #expect(sanityOutcome(message, trace: &trace) != nil)
        #expect(
            trace.entries.map(\.description) == [
                "[sanity] scanner → drop: User-Agent matches scanner pattern 'friendly-scanner'"
            ])
    }

    @Test func theDetectorOnItsOwn() throws {
        let detector = ScannerDetector(userAgents: ["Ab"], nameMarkers: ["zz"])
        #expect(detector.match(try F.message(F.invite.setting("User-Agent", "xaBx")))?.pattern == "Ab")
        #expect(detector.match(try F.message(F.invite.setting("User-Agent", "a"))) == nil)
        #expect(detector.match(try F.message(F.invite.setting("To", "<sip:ZZ@127.0.0.10>")))?.header == .to)
        #expect(ScannerDetector(userAgents: []).isEmpty)
        #expect(ScannerDetector(userAgents: [""]).match(try F.message(F.invite)) == nil)
    }
}
