import IMSInterfaces

/// The challenges awaiting an answer, bounded: at most `perIdentityLimit` per private identity and `totalLimit` in
/// all, the oldest dropped first, so that a flood of unauthenticated REGISTERs cannot grow memory without end.
///
/// Challenges are kept by private identity (a handful each, found by nonce) and, for dropping and expiry, in the
/// order they were made. That order is a queue whose front is always a live challenge; a challenge answered from
/// the middle leaves its key behind until it reaches the front, and the queue is compacted when such keys pile up.
struct PendingChallenges: Sendable {
    private struct Key: Hashable, Sendable {
        var privateIdentity: PrivateIdentity
        var nonce: String
    }

    let perIdentityLimit: Int
    let totalLimit: Int
    private var byIdentity: [PrivateIdentity: [PendingChallenge]] = [:]
    /// Creation order; entries before `head` are gone, and so may be some after it (never the one at `head`).
    private var order: [Key] = []
    private var head = 0
    private(set) var count = 0

    init(perIdentityLimit: Int, totalLimit: Int) {
        self.perIdentityLimit = max(1, perIdentityLimit)
        self.totalLimit = max(1, totalLimit)
    }

    /// Keeps a new challenge; returns those dropped to make room (the identity's oldest, or the oldest of all).
    @discardableResult
    mutating func insert(_ challenge: PendingChallenge) -> [PendingChallenge] {
        var dropped: [PendingChallenge] = []
        if let existing = remove(challenge.privateIdentity, nonce: challenge.nonce) { dropped.append(existing) }
        while let challenges = byIdentity[challenge.privateIdentity], challenges.count >= perIdentityLimit,
            let oldest = challenges.first
        {
            if let removed = remove(oldest.privateIdentity, nonce: oldest.nonce) { dropped.append(removed) }
        }
        while count >= totalLimit, let oldest = oldest {
            if let removed = remove(oldest.privateIdentity, nonce: oldest.nonce) { dropped.append(removed) }
        }
        byIdentity[challenge.privateIdentity, default: []].append(challenge)
        order.append(Key(privateIdentity: challenge.privateIdentity, nonce: challenge.nonce))
        count += 1
        compactIfNeeded()
        return dropped
    }

    /// The challenge with this nonce for this identity, if still kept.
    func find(_ privateIdentity: PrivateIdentity, nonce: String) -> PendingChallenge? {
        byIdentity[privateIdentity]?.first { $0.nonce == nonce }
    }

    /// Takes a challenge out (it was answered, or replaced).
    @discardableResult
    mutating func remove(_ privateIdentity: PrivateIdentity, nonce: String) -> PendingChallenge? {
        guard var challenges = byIdentity[privateIdentity],
            let index = challenges.firstIndex(where: { $0.nonce == nonce })
        else { return nil }
        let removed = challenges.remove(at: index)
        byIdentity[privateIdentity] = challenges.isEmpty ? nil : challenges
        count -= 1
        trimFront()
        return removed
    }

    /// Takes out every challenge that can no longer be answered at `now`, oldest first.
    mutating func removeExpired(at now: Timestamp, lifetime: Int) -> [PendingChallenge] {
        var expired: [PendingChallenge] = []
        while let oldest, !oldest.isUsable(at: now, lifetime: lifetime) {
            if let removed = remove(oldest.privateIdentity, nonce: oldest.nonce) { expired.append(removed) }
        }
        return expired
    }

    /// The challenge made first among those kept.
    var oldest: PendingChallenge? {
        guard head < order.count else { return nil }
        return find(order[head].privateIdentity, nonce: order[head].nonce)
    }

    /// Keys in the creation-order queue, dead ones included: what compaction keeps near `count`.
    var queueLength: Int { order.count - head }

    /// Moves `head` past keys whose challenge is gone, so that the front is live (or the queue empty).
    private mutating func trimFront() {
        while head < order.count, find(order[head].privateIdentity, nonce: order[head].nonce) == nil {
            head += 1
        }
        if head == order.count {
            order.removeAll(keepingCapacity: true)
            head = 0
        }
    }

    /// Rebuilds the queue from the live challenges when dead keys outnumber them, keeping memory proportional to
    /// `count`; amortised over the insertions that made the dead keys.
    private mutating func compactIfNeeded() {
        guard order.count - head > 2 * count + 64 else { return }
        order = order[head...].filter { find($0.privateIdentity, nonce: $0.nonce) != nil }
        head = 0
    }
}
