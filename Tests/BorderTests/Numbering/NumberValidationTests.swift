import SIPMessage
import Testing

@testable import Border

/// Validation refusals and the statuses they are answered with.
@Suite struct NumberValidationTests {
    let rules = NumberValidation(
        allowedCountryCodes: [1, 44], nationalLengths: [1: 10...10, 44: 9...10],
        blockedPrefixes: ["+1900", "+1976", "449", "+4470"])

    @Test func allowed() throws {
        #expect(try rules.validate(E164Number(parsing: "+15551230000")).get().description == "+15551230000")
        #expect(try rules.validate(E164Number(parsing: "+442079460000")).get().description == "+442079460000")
    }

    @Test func refusalsCarryCodesAndDefaultStatuses() throws {
        let cases: [(String, NumberingError.Code, Int)] = [
            ("+33142685300", .countryNotAllowed, 403),
            ("+19005551234", .blockedPrefix, 403),
            ("+449098790000", .blockedPrefix, 403),
            ("+447012345678", .blockedPrefix, 403),
            ("+1555123000", .tooShort, 484),
            ("+155512300001", .tooLong, 404),
            ("+4420794600", .tooShort, 484),
        ]
        for (text, code, status) in cases {
            let error = rules.validate(try E164Number(parsing: text)).refusal
            #expect(error?.code == code, "\(text)")
            #expect(error?.status.code == status, "\(text)")
        }
    }

    @Test func blockedRangesWinOverLength() throws {
        // A premium number is refused as such even before it is complete: no probing digit by digit.
        #expect(rules.validate(try E164Number(parsing: "+1900555")).refusal?.code == .blockedPrefix)
    }

    @Test func policyPicksTheStatus() throws {
        var custom = rules
        custom.statuses = [.countryNotAllowed: .notFound, .tooLong: .doesNotExistAnywhere]
        #expect(custom.validate(try E164Number(parsing: "+33142685300")).refusal?.status.code == 404)
        #expect(custom.validate(try E164Number(parsing: "+155512300001")).refusal?.status.code == 604)
        #expect(custom.validate(try E164Number(parsing: "+19005551234")).refusal?.status.code == 403)
    }

    @Test func emptyRulesAllowEverything() throws {
        #expect(throws: Never.self) { try NumberValidation().check(E164Number(parsing: "+8823456789")) }
    }

    @Test func defaultStatuses() {
        #expect(NumberingError.Code.tooShort.defaultStatus == .addressIncomplete)
        #expect(NumberingError.Code.unknownCountryCode.defaultStatus.code == 604)
        #expect(NumberingError.Code.blockedPrefix.defaultStatus == .forbidden)
        #expect(NumberingError.Code.notANumber.defaultStatus == .notFound)
        #expect(NumberingError.Code.enumNoMatch.defaultStatus == .notFound)
    }
}
