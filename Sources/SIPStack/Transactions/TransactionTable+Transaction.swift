import SIPMessage

/// Each event, forwarded to whichever machine the case holds. Events a machine has no use for (a request for a
/// client transaction, a response from the TU for one) give no actions.
extension TransactionTable.Transaction {
    public var key: TransactionKey {
        switch self {
        case .inviteClient(let transaction): transaction.key
        case .nonInviteClient(let transaction): transaction.key
        case .inviteServer(let transaction): transaction.key
        case .nonInviteServer(let transaction): transaction.key
        }
    }

    /// The request the transaction was created with.
    public var request: SIPMessage {
        switch self {
        case .inviteClient(let transaction): transaction.request
        case .nonInviteClient(let transaction): transaction.request
        case .inviteServer(let transaction): transaction.request
        case .nonInviteServer(let transaction): transaction.request
        }
    }

    /// Whether the machine has reached Terminated.
    public var isTerminated: Bool {
        switch self {
        case .inviteClient(let transaction): transaction.state == .terminated
        case .nonInviteClient(let transaction): transaction.state == .terminated
        case .inviteServer(let transaction): transaction.state == .terminated
        case .nonInviteServer(let transaction): transaction.state == .terminated
        }
    }

    mutating func start() -> [TransactionAction] {
        apply(
            inviteClient: { $0.start() }, nonInviteClient: { $0.start() }, inviteServer: { $0.start() },
            nonInviteServer: { $0.start() })
    }

    mutating func receive(response: SIPMessage) -> [TransactionAction] {
        apply(
            inviteClient: { $0.receive(response: response) }, nonInviteClient: { $0.receive(response: response) })
    }

    mutating func receive(request: SIPMessage) -> [TransactionAction] {
        apply(
            inviteServer: { $0.receive(request: request) }, nonInviteServer: { $0.receive(request: request) })
    }

    mutating func sendResponse(_ response: SIPMessage) -> [TransactionAction] {
        apply(inviteServer: { $0.sendResponse(response) }, nonInviteServer: { $0.sendResponse(response) })
    }

    mutating func timerFired(_ timer: TransactionTimer) -> [TransactionAction] {
        apply(
            inviteClient: { $0.timerFired(timer) }, nonInviteClient: { $0.timerFired(timer) },
            inviteServer: { $0.timerFired(timer) }, nonInviteServer: { $0.timerFired(timer) })
    }

    mutating func transportFailed() -> [TransactionAction] {
        apply(
            inviteClient: { $0.transportFailed() }, nonInviteClient: { $0.transportFailed() },
            inviteServer: { $0.transportFailed() }, nonInviteServer: { $0.transportFailed() })
    }

    /// Runs the closure for the machine this case holds and stores the machine back.
    private mutating func apply(
        inviteClient: (inout InviteClientTransaction) -> [TransactionAction] = { _ in [] },
        nonInviteClient: (inout NonInviteClientTransaction) -> [TransactionAction] = { _ in [] },
        inviteServer: (inout InviteServerTransaction) -> [TransactionAction] = { _ in [] },
        nonInviteServer: (inout NonInviteServerTransaction) -> [TransactionAction] = { _ in [] }
    ) -> [TransactionAction] {
        let actions: [TransactionAction]
        switch self {
        case .inviteClient(var transaction):
            actions = inviteClient(&transaction)
            self = .inviteClient(transaction)
        case .nonInviteClient(var transaction):
            actions = nonInviteClient(&transaction)
            self = .nonInviteClient(transaction)
        case .inviteServer(var transaction):
            actions = inviteServer(&transaction)
            self = .inviteServer(transaction)
        case .nonInviteServer(var transaction):
            actions = nonInviteServer(&transaction)
            self = .nonInviteServer(transaction)
        }
        return actions
    }
}
