import GRDB
import IMSInterfaces

// The SQN counter of TS 33.102 Annex C, read, advanced and written back in one transaction.
extension SQLiteSubscriberStore {
    public func updateSequenceNumbers<T>(
        of privateIdentity: PrivateIdentity, _ body: (inout SequenceNumberState) throws -> T
    ) throws -> T {
        let key = privateIdentity.value
        return try write("sequence numbers of \(key)") { db in
            guard
                let record = try SequenceNumberRecord.selectOne(
                    db.cachedStatement(sql: SequenceNumberQueries.select), arguments: [key])
            else {
                throw HSSStoreError(.unknownSubscriber, "no subscriber \(key)")
            }
            var state = try record.model()
            let result = try body(&state)
            let updated = SequenceNumberRecord(state, privateIdentity: key)
            try db.cachedStatement(sql: SequenceNumberQueries.update).execute(
                arguments: [updated.sequenceHE, updated.nextIndex, key])
            return result
        }
    }

    /// Raw SQL through the statement cache: every MAR takes an SQN, and building and preparing these through the
    /// query interface cost more than running them (see `SelectedRow`). Both take the private identity; the update
    /// takes SEQ_HE and IND before it.
    private enum SequenceNumberQueries {
        static let select = "SELECT \(SequenceNumberRecord.selection) FROM sequence_number WHERE private_identity = ?"
        static let update = "UPDATE sequence_number SET sequence_he = ?, next_index = ? WHERE private_identity = ?"
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
