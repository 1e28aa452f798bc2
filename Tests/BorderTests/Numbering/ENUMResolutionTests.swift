import SIPMessage
import Testing

@testable import Border

/// NAPTR selection for ENUM (RFC 6116, RFC 3403 §4.1): services, order and preference, terminal and non-terminal
/// records, skipping records that cannot be used.
@Suite struct ENUMResolutionTests {
    let number: E164Number

    init() throws {
        number = try E164Number(parsing: "+15551230000")
    }

    private func sip(
        _ order: UInt16, _ preference: UInt16, _ regexp: String, services: String = "E2U+sip"
    )
        -> ENUMRecord
    {
        ENUMRecord(order: order, preference: preference, flags: "u", services: services, regexp: regexp)
    }

    private func target(_ resolution: ENUMResolution) -> ENUMTarget? {
        if case .target(let target) = resolution { target } else { nil }
    }

    @Test func orderThenPreference() throws {
        let records = [
            sip(20, 10, "!^.*$!sip:order20@example.com!"),
            sip(10, 50, "!^.*$!sip:pref50@example.com!"),
            sip(10, 10, #"!^\+1(.*)$!sip:\1@pref10.example.com!"#),
            ENUMRecord(order: 5, preference: 1, flags: "u", services: "E2U+mailto", regexp: "!^.*$!mailto:a@b!"),
        ]
        let chosen = try #require(target(ENUMResolution.select(records: records, number: number)))
        #expect(chosen.uri.description == "sip:5551230000@pref10.example.com")
        #expect(chosen.service == ENUMService(type: "sip"))
        #expect(chosen.record == records[2])
        #expect(chosen.portability.isEmpty)
    }

    @Test func serviceSpellings() throws {
        for services in ["E2U+SIP", "e2u+sip", "e2u+sip:aor", "E2U+voice:tel+sip", "sip+E2U"] {
            let records = [sip(10, 10, "!^.*$!sip:a@b.example!", services: services)]
            #expect(target(ENUMResolution.select(records: records, number: number)) != nil, "\(services)")
        }
        let flagCase = ENUMRecord(order: 1, preference: 1, flags: "U", services: "E2U+sip", regexp: "!^.*$!sip:a@b!")
        #expect(target(ENUMResolution.select(records: [flagCase], number: number)) != nil)
    }

    @Test func caseInsensitiveRegexpOnTheAUS() throws {
        let records = [sip(10, 10, #"!^\+1555(.*)$!SIP:\1@Lab.Example!i"#)]
        let chosen = try #require(target(ENUMResolution.select(records: records, number: number)))
        #expect(chosen.uri.sipURI?.user == "1230000")
    }

    @Test func brokenRecordsAreSkippedWithReasons() throws {
        let records = [
            sip(10, 10, "!^(.*$!sip:a@b!"),  // bad regexp
            sip(10, 20, #"!^\+(([0-9]|[0-9])*)*x$!sip:a@b!"#),  // too costly
            sip(10, 30, "!^.*$!not a uri!"),
            sip(10, 40, "!^.*$!tel:+15551230000!"),  // a tel URI for the sip service
            sip(10, 50, "!^\\+44!sip:a@b!"),  // does not match
            sip(20, 10, "!^.*$!sip:fallback@example.com!"),
        ]
        let chosen = try #require(target(ENUMResolution.select(records: records, number: number)))
        #expect(chosen.uri.description == "sip:fallback@example.com")
        guard case .noMatch(let reasons) = ENUMResolution.select(records: Array(records.dropLast()), number: number)
        else {
            Issue.record("expected no match")
            return
        }
        #expect(
            reasons.map(\.code) == [
                .enumBadRegexp, .enumRegexpTooComplex, .enumBadTarget, .enumBadTarget, .enumBadTarget,
            ])
        #expect(reasons[0].detail.contains("!^(.*$!sip:a@b!"))
    }

    @Test func nonTerminalRecords() {
        let records = [
            ENUMRecord(
                order: 10, preference: 10, flags: "", services: "", regexp: "", replacement: "next.enum.example."),
            sip(20, 10, "!^.*$!sip:later@example.com!"),
        ]
        #expect(ENUMResolution.select(records: records, number: number) == .followReplacement("next.enum.example"))
        let byRegexp = ENUMRecord(
            order: 10, preference: 10, flags: "", services: "E2U+sip", regexp: #"!^\+1(.*)$!\1.nanp.enum.example!"#)
        #expect(
            ENUMResolution.select(records: [byRegexp], number: number)
                == .followReplacement("5551230000.nanp.enum.example"))
        // A non-terminal record of another application (RFC 3263's SIP+D2U) is not ours.
        let other = ENUMRecord(order: 1, preference: 1, flags: "", services: "SIP+D2U", regexp: "", replacement: "x.y")
        #expect(ENUMResolution.select(records: [other], number: number) == .noMatch([]))
        // Flags other than U (S, A, P) are not ENUM.
        let srv = ENUMRecord(
            order: 1, preference: 1, flags: "S", services: "E2U+sip", regexp: "", replacement: "_sip._udp.x")
        #expect(ENUMResolution.select(records: [srv], number: number) == .noMatch([]))
    }

    @Test func portabilityResults() throws {
        let records = [
            ENUMRecord(
                order: 10, preference: 10, flags: "u", services: "E2U+pstn:tel",
                regexp: "!^(.*)$!tel:\\1;npdi;rn=+15551239999!")
        ]
        let chosen = try #require(target(ENUMResolution.select(records: records, number: number)))
        #expect(chosen.uri.description == "tel:+15551230000;npdi;rn=+15551239999")
        #expect(chosen.portability.isDipped)
        #expect(chosen.portability.routingE164?.description == "+15551239999")
        #expect(ENUMResolution.select(records: records, number: number, acceptsPortability: false) == .noMatch([]))
        let pstnSIP = ENUMRecord(
            order: 10, preference: 10, flags: "u", services: "E2U+pstn:sip",
            regexp: "!^(.*)$!sip:\\1;npdi@gw.example;user=phone!")
        let sipTarget = try #require(target(ENUMResolution.select(records: [pstnSIP], number: number)))
        #expect(sipTarget.portability == NumberPortability(isDipped: true))
    }

    @Test func emptyAnswer() {
        #expect(ENUMResolution.select(records: [], number: number) == .noMatch([]))
    }
}
