/// A dictionary with a fixed capacity that forgets its least recently used entry to make room for a new one.
///
/// Everything keyed by something a sender controls (its source address) lives in one of these, so that a flood
/// from a million spoofed addresses costs `capacity` entries and not a million. Entries sit in an array linked
/// from newest to oldest by index; a freed slot is reused, so once the table is full, inserting allocates nothing.
struct LRUTable<Key: Hashable, Value> {
    fileprivate struct Slot {
        var key: Key
        var value: Value
        /// The next more recently used slot, or -1.
        var newer: Int
        /// The next less recently used slot, or -1.
        var older: Int
    }

    /// The most entries the table holds; at least 1.
    let capacity: Int
    private var positions: [Key: Int] = [:]
    private var slots: [Slot?] = []
    private var freeSlots: [Int] = []
    private var newest = -1
    private var oldest = -1

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    var count: Int { positions.count }
    var isEmpty: Bool { positions.isEmpty }

    /// The value for `key`, without counting as a use.
    subscript(key: Key) -> Value? {
        guard let position = positions[key] else { return nil }
        return slots[position]?.value
    }

    /// Runs `body` on the value for `key`, inserting `makeValue()` first if there is none (evicting the least
    /// recently used entry when full), and marks the entry most recently used.
    mutating func withValue<Result>(
        for key: Key, insertingIfAbsent makeValue: @autoclosure () -> Value, _ body: (inout Value) -> Result
    ) -> Result {
        let position: Int
        if let existing = positions[key] {
            position = existing
            moveToNewest(position)
        } else {
            if positions.count >= capacity, oldest >= 0 { _ = remove(at: oldest) }
            position = insertNewest(key: key, value: makeValue())
        }
        return body(&slots[position]!.value)
    }

    /// Sets the value for `key` and marks it most recently used; returns the entry evicted to make room, if any.
    @discardableResult
    mutating func set(_ value: Value, for key: Key) -> (key: Key, value: Value)? {
        if let existing = positions[key] {
            slots[existing]!.value = value
            moveToNewest(existing)
            return nil
        }
        var evicted: (key: Key, value: Value)?
        if positions.count >= capacity, oldest >= 0 { evicted = remove(at: oldest) }
        _ = insertNewest(key: key, value: value)
        return evicted
    }

    /// Removes the entry for `key`; returns its value.
    @discardableResult
    mutating func removeValue(for key: Key) -> Value? {
        guard let position = positions[key] else { return nil }
        return remove(at: position).value
    }

    /// Runs `body` on every entry, oldest first, keeping those for which it returns true; returns how many went.
    /// Changes no entry's place in the order of use.
    @discardableResult
    mutating func sweep(_ body: (Key, inout Value) -> Bool) -> Int {
        var removed = 0
        var position = oldest
        while position >= 0, let slot = slots[position] {
            let next = slot.newer
            if !body(slot.key, &slots[position]!.value) {
                _ = remove(at: position)
                removed += 1
            }
            position = next
        }
        return removed
    }

    /// The entries, most recently used first.
    var entries: [(key: Key, value: Value)] {
        var result: [(key: Key, value: Value)] = []
        result.reserveCapacity(count)
        var position = newest
        while position >= 0, let slot = slots[position] {
            result.append((slot.key, slot.value))
            position = slot.older
        }
        return result
    }

    private mutating func insertNewest(key: Key, value: Value) -> Int {
        let slot = Slot(key: key, value: value, newer: -1, older: newest)
        let position: Int
        if let free = freeSlots.popLast() {
            position = free
            slots[position] = slot
        } else {
            position = slots.count
            slots.append(slot)
        }
        if newest >= 0 { slots[newest]!.newer = position }
        newest = position
        if oldest < 0 { oldest = position }
        positions[key] = position
        return position
    }

    private mutating func remove(at position: Int) -> (key: Key, value: Value) {
        let slot = slots[position]!
        unlink(slot)
        slots[position] = nil
        freeSlots.append(position)
        positions[slot.key] = nil
        return (slot.key, slot.value)
    }

    private mutating func moveToNewest(_ position: Int) {
        guard position != newest, let slot = slots[position] else { return }
        unlink(slot)
        slots[position]!.older = newest
        slots[position]!.newer = -1
        if newest >= 0 { slots[newest]!.newer = position }
        newest = position
        if oldest < 0 { oldest = position }
    }

    private mutating func unlink(_ slot: Slot) {
        if slot.newer >= 0 { slots[slot.newer]!.older = slot.older } else { newest = slot.older }
        if slot.older >= 0 { slots[slot.older]!.newer = slot.newer } else { oldest = slot.newer }
    }
}

extension LRUTable: Sendable where Key: Sendable, Value: Sendable {}

extension LRUTable.Slot: Sendable where Key: Sendable, Value: Sendable {}
