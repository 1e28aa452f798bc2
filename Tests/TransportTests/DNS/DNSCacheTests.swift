import SIPMessage
import Testing

@testable import Transport

@Suite struct DNSCacheTests {
    let question = DNSQuestion(name: "sip.example.test", type: .a)

    func answer(ttl: UInt32, for question: DNSQuestion? = nil, truncated: Bool = false) -> DNSAnswer {
        let question = question ?? self.question
        return DNSAnswer(
            question: question, canonicalName: question.name,
            records: [DNSResourceRecord(name: question.name, type: .a, ttl: ttl, data: .a(IPv4Address(192, 0, 2, 1)))],
            ttl: ttl, isTruncated: truncated)
    }

    @Test func keepsAnAnswerForItsTTLAndCountsItDown() throws {
        var cache = DNSCache(capacity: 10)
        cache.store(answer(ttl: 60), now: .seconds(100))
        let later = try cache.lookup(question, now: .seconds(130))?.get()
        #expect(later?.ttl == 30)
        #expect(try cache.lookup(DNSQuestion(name: "SIP.EXAMPLE.TEST", type: .a), now: .seconds(159.5))?.get().ttl == 1)
        #expect(cache.lookup(question, now: .seconds(160)) == nil)
        #expect(cache.count == 0)
    }

    @Test func doesNotKeepZeroTTLsOrTruncatedAnswers() {
        var cache = DNSCache(capacity: 10)
        cache.store(answer(ttl: 0), now: .zero)
        cache.store(answer(ttl: 60, truncated: true), now: .zero)
        #expect(cache.count == 0)
    }

    @Test func anNXDOMAINCoversEveryTypeButNODATAOnlyItsOwn() {
        var cache = DNSCache(capacity: 10)
        let nxdomain = DNSError(.nxdomain, question: question, "gone")
        cache.store(nxdomain, for: question, ttl: 30, coversEveryType: true, now: .zero)
        let aaaa = DNSQuestion(name: "sip.example.test", type: .aaaa)
        guard case .failure(let error)? = cache.lookup(aaaa, now: .seconds(10)) else {
            Issue.record("the NXDOMAIN does not cover AAAA")
            return
        }
        #expect(error.code == .nxdomain)

        let other = DNSQuestion(name: "other.example.test", type: .a)
        cache.store(DNSError(.noData, question: other, "none"), for: other, ttl: 30, coversEveryType: false, now: .zero)
        #expect(cache.lookup(other, now: .seconds(10)) != nil)
        #expect(cache.lookup(DNSQuestion(name: "other.example.test", type: .aaaa), now: .seconds(10)) == nil)
        #expect(cache.lookup(other, now: .seconds(30)) == nil)
    }

    @Test func doesNotKeepFailuresThatAreNotAnswers() {
        var cache = DNSCache(capacity: 10)
        cache.store(
            DNSError(.timeout, question: question, "slow"), for: question, ttl: 30, coversEveryType: false, now: .zero)
        #expect(cache.count == 0)
    }

    @Test func whenFullDropsExpiredEntriesThenTheOneClosestToExpiry() {
        var cache = DNSCache(capacity: 2)
        let first = DNSQuestion(name: "a.example.test", type: .a)
        let second = DNSQuestion(name: "b.example.test", type: .a)
        let third = DNSQuestion(name: "c.example.test", type: .a)
        cache.store(answer(ttl: 10, for: first), now: .zero)
        cache.store(answer(ttl: 100, for: second), now: .zero)
        cache.store(answer(ttl: 100, for: third), now: .seconds(1))
        #expect(cache.count == 2)
        #expect(cache.lookup(first, now: .seconds(2)) == nil)
        #expect(cache.lookup(second, now: .seconds(2)) != nil)
        #expect(cache.lookup(third, now: .seconds(2)) != nil)
    }
}
