import Foundation
import IMSInterfaces
import Synchronization
import Testing

@testable import HSS

/// Two requests for vectors at once never get the same SQN: the counter moves in one store transaction.
@Suite struct ConcurrentVectorTests {
    /// `threads` threads, each making `requests` MARs of two vectors through its own HSS; every SQN seen.
    static func sqns(threads: Int, requests: Int, servers: [HomeSubscriberServer]) throws -> [SQN] {
        let milenage = try Lab.aliceMilenage()
        let seen = Mutex<[[UInt8]]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let hss = servers[thread % servers.count]
            for _ in 0..<requests {
                do {
                    let answer = try hss.multimediaAuth(
                        MultimediaAuthRequest(
                            privateIdentity: Lab.aliceIMPI, publicIdentity: Lab.aliceSIP, numberOfItems: 2,
                            serverName: Lab.scscf))
                    seen.withLock { $0 += answer.akaVectors.map { $0.rand + $0.autn } }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        return try seen.withLock { $0 }.map { randAndAUTN in
            let rand = try RAND(bytes: randAndAUTN[0..<16])
            return try AUTN(bytes: randAndAUTN[16...]).sqn(revealedBy: milenage.f5(rand: rand))
        }
    }

    /// The store's side alone, with the window between reading the counter and writing it back held open: a
    /// read-then-write in two transactions would hand two threads the same SQN here.
    @Test(arguments: [false, true])
    func slowBodiesStillTakeTurns(onFile: Bool) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let stores: [SQLiteSubscriberStore]
        if onFile {
            let path = directory.url.appendingPathComponent("hss.sqlite").path
            stores = [try SQLiteSubscriberStore(path: path), try SQLiteSubscriberStore(path: path)]
        } else {
            stores = [try SQLiteSubscriberStore.inMemory()]
        }
        try stores[0].put(Lab.alice)
        let taken = Mutex<[SQN]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for _ in 0..<5 {
                do {
                    let sqn = try stores[thread % stores.count].updateSequenceNumbers(of: Lab.aliceIMPI) { state in
                        let sqn = state.next()
                        usleep(2_000)
                        return sqn
                    }
                    taken.withLock { $0.append(sqn) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(Set(taken.withLock { $0 }.map(SequenceNumberState.sequence(of:))) == Set(1...20))
    }

    @Test func twoThreadsOnOneStore() throws {
        let hss = HomeSubscriberServer(store: try Lab.store())
        let sqns = try Self.sqns(threads: 2, requests: 25, servers: [hss])
        #expect(sqns.count == 100)
        #expect(Set(sqns).count == 100)
        #expect(Set(sqns.map(SequenceNumberState.sequence(of:))) == Set(1...100))
    }

    /// Two stores on one file stand for two processes (the node and `gatehouse hss`): SQLite's write lock, taken
    /// at BEGIN IMMEDIATE, keeps them apart.
    @Test func twoConnectionsOnOneFile() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("hss.sqlite").path
        let first = try SQLiteSubscriberStore(path: path)
        try first.put(Lab.alice)
        let second = try SQLiteSubscriberStore(path: path)
        let servers = [HomeSubscriberServer(store: first), HomeSubscriberServer(store: second)]
        let sqns = try Self.sqns(threads: 4, requests: 10, servers: servers)
        #expect(sqns.count == 80)
        #expect(Set(sqns).count == 80)
        #expect(try first.updateSequenceNumbers(of: Lab.aliceIMPI) { $0.sequence } == 80)
    }
}
