import SIPStack
import Testing

/// Parallel forking (RFC 3261 §16.7): first 2xx wins, the others are cancelled or released; the best failure.
struct ParallelForkTests {
    @Test func theFirstAnswerWinsAndTheOthersAreCancelled() {
        var fork = ParallelFork(branches: ["phone", "tablet", "desk"])
        #expect(fork.received(status: 180, from: "phone") == [.relay("phone", status: 180)])
        #expect(fork.received(status: 180, from: "desk") == [.relay("desk", status: 180)])
        #expect(
            fork.received(status: 200, from: "tablet") == [
                .relay("tablet", status: 200), .cancel("phone"), .cancel("desk"),
            ])
        #expect(fork.state == .answered("tablet"))
        // The cancelled branches' 487s change nothing; a 2xx that crossed the CANCEL is released.
        #expect(fork.received(status: 487, from: "phone").isEmpty)
        #expect(fork.received(status: 200, from: "desk") == [.release("desk")])
        // A retransmission of the winner's 2xx is the dialog's business, not the fork's.
        #expect(fork.received(status: 200, from: "tablet").isEmpty)
        #expect(fork.received(status: 183, from: "desk").isEmpty)
    }

    @Test func whenAllFailTheLowestClassIsRelayedAnd503Becomes500() {
        var fork = ParallelFork(branches: [1, 2, 3])
        #expect(fork.received(status: 503, from: 1).isEmpty)
        #expect(fork.branchFailed(2, status: 408).isEmpty)
        #expect(fork.received(status: 486, from: 3) == [.relayFinal(2, status: 408)])
        #expect(fork.state == .failed(status: 408))

        var servers = ParallelFork(branches: [1, 2])
        #expect(servers.received(status: 503, from: 1).isEmpty)
        #expect(servers.received(status: 500, from: 2) == [.relayFinal(1, status: 500)])
    }

    @Test func aDeclineEndsTheForkAtOnce() {
        var fork = ParallelFork(branches: ["a", "b"])
        #expect(fork.received(status: 603, from: "b") == [.relayFinal("b", status: 603), .cancel("a")])
        #expect(fork.received(status: 200, from: "a") == [.release("a")])
    }

    @Test func theCallersCancelReachesEveryRingingBranch() {
        var fork = ParallelFork(branches: ["a", "b", "c"])
        _ = fork.received(status: 486, from: "b")
        #expect(fork.cancel() == [.cancel("a"), .cancel("c")])
        #expect(fork.state == .cancelled)
        #expect(fork.cancel().isEmpty)
        #expect(fork.received(status: 200, from: "c") == [.release("c")])
    }

    @Test func aSingleBranchIsAPlainCall() {
        var fork = ParallelFork(branches: ["only"])
        #expect(fork.received(status: 180, from: "only") == [.relay("only", status: 180)])
        #expect(fork.received(status: 404, from: "only") == [.relayFinal("only", status: 404)])
        #expect(fork.received(status: 100, from: "stranger").isEmpty)
    }
}
