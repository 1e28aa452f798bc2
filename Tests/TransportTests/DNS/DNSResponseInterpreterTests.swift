import SIPMessage
import Testing

@testable import Transport

@Suite struct DNSResponseInterpreterTests {
    let interpreter = DNSResponseInterpreter(maximumCNAMEs: 3)
    let question = DNSQuestion(name: "sip.example.test", type: .a)

    func message(
        rcode: DNSResponseCode = .noError, answers: [DNSResourceRecord] = [], authorities: [DNSResourceRecord] = []
    ) -> DNSMessage {
        DNSMessage(
            header: DNSHeader(id: 1, flags: 0x8180 | UInt16(rcode.rawValue)), questions: [question], answers: answers,
            authorities: authorities)
    }

    func a(_ name: DNSName, _ last: UInt8, ttl: UInt32 = 300) -> DNSResourceRecord {
        DNSResourceRecord(name: name, type: .a, ttl: ttl, data: .a(IPv4Address(192, 0, 2, last)))
    }

    func cname(_ name: DNSName, _ target: DNSName, ttl: UInt32 = 300) -> DNSResourceRecord {
        DNSResourceRecord(name: name, type: .cname, ttl: ttl, data: .cname(target))
    }

    func soa(ttl: UInt32, minimum: UInt32) -> DNSResourceRecord {
        DNSResourceRecord(
            name: "example.test", type: .soa, ttl: ttl,
            data: .soa(
                DNSSOARecord(
                    primaryServer: "ns.example.test", responsibleMailbox: "hostmaster.example.test", serial: 1,
                    refresh: 1, retry: 1, expire: 1, minimum: minimum)))
    }

    @Test func anAnswerTakesTheSmallestTTLOfItsRRset() {
        let records = [a("sip.example.test", 1, ttl: 300), a("SIP.example.test", 2, ttl: 60)]
        let other = a("other.example.test", 3, ttl: 5)
        #expect(
            interpreter.interpret(message(answers: records + [other]), for: question)
                == .answer(canonicalName: "sip.example.test", records: records, ttl: 60))
    }

    @Test func followsACNAMEChainAndBoundsTheTTLByIt() {
        let answers = [
            cname("sip.example.test", "b.example.test", ttl: 100), cname("b.example.test", "c.example.test", ttl: 50),
            a("c.example.test", 9, ttl: 300),
        ]
        #expect(
            interpreter.interpret(message(answers: answers), for: question)
                == .answer(canonicalName: "c.example.test", records: [answers[2]], ttl: 50))
    }

    @Test func asksAgainWhenTheChainEndsWithoutData() {
        let answers = [cname("sip.example.test", "b.example.test", ttl: 100)]
        #expect(
            interpreter.interpret(message(answers: answers), for: question)
                == .followCNAME("b.example.test", ttl: 100, followed: 1))
    }

    @Test func rejectsCNAMELoopsAndLongChains() {
        let loop = [cname("sip.example.test", "b.example.test"), cname("b.example.test", "sip.example.test")]
        let long = [
            cname("sip.example.test", "b.example.test"), cname("b.example.test", "c.example.test"),
            cname("c.example.test", "d.example.test"), cname("d.example.test", "e.example.test"),
        ]
        for answers in [loop, long] {
            guard case .failure(let error) = interpreter.interpret(message(answers: answers), for: question) else {
                Issue.record("\(answers) was accepted")
                continue
            }
            #expect(error.code == .malformed)
        }
        // Chains count across responses: two already followed, two more is one too many.
        let two = Array(long.prefix(2))
        guard case .failure = interpreter.interpret(message(answers: two), for: question, followed: 2) else {
            Issue.record("the chain was not bounded across responses")
            return
        }
    }

    @Test func negativeAnswersAreCacheableForTheSmallerOfTheSOATTLAndMinimum() {
        #expect(
            interpreter.interpret(message(rcode: .nameError, authorities: [soa(ttl: 3600, minimum: 45)]), for: question)
                == .negative(.nxdomain, name: "sip.example.test", ttl: 45))
        #expect(
            interpreter.interpret(message(authorities: [soa(ttl: 20, minimum: 45)]), for: question)
                == .negative(.noData, name: "sip.example.test", ttl: 20))
        #expect(
            interpreter.interpret(message(rcode: .nameError), for: question)
                == .negative(.nxdomain, name: "sip.example.test", ttl: nil))
    }

    @Test func aNegativeAnswerAtTheEndOfAChainNamesTheEnd() {
        let answers = [cname("sip.example.test", "gone.example.test", ttl: 10)]
        #expect(
            interpreter.interpret(
                message(rcode: .nameError, answers: answers, authorities: [soa(ttl: 3600, minimum: 45)]), for: question)
                == .negative(.nxdomain, name: "gone.example.test", ttl: 10))
    }

    @Test(arguments: [DNSResponseCode.serverFailure, .refused, .formatError, .notImplemented])
    func otherRcodesAreServerFailures(_ rcode: DNSResponseCode) {
        guard case .failure(let error) = interpreter.interpret(message(rcode: rcode), for: question) else {
            Issue.record("\(rcode) was not a failure")
            return
        }
        #expect(error.code == .serverFailure)
        #expect(error.responseCode == rcode)
    }

    @Test func aQuestionForCNAMEGetsTheCNAMEItself() {
        let record = cname("sip.example.test", "b.example.test")
        let cnameQuestion = DNSQuestion(name: "sip.example.test", type: .cname)
        #expect(
            interpreter.interpret(message(answers: [record]), for: cnameQuestion)
                == .answer(canonicalName: "sip.example.test", records: [record], ttl: 300))
    }
}
