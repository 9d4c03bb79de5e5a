import SiteModel

/// Front matter and data values as Mustache sees them (plain dictionaries and arrays render fastest).
enum ContextValue {
    static func any(_ value: Value) -> Any {
        switch value {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i
        case .double(let d): return d
        case .string(let s): return s
        case .array(let items): return items.map(any)
        case .object(let pairs):
            var dict: [String: Any] = [:]
            for (key, v) in pairs { dict[key] = any(v) }
            return dict
        }
    }
}

/// Dates as readers see them.
enum DateFormat {
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December"]

    /// `3 February 2024`.
    static func long(_ date: CalendarDate) -> String {
        "\(date.day) \(months[date.month - 1]) \(date.year)"
    }
}
