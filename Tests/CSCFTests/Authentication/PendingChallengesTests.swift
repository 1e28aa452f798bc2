import IMSInterfaces
import Testing

@testable import CSCF

/// The challenges awaiting an answer stay bounded per private identity and in all, oldest dropped first.
@Suite struct PendingChallengesTests {
    static let vector = DigestVector(realm: "ims.gatehouse.test", algorithm: .md5, ha1: "00")

    static func challenge(_ user: String, _ nonce: String, at seconds: Int64) -> PendingChallenge {
        PendingChallenge(
            item: .digest(vector), privateIdentity: PrivateIdentity("\(user)@ims.gatehouse.test")!,
            publicIdentity: PublicIdentity(parsing: "sip:\(user)@ims.gatehouse.test")!, realm: "ims.gatehouse.test",
            randomNonce: nonce, opaque: "op", createdAt: Timestamp(secondsSince1970: seconds))
    }

    @Test func perIdentityLimitDropsThatIdentitysOldest() {
        var pending = PendingChallenges(perIdentityLimit: 2, totalLimit: 100)
        pending.insert(Self.challenge("a", "n1", at: 1))
        pending.insert(Self.challenge("b", "n2", at: 2))
        pending.insert(Self.challenge("a", "n3", at: 3))
        let dropped = pending.insert(Self.challenge("a", "n4", at: 4))
        #expect(dropped.map(\.nonce) == ["n1"])
        #expect(pending.count == 3)
        #expect(pending.oldest?.nonce == "n2")
        let a = PrivateIdentity("a@ims.gatehouse.test")!
        #expect(pending.find(a, nonce: "n1") == nil)
        #expect(pending.find(a, nonce: "n4")?.createdAt == Timestamp(secondsSince1970: 4))
    }

    @Test func totalLimitDropsTheOldestOfAll() {
        var pending = PendingChallenges(perIdentityLimit: 4, totalLimit: 3)
        for index in 1...5 { pending.insert(Self.challenge("u\(index)", "n\(index)", at: Int64(index))) }
        #expect(pending.count == 3)
        #expect(pending.oldest?.nonce == "n3")
    }

    @Test func answeredAndExpiredChallengesLeave() {
        var pending = PendingChallenges(perIdentityLimit: 4, totalLimit: 100)
        for index in 1...4 { pending.insert(Self.challenge("u\(index)", "n\(index)", at: Int64(index * 10))) }
        #expect(pending.remove(PrivateIdentity("u2@ims.gatehouse.test")!, nonce: "n2")?.nonce == "n2")
        #expect(pending.remove(PrivateIdentity("u2@ims.gatehouse.test")!, nonce: "n2") == nil)
        let expired = pending.removeExpired(at: Timestamp(secondsSince1970: 60), lifetime: 30)
        #expect(expired.map(\.nonce) == ["n1", "n3"])
        #expect(pending.oldest?.nonce == "n4")
        #expect(pending.count == 1)
    }

    @Test func manyAnsweredChallengesDoNotGrowTheQueue() {
        var pending = PendingChallenges(perIdentityLimit: 4, totalLimit: 100)
        pending.insert(Self.challenge("keep", "first", at: 0))
        for index in 1...10_000 {
            pending.insert(Self.challenge("u", "n\(index)", at: Int64(index)))
            pending.remove(PrivateIdentity("u@ims.gatehouse.test")!, nonce: "n\(index)")
        }
        #expect(pending.count == 1)
        #expect(pending.oldest?.nonce == "first")
        #expect(pending.queueLength < 200)
    }
}
