import SIPMessage

/// The transactions of one owner (an event loop, STYLE rule 11), keyed by `TransactionKey`, as a value.
///
/// The table creates the right machine for a request, routes incoming messages to the transaction they match
/// (§17.1.3 for responses, §17.2.3 for requests), forwards the TU's responses and the edge's timer and transport
/// events, and forgets a transaction as soon as its actions include `.terminated`. What no transaction matches is
/// reported as `.noMatch`: a request then starts a server transaction (`startServer`), unless it is an ACK, which
/// goes to the TU (the ACK for a 2xx, §17.2.3); a response goes to the core as a stray response (§18.1.2).
public struct TransactionTable: Sendable {
    /// One machine of the table.
    public enum Transaction: Sendable {
        case inviteClient(InviteClientTransaction)
        case nonInviteClient(NonInviteClientTransaction)
        case inviteServer(InviteServerTransaction)
        case nonInviteServer(NonInviteServerTransaction)
    }

    /// Where an incoming message went.
    public enum Routing: Sendable, Equatable {
        /// It matched this transaction, which asks for these actions.
        case matched(TransactionKey, [TransactionAction])
        /// No transaction matches it (or it is too malformed to have a key).
        case noMatch
    }

    private var transactions: [TransactionKey: Transaction] = [:]

    public init() {}

    /// The number of live transactions.
    public var count: Int { transactions.count }

    public var isEmpty: Bool { transactions.isEmpty }

    /// The keys of the live transactions, in no particular order.
    public var keys: [TransactionKey] { Array(transactions.keys) }

    /// The transaction with this key, if it is live.
    public subscript(key: TransactionKey) -> Transaction? { transactions[key] }

    // MARK: Creating

    /// Creates and starts the client transaction for a request the TU sends: INVITE client for an INVITE,
    /// non-INVITE client otherwise (§17.1). An ACK has no transaction: the TU sends it directly.
    ///
    /// - Throws: the machine's errors (`.wrongMethod` for an ACK), or `.duplicateTransaction` when the branch and
    ///   method are in use.
    public mutating func startClient(
        _ request: SIPMessage, isReliable: Bool, timers: TransactionTimers = TransactionTimers()
    ) throws(TransactionError) -> (key: TransactionKey, actions: [TransactionAction]) {
        var transaction: Transaction =
            request.method == .invite
            ? .inviteClient(try InviteClientTransaction(request: request, isReliable: isReliable, timers: timers))
            : .nonInviteClient(try NonInviteClientTransaction(request: request, isReliable: isReliable, timers: timers))
        return try insert(&transaction) { $0.start() }
    }

    /// Creates and starts the server transaction for a request that matched none (§17.2): INVITE server for an
    /// INVITE, non-INVITE server otherwise; a CANCEL gets a non-INVITE server transaction of its own (§9.2).
    ///
    /// - Throws: the machine's errors (`.wrongMethod` for an ACK, which never creates a transaction), or
    ///   `.duplicateTransaction` when the request matches a live transaction (route it with `receive(_:)` first).
    public mutating func startServer(
        _ request: SIPMessage, isReliable: Bool, timers: TransactionTimers = TransactionTimers()
    ) throws(TransactionError) -> (key: TransactionKey, actions: [TransactionAction]) {
        var transaction: Transaction =
            request.method == .invite
            ? .inviteServer(try InviteServerTransaction(request: request, isReliable: isReliable, timers: timers))
            : .nonInviteServer(try NonInviteServerTransaction(request: request, isReliable: isReliable, timers: timers))
        return try insert(&transaction) { $0.start() }
    }

    private mutating func insert(
        _ transaction: inout Transaction, start: (inout Transaction) -> [TransactionAction]
    ) throws(TransactionError) -> (key: TransactionKey, actions: [TransactionAction]) {
        let key = transaction.key
        guard transactions[key] == nil else {
            throw TransactionError(
                .duplicateTransaction, status: .serverInternalError, "a transaction \(key) already exists")
        }
        let actions = start(&transaction)
        if !actions.contains(.terminated) { transactions[key] = transaction }
        return (key, actions)
    }

    // MARK: Events

    /// Routes a message from the network: a response to the client transaction of its top Via branch and CSeq
    /// method (§17.1.3), a request to the server transaction of its key (§17.2.3; an ACK to its INVITE's).
    public mutating func receive(_ message: SIPMessage) -> Routing {
        if message.isRequest {
            guard let key = try? TransactionKey(serverSide: message), transactions[key] != nil else { return .noMatch }
            return .matched(key, update(key) { $0.receive(request: message) })
        }
        guard let key = try? TransactionKey(clientSide: message), transactions[key] != nil else { return .noMatch }
        return .matched(key, update(key) { $0.receive(response: message) })
    }

    /// A response from the TU for the server transaction `key`; nothing when there is no such transaction.
    public mutating func sendResponse(_ response: SIPMessage, for key: TransactionKey) -> [TransactionAction] {
        update(key) { $0.sendResponse(response) }
    }

    /// The edge's timer `timer` for transaction `key` fired; nothing when the transaction is gone.
    public mutating func timerFired(_ timer: TransactionTimer, for key: TransactionKey) -> [TransactionAction] {
        update(key) { $0.timerFired(timer) }
    }

    /// The transport failed for transaction `key`; nothing when the transaction is gone.
    public mutating func transportFailed(for key: TransactionKey) -> [TransactionAction] {
        update(key) { $0.transportFailed() }
    }

    /// The INVITE server transaction a received CANCEL targets (§9.2: the matching of §17.2.3 with method INVITE),
    /// if it is live. The CANCEL itself still gets a server transaction of its own (`startServer`).
    public func inviteServerKey(cancelledBy cancel: SIPMessage) -> TransactionKey? {
        guard cancel.method == .cancel, let key = try? TransactionKey(serverSide: cancel, method: .invite),
            case .inviteServer = transactions[key]
        else { return nil }
        return key
    }

    /// Applies an event to transaction `key` and drops it once it terminates.
    private mutating func update(
        _ key: TransactionKey, _ event: (inout Transaction) -> [TransactionAction]
    ) -> [TransactionAction] {
        guard var transaction = transactions[key] else { return [] }
        let actions = event(&transaction)
        transactions[key] = actions.contains(.terminated) ? nil : transaction
        return actions
    }
}
