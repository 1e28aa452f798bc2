import Foundation

/// JSON text for the nested parts of a subscriber (iFCs, capabilities, a binding's Path), which the tables keep in
/// one text column each rather than in a table per level: the S-CSCF always needs a service profile whole, and
/// JSON text reads the same from SQLite and PostgreSQL.
enum StoredJSON {
    /// Sorted keys, so that one value always becomes the same text.
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // The mirror types hold only strings, integers, booleans and arrays of them, which always encode.
        guard let data = try? encoder.encode(value) else {
            preconditionFailure("JSON encoding of \(type(of: value)) failed")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `.corrupt` when the text is not JSON of that shape.
    static func decode<T: Decodable>(_ type: T.Type, from text: String, _ what: String) throws(HSSStoreError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw HSSStoreError(.corrupt, "\(what): not the JSON expected (\(error))")
        }
    }
}
