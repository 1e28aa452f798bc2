import Testing

@testable import Border

/// Per-peer normalization: dialled forms to E.164 and back, for NANP and a European plan.
@Suite struct NumberingPlanTests {
    let nanp = NumberingPlan.northAmerica
    let uk = NumberingPlan.unitedKingdom

    @Test(arguments: [
        ("5551230000", "+15551230000"),
        ("15551230000", "+15551230000"),
        ("+15551230000", "+15551230000"),
        ("+1 (555) 123-0000", "+15551230000"),
        ("555.123.0000", "+15551230000"),
        ("011442079460000", "+442079460000"),
        ("01133142685300", "+33142685300"),
    ])
    func northAmerica(dialled: String, expected: String) throws {
        #expect(try nanp.normalize(dialled).get().description == expected)
    }

    @Test(arguments: [
        ("02079460000", "+442079460000"),
        ("2079460000", "+442079460000"),
        ("00442079460000", "+442079460000"),
        ("0033142685300", "+33142685300"),
        ("+44 20 7946 0000", "+442079460000"),
        ("0015551230000", "+15551230000"),
    ])
    func unitedKingdom(dialled: String, expected: String) throws {
        #expect(try uk.normalize(dialled).get().description == expected)
    }

    @Test func refusals() {
        #expect(nanp.normalize("5551230").refusal?.code == .tooShort)
        #expect(nanp.normalize("5551230").refusal?.status.code == 484)
        #expect(nanp.normalize("155512300001").refusal?.code == .tooLong)
        // Digits after the trunk prefix are the national number: one digit short is short, not a bare number.
        #expect(uk.normalize("020794600").refusal?.code == .tooShort)
        #expect(uk.normalize("0207946000000").refusal?.code == .tooLong)
        #expect(nanp.normalize("1555123000").refusal?.code == .tooShort)
        #expect(nanp.normalize("alice").refusal?.code == .notANumber)
        #expect(nanp.normalize("*69").refusal?.code == .notANumber)
        #expect(nanp.normalize("").refusal?.code == .notANumber)
        #expect(nanp.normalize("011").refusal?.code == .tooShort)
        #expect(nanp.normalize("0112801234567").refusal?.code == .unknownCountryCode)
        var strict = nanp
        strict.acceptsLeadingPlus = false
        #expect(strict.normalize("+15551230000").refusal?.code == .notANumber)
        strict.stripsVisualSeparators = false
        #expect(strict.normalize("555-123-0000").refusal?.code == .notANumber)
    }

    @Test func denormalize() throws {
        let home = try E164Number(parsing: "+15551230000")
        let london = try E164Number(parsing: "+442079460000")
        #expect(nanp.denormalize(home) == "+15551230000")
        #expect(nanp.denormalize(home, as: .national) == "15551230000")
        #expect(nanp.denormalize(home, as: .nationalSignificant) == "5551230000")
        #expect(nanp.denormalize(home, as: .international) == "01115551230000")
        #expect(nanp.denormalize(london, as: .nationalSignificant) == "011442079460000")
        #expect(uk.denormalize(london, as: .national) == "02079460000")
        #expect(uk.denormalize(home, as: .national) == "0015551230000")
        var pbx = nanp
        pbx.outboundFormat = .nationalSignificant
        #expect(pbx.denormalize(home) == "5551230000")
        // Normalizing what denormalize wrote gives the number back.
        for format in [NumberingPlan.NumberFormat.e164, .national, .nationalSignificant, .international] {
            #expect(try uk.normalize(uk.denormalize(london, as: format)).get() == london)
            #expect(try uk.normalize(uk.denormalize(home, as: format)).get() == home)
        }
    }
}

extension Result where Failure == NumberingError {
    /// The error, or nil on success: lets tests assert on codes in one line.
    var refusal: NumberingError? {
        if case .failure(let error) = self { error } else { nil }
    }
}
