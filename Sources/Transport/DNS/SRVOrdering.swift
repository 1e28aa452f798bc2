/// The order in which to try the targets of an SRV RRset (RFC 2782, "Usage rules"): lower priority first, and
/// within one priority a weighted random order.
///
/// Within a priority, records of weight 0 are put first, then repeatedly: sum the weights of the records left,
/// draw a number from 0 to that sum, and take the first record whose running sum reaches it. So a record of weight
/// 0 is taken first only rarely (when 0 is drawn), and a record's chance to go first is its share of the weight.
/// The random generator is passed in, so tests can fix the draws.
enum SRVOrdering {
    static func order(
        _ records: [DNSSRVRecord], using generator: inout some RandomNumberGenerator
    ) -> [DNSSRVRecord] {
        let priorities = Set(records.map(\.priority)).sorted()
        var ordered: [DNSSRVRecord] = []
        ordered.reserveCapacity(records.count)
        for priority in priorities {
            let group = records.filter { $0.priority == priority }
            var left = group.filter { $0.weight == 0 } + group.filter { $0.weight != 0 }
            while !left.isEmpty {
                let total = left.reduce(0) { $0 + Int($1.weight) }
                let draw = Int.random(in: 0...total, using: &generator)
                var running = 0
                let index =
                    left.firstIndex {
                        running += Int($0.weight)
                        return running >= draw
                    } ?? left.startIndex
                ordered.append(left.remove(at: index))
            }
        }
        return ordered
    }
}
