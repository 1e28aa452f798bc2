import SIPMessage
import Testing

@testable import SIPStack

@Suite struct IdentifierGeneratorTests {
    static let tokenCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    @Test func randomIdentifiersHaveTheEntropyAndCharactersAsked() {
        var generator = RandomIdentifierGenerator()
        var seen = Set<String>()
        for _ in 0..<1000 {
            let tag = generator.tag()
            let callID = generator.callID()
            let branch = generator.branch()
            #expect(tag.count * 6 >= 64)
            #expect(callID.count * 6 >= 96)
            #expect(branch.hasPrefix("z9hG4bK"))
            #expect((branch.count - 7) * 6 >= 96)
            #expect(tag.allSatisfy(Self.tokenCharacters.contains))
            #expect(callID.allSatisfy(Self.tokenCharacters.contains))
            #expect(branch.allSatisfy(Self.tokenCharacters.contains))
            seen.formUnion([tag, callID, branch])
        }
        #expect(seen.count == 3000)
    }

    @Test func identifiersAreValidInTheirHeaders() throws {
        var generator = RandomIdentifierGenerator()
        #expect(try CallID(parsing: generator.callID()).value.count == 24)
        let via = try Via(parsing: "SIP/2.0/UDP 127.0.0.20;branch=\(generator.branch())")
        #expect(via.isRFC3261Branch)
        #expect(try NameAddress(parsing: "<sip:a@b>;tag=\(generator.tag())").tag?.count == 16)
    }

    @Test func seededGeneratorIsDeterministic() {
        var first = SeededIdentifierGenerator(seed: 42)
        var second = SeededIdentifierGenerator(seed: 42)
        var other = SeededIdentifierGenerator(seed: 43)
        let a = (0..<5).map { _ in [first.callID(), first.tag(), first.branch()] }
        let b = (0..<5).map { _ in [second.callID(), second.tag(), second.branch()] }
        let c = (0..<5).map { _ in [other.callID(), other.tag(), other.branch()] }
        #expect(a == b)
        #expect(a != c)
        #expect(a.allSatisfy { $0[2].hasPrefix("z9hG4bK") })
        #expect(Set(a.joined()).count == 15)
    }
}
