import GRDB
import IMSInterfaces

// The SQN counter of TS 33.102 Annex C, read, advanced and written back in one transaction.
extension SQLiteSubscriberStore {
    public func updateSequenceNumbers<T>(
        of privateIdentity: PrivateIdentity, _ body: (inout SequenceNumberState) throws -> T
    ) throws -> T {
        let key = privateIdentity.value
        return try write("sequence numbers of \(key)") { db in
            guard let record = try SequenceNumberRecord.fetchOne(db, key: key) else {
                throw HSSStoreError(.unknownSubscriber, "no subscriber \(key)")
            }
            var state = try record.model()
            let result = try body(&state)
            try SequenceNumberRecord(state, privateIdentity: key).update(db)
            return result
        }
    }
}

extension SequenceNumberRecord {
    init(_ state: SequenceNumberState, privateIdentity: String) {
        // SEQ is at most 43 bits, so it always fits a signed 64-bit column.
        self.init(privateIdentity: privateIdentity, sequenceHE: Int64(state.sequence), nextIndex: state.nextIndex)
    }

    func model() throws(HSSStoreError) -> SequenceNumberState {
        do throws(AKAError) {
            guard sequenceHE >= 0 else { throw AKAError(.outOfRange, "SEQ \(sequenceHE) is negative") }
            return try SequenceNumberState(sequence: UInt64(sequenceHE), nextIndex: nextIndex)
        } catch {
            throw HSSStoreError(.corrupt, "sequence numbers of \(privateIdentity): \(error.detail)")
        }
    }
}
