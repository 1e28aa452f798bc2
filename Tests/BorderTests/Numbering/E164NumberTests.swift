import Testing

@testable import Border

/// E.164 numbers: country-code detection by the ITU table, length rules, the `+CC…` form.
@Suite struct E164NumberTests {
    @Test(arguments: [
        ("+15551230000", 1, "5551230000"),
        ("+12425551234", 1, "2425551234"),  // Bahamas: NANP shares CC 1, 242 is an area code
        ("+74951234567", 7, "4951234567"),  // Russia
        ("+77172123456", 7, "7172123456"),  // Kazakhstan, also CC 7
        ("+201001234567", 20, "1001234567"),  // Egypt
        ("+211912345678", 211, "912345678"),  // South Sudan
        ("+998901234567", 998, "901234567"),  // Uzbekistan
        ("+882345678901", 882, "345678901"),  // international networks
        ("+88351001234567", 883, "51001234567"),
        ("+442079460000", 44, "2079460000"),
        ("+6831234", 683, "1234"),  // Niue: the shortest numbers in service
        ("+80012345678", 800, "12345678"),  // international freephone
    ])
    func countryCodeDetection(text: String, countryCode: Int, national: String) throws {
        let number = try E164Number(parsing: text)
        #expect(number.countryCode == countryCode)
        #expect(number.nationalSignificantNumber == national)
        #expect(number.description == text)
    }

    @Test func unassignedCountryCodesDoNotExistAnywhere() {
        for text in ["+2801234567", "+2101234567", "+3841234567", "+6711234567", "+9991234567", "+0123456789"] {
            let error = #expect(throws: NumberingError.self) { try E164Number(parsing: text) }
            #expect(error?.code == .unknownCountryCode)
            #expect(error?.status.code == 604)
        }
    }

    @Test func lengthLimits() throws {
        let short = #expect(throws: NumberingError.self) { try E164Number(digits: "441234") }
        #expect(short?.code == .tooShort)
        let long = #expect(throws: NumberingError.self) { try E164Number(digits: "4412345678901234") }
        #expect(long?.code == .tooLong)
        #expect(try E164Number(digits: "441234567890123").digits.count == 15)
    }

    @Test func separatorsAndBadInput() throws {
        #expect(try E164Number(parsing: "+1 (555) 123-0000").digits == "15551230000")
        #expect(try E164Number(parsing: "+44.20.7946.0000").digits == "442079460000")
        let noPlus = #expect(throws: NumberingError.self) { try E164Number(parsing: "15551230000") }
        #expect(noPlus?.code == .notANumber)
        let letters = #expect(throws: NumberingError.self) { try E164Number(parsing: "+1555CALLNOW") }
        #expect(letters?.code == .notANumber)
    }

    @Test func countryCodeTableIsAPrefixCode() {
        let all = CountryCodes.oneDigit.union(CountryCodes.twoDigit).union(CountryCodes.threeDigit)
        for code in all {
            for other in all where other != code {
                #expect(!other.hasPrefix(code), "\(code) is a prefix of \(other)")
            }
        }
        #expect(all.count > 200)
    }

    @Test func prefixMatching() throws {
        let number = try E164Number(parsing: "+19005551234")
        #expect(number.hasPrefix("+1900"))
        #expect(number.hasPrefix("1900"))
        #expect(!number.hasPrefix("+1901"))
    }
}
