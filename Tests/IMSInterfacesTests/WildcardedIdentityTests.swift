import IMSInterfaces
import Testing

/// Wildcarded identities (TS 23.003 §13.4, TS 29.228 §7.2b): `prefix!regex!suffix`.
@Suite struct WildcardedIdentityTests {
    func identity(_ text: String) throws -> PublicIdentity { try #require(PublicIdentity(parsing: text)) }

    @Test func telBlock() throws {
        let block = try WildcardedIdentity(parsing: "tel:+1555019!.*!")
        #expect(block.prefix == "tel:+1555019")
        #expect(block.expression == ".*")
        #expect(block.suffix == "")
        #expect(block.description == "tel:+1555019!.*!")
        #expect(block.matches(try identity("tel:+15550190042")))
        #expect(block.matches(try identity("tel:+1-555-019-9999")))
        #expect(!block.matches(try identity("tel:+15550100001")))
        #expect(!block.matches(try identity("sip:+15550190042@ims.gatehouse.test")))
    }

    @Test func sipRange() throws {
        let range = try WildcardedIdentity(parsing: #"sip:pbx-!\d{4}!@ims.gatehouse.test"#)
        #expect(range.prefix == "sip:pbx-")
        #expect(range.expression == #"\d{4}"#)
        #expect(range.suffix == "@ims.gatehouse.test")
        #expect(range.matches(try identity("sip:pbx-1234@ims.gatehouse.test")))
        #expect(range.matches(try identity("sip:pbx-0000@IMS.gatehouse.test:5060")))
        #expect(!range.matches(try identity("sip:pbx-12345@ims.gatehouse.test")), "the whole middle must match")
        #expect(!range.matches(try identity("sip:pbx-123@ims.gatehouse.test")))
        #expect(!range.matches(try identity("sip:pbx-abcd@ims.gatehouse.test")))
        #expect(!range.matches(try identity("sip:pbx-1234@other.test")))
        #expect(!range.matches(try identity("sip:xpbx-1234@ims.gatehouse.test")))
    }

    @Test func schemeAndHostAreCanonicalised() throws {
        let range = try WildcardedIdentity(parsing: #"SIP:pbx-!\d{4}!@IMS.Gatehouse.Test"#)
        #expect(range.prefix == "sip:pbx-")
        #expect(range.suffix == "@ims.gatehouse.test")
        #expect(range.pattern == #"SIP:pbx-!\d{4}!@IMS.Gatehouse.Test"#, "kept as provisioned")
        #expect(range.matches(try identity("sip:pbx-4321@ims.gatehouse.test")))
    }

    @Test(arguments: [
        ("tel:+1555019", WildcardedIdentity.Problem.noWildcard),
        ("tel:+1555019!.*", .unbalancedMarks),
        ("tel:+1555019!!", .unbalancedMarks),
        ("sip:a!1!b!2!@x", .unbalancedMarks),
    ])
    func badPatterns(text: String, problem: WildcardedIdentity.Problem) {
        #expect(throws: problem) { try WildcardedIdentity(parsing: text) }
    }

    @Test func invalidExpression() {
        #expect {
            try WildcardedIdentity(parsing: "tel:+1555019!(!")
        } throws: { error in
            guard case .invalidExpression = error as? WildcardedIdentity.Problem else { return false }
            return true
        }
    }
}
